//! What the functions tell operations: logs (JSON lines in Lambda's format
//! on AWS, readable text locally), the request span every line of an
//! invocation carries, and X-Ray subsegments around AWS calls. Metrics live
//! in [`crate::metrics`].
//!
//! `RUST_LOG` and `AWS_LAMBDA_LOG_LEVEL` (the template's `LoggingConfig`)
//! pick the level; `AWS_LAMBDA_LOG_FORMAT=JSON` picks JSON.

pub mod json_log;
pub mod xray;

use lambda_http::{Request, RequestExt};
use std::sync::atomic::{AtomicBool, Ordering};
use tracing_subscriber::filter::{filter_fn, EnvFilter, FilterExt};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

pub use json_log::JsonLog;

/// The target of audit events (`tracing::warn!(target: "audit", event = ...)`):
/// their JSON lines carry `"audit": true`.
pub const AUDIT_TARGET: &str = "audit";

/// The target of the per-invocation span [`request_span`] opens.
const REQUEST_SPAN_TARGET: &str = "shared::telemetry";

/// Sets up logging once per process (a second call is ignored).
pub fn init() {
    // Lambda's level (LoggingConfig) wins over RUST_LOG; FATAL is ERROR here.
    let directive = match std::env::var("AWS_LAMBDA_LOG_LEVEL") {
        Ok(level) if level.eq_ignore_ascii_case("fatal") => "error".to_string(),
        Ok(level) => level.to_ascii_lowercase(),
        Err(_) => std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into()),
    };
    let events = EnvFilter::try_new(&directive).unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("AWS_LAMBDA_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let _ = if json {
        // The request span is kept whatever the level: it gives every line
        // of an invocation its request ids.
        let layer = JsonLog::new(std::io::stdout, json_log::Statics::from_env())
            .with_filter(events.or(filter_fn(is_request_span)));
        tracing_subscriber::registry().with(layer).try_init()
    } else {
        let layer = tracing_subscriber::fmt::layer()
            .without_time()
            .with_filter(events);
        tracing_subscriber::registry().with(layer).try_init()
    };
}

fn is_request_span(meta: &tracing::Metadata<'_>) -> bool {
    meta.is_span() && meta.target() == REQUEST_SPAN_TARGET
}

static COLD: AtomicBool = AtomicBool::new(true);

/// Whether this is the sandbox's first invocation (true once per process).
pub fn take_cold_start() -> bool {
    COLD.swap(false, Ordering::Relaxed)
}

/// The span an invocation runs in: Lambda's request id and X-Ray trace id
/// (from the runtime's context), API Gateway's request id, and whether this
/// invocation paid the cold start.
pub fn request_span(req: &Request, cold_start: bool) -> tracing::Span {
    let meta = crate::http::RequestMeta::of(req);
    let lambda = req.lambda_context_ref();
    tracing::info_span!(
        target: REQUEST_SPAN_TARGET,
        "request",
        requestId = lambda.map(|c| c.request_id.as_str()).unwrap_or_default(),
        xray_trace_id = lambda.and_then(|c| c.xray_trace_id.as_deref()),
        apigw_request_id = %meta.request_id,
        cold_start,
    )
}
