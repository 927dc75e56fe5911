//! What any DynamoDB-backed function pays at least: the SDK's default
//! configuration chain, a DynamoDB client, and one GetItem per request
//! (`TABLE_NAME`, a key that need not exist).

use aws_sdk_dynamodb::types::AttributeValue;
use lambda_http::{service_fn, Body, Error, Request, Response};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let table = std::env::var("TABLE_NAME")?;
    let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = aws_sdk_dynamodb::Client::new(&sdk);
    let (client, table) = (&client, table.as_str());
    lambda_http::run(service_fn(move |_req: Request| async move {
        let found = client
            .get_item()
            .table_name(table)
            .key("pk", AttributeValue::S("BENCH#baseline".into()))
            .key("sk", AttributeValue::S("BENCH#baseline".into()))
            .send()
            .await?;
        let body = format!(r#"{{"found":{}}}"#, found.item.is_some());
        Ok::<_, Error>(
            Response::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(Body::from(body))?,
        )
    }))
    .await
}
