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

/// What a request body is declared as (its `Content-Type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// `application/json` (or `application/<something>+json`).
    Json,
    /// `multipart/form-data`.
    Multipart,
}

impl BodyKind {
    fn media_type(self) -> &'static str {
        match self {
            BodyKind::Json => "application/json",
            BodyKind::Multipart => "multipart/form-data",
        }
    }
}

/// The raw body bytes.
pub fn body_bytes(req: &Request) -> &[u8] {
    match req.body() {
        Body::Text(s) => s.as_bytes(),
        Body::Binary(b) => b,
        _ => b"",
    }
}

/// `5.0` is the integer 5 in JSON (JSON Schema says so, and so do the
/// JavaScript clients that send it): whole-valued numbers become integers,
/// so an integer field accepts them. Other numbers are left as they are.
fn whole_numbers_as_integers(v: &mut Value) {
    match v {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15) {
                *v = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(map) => map.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
}

/// A whole number from a query string: `5`, or `5.0` as JSON would allow;
/// one too large for 64 bits saturates (callers clamp to their maximum).
pub fn whole_number(raw: &str) -> Option<u64> {
    let raw = raw.trim();
    if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) {
        return Some(raw.parse::<u64>().unwrap_or(u64::MAX));
    }
    raw.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite() && f.fract() == 0.0 && *f >= 0.0)
        .map(|f| f as u64)
}

/// The request's `Content-Type`, as sent.
pub fn content_type(req: &Request) -> Option<&str> {
    req.headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
}

/// Which of `accepted` the body is declared as. A request without a body
/// needs no declaration (`None`); a body declared as anything else, or not
/// declared at all, is a 415.
pub fn declared_kind(req: &Request, accepted: &[BodyKind]) -> Result<Option<BodyKind>, ApiError> {
    if body_bytes(req).iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let essence = content_type(req)
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let kind = if essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
    {
        Some(BodyKind::Json)
    } else if essence == "multipart/form-data" {
        Some(BodyKind::Multipart)
    } else {
        None
    };
    match kind.filter(|k| accepted.contains(k)) {
        Some(kind) => Ok(Some(kind)),
        None => {
            let wanted: Vec<&str> = accepted.iter().map(|k| k.media_type()).collect();
            Err(ApiError::UnsupportedMediaType(format!(
                "Unsupported media type {}. Send the body as {}.",
                if essence.is_empty() {
                    "(none declared)".to_string()
                } else {
                    format!("\"{essence}\"")
                },
                wanted.join(" or ")
            )))
        }
    }
}

/// The body as a JSON object. An empty body is an empty object; a body not
/// declared as JSON is a 415; anything else that is not a JSON object is a
/// 400 with a field error on `body`.
pub fn json_object(req: &Request) -> Result<Map<String, Value>, ApiError> {
    if declared_kind(req, &[BodyKind::Json])?.is_none() {
        return Ok(Map::new());
    }
    let bytes = body_bytes(req);
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(mut map)) => {
            map.values_mut().for_each(whole_numbers_as_integers);
            Ok(map)
        }
        Ok(_) => Err(ApiError::field("body", "Expected a JSON object.")),
        Err(e) => Err(ApiError::field("body", format!("JSON parse error - {e}"))),
    }
}

/// The caller's address as API Gateway saw it (`requestContext.http.sourceIp`).
pub fn source_ip(req: &Request) -> Option<String> {
    match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(ctx)) => ctx
            .http
            .source_ip
            .clone()
            .filter(|ip| !ip.trim().is_empty()),
        _ => None,
    }
}

/// The additions a client opted into with `?include=a,b` (the apps parse
/// answers strictly, so anything beyond the contract's keys is opt-in). Each
/// must be one of `allowed`; an unknown one is a 400 on `include`.
pub fn includes(req: &Request, allowed: &[&'static str]) -> Result<Vec<&'static str>, ApiError> {
    use lambda_http::RequestExt;
    let params = req.query_string_parameters_ref();
    let mut out = Vec::new();
    for raw in params
        .into_iter()
        .flat_map(|p| p.all("include").unwrap_or_default())
    {
        for name in raw.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match allowed.iter().find(|a| **a == name) {
                Some(a) => out.push(*a),
                None => {
                    return Err(ApiError::field(
                        "include",
                        format!(
                            "Unknown value '{name}'. Allowed here: {}.",
                            if allowed.is_empty() {
                                "none".to_string()
                            } else {
                                allowed.join(", ")
                            }
                        ),
                    ))
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn whole_valued_numbers_are_integers() {
        let mut v = json!({"size": 5000000.0, "metrics": {"stress": 2.0, "sleep": 7.5}, "list": [1.0, -3.0], "big": 1e300});
        whole_numbers_as_integers(&mut v);
        assert_eq!(
            v,
            json!({"size": 5000000, "metrics": {"stress": 2, "sleep": 7.5}, "list": [1, -3], "big": 1e300})
        );
        assert!(v["size"].is_u64());
    }

    #[test]
    fn whole_numbers_from_a_query_string() {
        assert_eq!(whole_number("20"), Some(20));
        assert_eq!(whole_number(" 20.0 "), Some(20));
        assert_eq!(whole_number("441554978396607977881600"), Some(u64::MAX));
        assert_eq!(whole_number("1e300"), Some(u64::MAX));
        for bad in ["2.5", "-1", "inf", "NaN", "x", ""] {
            assert_eq!(whole_number(bad), None, "{bad}");
        }
    }
}
