//! Request helpers shared by the handlers.

use crate::errors::ApiError;
use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt};
use serde_json::{Map, Value};

/// What the logs need to tie a line to a request.
#[derive(Clone, Debug)]
pub struct RequestMeta {
    pub request_id: String,
    /// "METHOD /path" as API Gateway routed it.
    pub route: String,
}

impl RequestMeta {
    pub fn of(req: &Request) -> Self {
        let (request_id, route_key) = match req.request_context_ref() {
            Some(RequestContext::ApiGatewayV2(ctx)) => (
                ctx.request_id.clone().unwrap_or_default(),
                ctx.route_key.clone(),
            ),
            _ => (String::new(), None),
        };
        let route = route_key.unwrap_or_else(|| format!("{} {}", req.method(), req.uri().path()));
        RequestMeta { request_id, route }
    }
}

/// The body as a JSON object. An empty body is an empty object; anything
/// else that is not a JSON object is a 400 with a field error on `body`.
pub fn json_object(req: &Request) -> Result<Map<String, Value>, ApiError> {
    let bytes: &[u8] = match req.body() {
        Body::Empty => b"",
        Body::Text(s) => s.as_bytes(),
        Body::Binary(b) => b,
        _ => b"",
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::field("body", "Expected a JSON object.")),
        Err(e) => Err(ApiError::field("body", format!("JSON parse error - {e}"))),
    }
}
