//! The error bodies of the contract, in one place.
//!
//! - 401 and capability 403: `{"detail": ...}`
//! - upload, not-found and journal-media errors: `{"error": ...}`
//! - validation: `{"errors": {field: [messages]}}`

use lambda_http::{http::StatusCode, Body, Response};
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const MSG_NO_CREDENTIALS: &str = "Authentication credentials were not provided.";
pub const MSG_TOKEN_INVALID: &str = "Given token not valid for any token type";
pub const MSG_BAD_LOGIN: &str = "No active account found with the given credentials";
pub const MSG_REFRESH_INVALID: &str = "Token is invalid or expired";
pub const MSG_PROFILE_NOT_INITIALIZED: &str = "User profile not fully initialized";

/// Field name -> messages, in a stable order.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// 401 `{"detail": ...}` (plus a machine-readable `code` where one helps).
    Unauthenticated {
        detail: &'static str,
        code: Option<&'static str>,
    },
    /// 403 `{"detail": ...}`: a capability guard said no.
    CapabilityDenied(&'static str),
    /// 403 `{"error": ...}`: the journal-media ownership and audio messages.
    Forbidden(String),
    /// 404 `{"error": ...}`.
    NotFound(String),
    /// 400 `{"errors": {...}}`.
    Validation(FieldErrors),
    /// 400 `{"error": ...}`: upload errors.
    BadRequest(String),
    /// 409 `{"error": ...}`.
    Conflict(String),
    /// 422 `{"error": ...}`: an `Idempotency-Key` reused for another request.
    Unprocessable(String),
    /// 413 `{"error": ...}`.
    PayloadTooLarge(String),
    /// 415 `{"error": ...}`: the body is not declared as what the route takes.
    UnsupportedMediaType(String),
    /// 429 `{"detail": ...}` with a Retry-After header.
    TooManyRequests {
        detail: &'static str,
        retry_after_secs: u64,
    },
    /// 500 `{"detail": ...}`; the cause is logged, never sent.
    Internal,
    /// 503 `{"detail": ...}` with a Retry-After header: DynamoDB or S3
    /// throttled us, failed or timed out; nothing was half-written, so
    /// retrying is safe.
    Unavailable,
}

/// The Retry-After of a 503: the SDK already retried with backoff inside
/// the request, so the client waits a little longer before its own retry.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 2;

impl ApiError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.insert(field.to_string(), vec![message.into()]);
        ApiError::Validation(errors)
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthenticated { .. } => StatusCode::UNAUTHORIZED,
            ApiError::CapabilityDenied(_) | ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Validation(_) | ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    pub fn body(&self) -> Value {
        match self {
            ApiError::Unauthenticated { detail, code } => match code {
                Some(code) => json!({ "detail": detail, "code": code }),
                None => json!({ "detail": detail }),
            },
            ApiError::CapabilityDenied(detail) => json!({ "detail": detail }),
            ApiError::TooManyRequests { detail, .. } => json!({ "detail": detail }),
            ApiError::Forbidden(m)
            | ApiError::NotFound(m)
            | ApiError::BadRequest(m)
            | ApiError::Conflict(m)
            | ApiError::Unprocessable(m)
            | ApiError::PayloadTooLarge(m)
            | ApiError::UnsupportedMediaType(m) => json!({ "error": m }),
            ApiError::Validation(errors) => json!({ "errors": errors }),
            ApiError::Internal => json!({ "detail": "Internal server error." }),
            ApiError::Unavailable => {
                json!({ "detail": "Service temporarily unavailable. Please retry." })
            }
        }
    }

    /// Seconds a client should wait before retrying, if it should.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            ApiError::TooManyRequests {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            ApiError::Unavailable => Some(UNAVAILABLE_RETRY_AFTER_SECS),
            _ => None,
        }
    }

    pub fn into_response(self) -> Response<Body> {
        let mut response = json_response(self.status(), &self.body());
        if let Some(secs) = self.retry_after_secs() {
            response
                .headers_mut()
                .insert("retry-after", lambda_http::http::HeaderValue::from(secs));
        }
        if let ApiError::Unauthenticated { .. } = self {
            response.headers_mut().insert(
                "www-authenticate",
                lambda_http::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }

    pub fn no_credentials() -> Self {
        ApiError::Unauthenticated {
            detail: MSG_NO_CREDENTIALS,
            code: None,
        }
    }

    pub fn invalid_token() -> Self {
        ApiError::Unauthenticated {
            detail: MSG_TOKEN_INVALID,
            code: Some("token_not_valid"),
        }
    }
}

/// A JSON response with the right content type.
pub fn json_response(status: StatusCode, body: &Value) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Body::Text(body.to_string()))
        .expect("static response parts are valid")
}

/// Handlers end with this: success or the error's contract body.
pub fn respond(result: Result<Response<Body>, ApiError>) -> Response<Body> {
    result.unwrap_or_else(ApiError::into_response)
}

/// Upload errors carry the contract's messages as `{"error": ...}`.
impl From<imaging::ImageError> for ApiError {
    fn from(e: imaging::ImageError) -> Self {
        ApiError::BadRequest(e.message())
    }
}
