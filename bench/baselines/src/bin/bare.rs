//! The floor of a cold start: `lambda_http` answering a fixed body, no
//! configuration, no SDK.

use lambda_http::{service_fn, Body, Error, Request, Response};

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_http::run(service_fn(|_req: Request| async {
        Ok::<_, Error>(
            Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(Body::from(r#"{"ok":true}"#))?,
        )
    }))
    .await
}
