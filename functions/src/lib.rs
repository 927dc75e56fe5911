//! The handlers, grouped by what they serve, one file per endpoint; each
//! endpoint file holds its request type, its handler (`run`, taking its
//! dependencies as arguments: `&AppContext` and the request) and its
//! documentation. [`routes::ROUTES`] is the route table: the Lambda binaries,
//! the local gateway and tests all dispatch through it.

pub mod auth;
pub mod conversation;
#[cfg(feature = "openapi")]
pub mod docs;
pub mod handler;
pub mod idempotency;
pub mod journal;
pub mod onboarding;
pub mod profile;
pub mod routes;
mod uploads;
pub mod voice;

use futures_util::FutureExt;
use lambda_http::{Body, Request, Response};
use shared::context::Needs;
use shared::AppContext;
use std::panic::AssertUnwindSafe;
use tracing::Instrument;

/// Runs the handler of `function` (a name from the route table) for the
/// request's route: what the local gateway and tests do.
pub async fn dispatch(function: &str, ctx: &AppContext, req: Request) -> Option<Response<Body>> {
    let route = route_of(function, &req)?;
    Some(call(function, route.handler, ctx, req).await)
}

/// Runs `handler`. A panic anywhere in it is answered as a 500 and logged:
/// the sandbox (and the next caller's warm start) survives.
pub async fn call(
    function: &str,
    handler: routes::Handler,
    ctx: &AppContext,
    req: Request,
) -> Response<Body> {
    let answer = AssertUnwindSafe(handler(ctx, req)).catch_unwind().await;
    let answer = answer.unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        tracing::error!(function, panic = %what, "handler panicked");
        shared::ApiError::Internal.into_response()
    });
    if let Some(accepted) = upload_verdict(function, answer.status()) {
        shared::metrics::upload(accepted);
    }
    answer
}

/// The functions that store a media upload the client sent.
const UPLOAD_FUNCTIONS: [&str; 3] = [
    "profile-image-upload",
    "profile-image-confirm",
    "journal-media-add",
];

/// What an upload function's answer says about the upload: stored (2xx),
/// refused for what was sent (400, 413, 415, 422), or neither (not allowed,
/// not found, a race, an outage: no verdict on the file).
pub fn upload_verdict(function: &str, status: lambda_http::http::StatusCode) -> Option<bool> {
    if !UPLOAD_FUNCTIONS.contains(&function) {
        return None;
    }
    match status.as_u16() {
        200..=299 => Some(true),
        400 | 413 | 415 | 422 => Some(false),
        _ => None,
    }
}

/// The route a request for `function` came in on: by API Gateway's route
/// key, else by method and path, else the function's only route.
fn route_of(function: &str, req: &Request) -> Option<&'static routes::Route> {
    let mine = || {
        routes::ROUTES
            .iter()
            .filter(move |r| r.function == function)
    };
    let method = req.method().as_str();
    let path = req.uri().path();
    let route_key = shared::http::RequestMeta::of(req).route;
    mine()
        .find(|r| format!("{} {}", r.method, r.path) == route_key)
        .or_else(|| {
            mine().find(|r| r.method == method && routes::match_path(r.path, path).is_some())
        })
        .or_else(|| mine().next())
}

/// What every `main` does (through [`lambda_main!`]): set up logging and
/// metrics, build the context the function needs once (a configuration
/// error stops the cold start with a clear message), serve each invocation
/// in its request span, and write its metrics (EMF) after it.
/// A binary refers to its own handler only, so it links only what that
/// endpoint uses.
pub async fn run_lambda(
    function: &'static str,
    needs: Needs,
    handler: routes::Handler,
) -> Result<(), lambda_http::Error> {
    shared::telemetry::init();
    let metrics = shared::metrics::init(function)
        .inspect_err(|e| tracing::warn!(error = %e, "metrics are off"))
        .ok();
    let ctx: &'static AppContext = match AppContext::from_env(needs).await {
        Ok(ctx) => Box::leak(Box::new(ctx)),
        Err(e) => {
            tracing::error!(error = %e, "cannot start: configuration is incomplete");
            return Err(e.into());
        }
    };
    let service = lambda_http::service_fn(move |req: Request| async move {
        let span = shared::telemetry::request_span(&req, shared::telemetry::take_cold_start());
        let answer = call(function, handler, ctx, req).instrument(span).await;
        Ok::<_, std::convert::Infallible>(answer)
    });
    match metrics {
        Some(metrics) => {
            metrics_cloudwatch_embedded::lambda::service::run_http(metrics, service).await
        }
        None => lambda_http::run(service).await,
    }
}

/// The body of every `src/bin/<function>.rs`: `functions::lambda_main!(auth::login);`
/// runs the endpoint module's handler with the module's `NEEDS`; the
/// binary's name is the function's.
#[macro_export]
macro_rules! lambda_main {
    ($($module:ident)::+) => {
        #[tokio::main]
        async fn main() -> Result<(), lambda_http::Error> {
            functions::run_lambda(
                env!("CARGO_BIN_NAME"),
                functions::$($module)::+::NEEDS,
                |ctx, req| Box::pin(async move {
                    shared::errors::respond(functions::$($module)::+::run(ctx, &req).await)
                }),
            )
            .await
        }
    };
}
