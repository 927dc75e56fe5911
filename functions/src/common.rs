//! Steps most handlers share.

use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use shared::auth::Principal;
use shared::errors::json_response;
use shared::store::UserRecord;
use shared::{ApiError, AppContext};

/// The verified caller and their stored record (one GetItem). A token for a
/// user that no longer exists or was deactivated is refused like a bad token.
pub async fn authenticated_user(
    ctx: &AppContext,
    req: &Request,
) -> Result<(Principal, UserRecord), ApiError> {
    let principal = ctx.verifier.authenticate(req.headers())?;
    match ctx.store.get_user(&principal).await? {
        Some(user) if user.is_active => Ok((principal, user)),
        _ => Err(ApiError::invalid_token()),
    }
}

pub fn ok_json(body: &impl Serialize) -> Result<Response<Body>, ApiError> {
    let value = serde_json::to_value(body).map_err(|e| {
        tracing::error!(error = %e, "response serialisation failed");
        ApiError::Internal
    })?;
    Ok(json_response(StatusCode::OK, &value))
}

/// How many times a handler re-reads and retries after losing a write race.
/// Each round of a race has one winner, so this bounds how many concurrent
/// writers of one user item all get through.
pub const WRITE_ATTEMPTS: u32 = 30;

/// Waits a little before retrying a lost write race: a random delay that
/// grows with the attempt (capped), so racing requests spread out.
pub async fn backoff(attempt: u32) {
    use rand::Rng;
    let cap_ms = (5u64 << attempt.min(4)).min(80);
    let delay = rand::thread_rng().gen_range(1..=cap_ms);
    tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
}

/// A required, non-blank string field of a JSON body, or its field error.
pub fn required_str(
    body: &serde_json::Map<String, serde_json::Value>,
    field: &str,
    errors: &mut shared::errors::FieldErrors,
) -> Option<String> {
    let message = match body.get(field) {
        None | Some(serde_json::Value::Null) => "This field is required.",
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => "This field may not be blank.",
        Some(serde_json::Value::String(s)) => return Some(s.clone()),
        Some(_) => "Not a valid string.",
    };
    errors
        .entry(field.to_string())
        .or_default()
        .push(message.to_string());
    None
}

/// Fields a body may not carry: each is a field error, nothing is written.
pub fn reject_unknown(
    body: &serde_json::Map<String, serde_json::Value>,
    allowed: &[&str],
    prefix: &str,
    errors: &mut shared::errors::FieldErrors,
) {
    for key in body.keys().filter(|k| !allowed.contains(&k.as_str())) {
        errors
            .entry(format!("{prefix}{key}"))
            .or_default()
            .push("Unknown field.".to_string());
    }
}

pub fn now_epoch() -> u64 {
    shared::time::now().timestamp().max(0) as u64
}
