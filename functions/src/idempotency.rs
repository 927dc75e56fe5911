//! `Idempotency-Key` on the POSTs a mobile app retries on a flaky network
//! (journal entry create, media attach, mark-onboarding-complete): a retry
//! with the same key and the same request gets the first answer again, with
//! `Idempotent-Replayed: true`, instead of doing the work twice.
//!
//! Only successful answers are kept (for 24 hours, `store::idempotency`): a
//! request that failed frees its key, so retrying it runs it again. The key
//! is the caller's own: the same key from another user is another record.
//! The rules follow the IETF draft "The Idempotency-Key HTTP Header Field":
//! the same key with another request is a 422, a retry while the first is
//! still running a 409.

use crate::handler::{now_epoch, Answer};
use lambda_http::http::{HeaderValue, StatusCode};
use lambda_http::{Body, Request, Response};
use sha2::{Digest, Sha256};
use shared::auth::{hex, sha256_hex};
use shared::http::{body_bytes, content_type};
use shared::store::idempotency::{Claim, IdempotencyKey, StoredAnswer};
use shared::{ApiError, AppContext};
use std::future::Future;

pub const HEADER: &str = "idempotency-key";
pub const REPLAYED_HEADER: &str = "idempotent-replayed";
/// The longest key accepted (a UUID is 36).
pub const MAX_KEY_LEN: usize = 255;

pub const MSG_BAD_KEY: &str =
    "Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good key).";
pub const MSG_KEY_REUSED: &str =
    "This Idempotency-Key was already used for a different request. Use a new key for a new request.";
pub const MSG_IN_PROGRESS: &str =
    "A request with this Idempotency-Key is still being processed. Retry in a moment.";

/// Runs `work` (the route's handler, not yet started) at most once per key:
/// `route` names the route in the record (the function name).
pub async fn once(
    ctx: &AppContext,
    req: &Request,
    route: &str,
    work: impl Future<Output = Answer>,
) -> Answer {
    let Some(raw) = req.headers().get(HEADER) else {
        return work.await;
    };
    // Without a valid token the handler answers 401 as it would without a key.
    let Ok(principal) = ctx.verifier.authenticate(req.headers()) else {
        return work.await;
    };
    let key = valid_key(raw)?;
    let record = IdempotencyKey::new(&principal, route, &sha256_hex(key.as_bytes()));
    match ctx
        .store
        .claim_idempotency(&record, &request_digest(req).await, now_epoch())
        .await?
    {
        Claim::Run => {}
        Claim::Replay(answer) => return Ok(replay(answer)),
        Claim::Mismatch => return Err(ApiError::Unprocessable(MSG_KEY_REUSED.into())),
        Claim::InProgress => return Err(ApiError::Conflict(MSG_IN_PROGRESS.into())),
    }
    let answer = work.await;
    let kept = match &answer {
        Ok(response) if response.status().is_success() => {
            ctx.store
                .finish_idempotency(&record, &stored(response), now_epoch())
                .await
        }
        _ => ctx.store.release_idempotency(&record).await,
    };
    if let Err(e) = kept {
        // The work itself is done (or failed) and its answer goes out; the
        // record expires on its own, after which a retry runs again.
        tracing::warn!(error = %e, route, "idempotency record not updated");
    }
    answer
}

fn valid_key(raw: &HeaderValue) -> Result<&str, ApiError> {
    raw.to_str()
        .ok()
        .filter(|k| !k.is_empty() && k.len() <= MAX_KEY_LEN)
        .filter(|k| k.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or_else(|| ApiError::field("Idempotency-Key", MSG_BAD_KEY))
}

/// What makes two requests "the same": method, path and body. A multipart
/// body is hashed part by part, so a retry that rebuilt the form with a new
/// boundary is still the same request.
async fn request_digest(req: &Request) -> String {
    let mut hash = Sha256::new();
    hash.update(req.method().as_str());
    hash.update(b"\0");
    hash.update(req.uri().path());
    hash.update(b"\0");
    let body = body_bytes(req);
    let multipart = match content_type(req) {
        Some(t) if t.to_ascii_lowercase().starts_with("multipart/") => {
            shared::multipart::parse(t, bytes::Bytes::copy_from_slice(body))
                .await
                .ok()
        }
        _ => None,
    };
    match multipart {
        Some(parts) => {
            for part in parts {
                for field in [
                    part.name.as_bytes(),
                    part.file_name.as_deref().unwrap_or_default().as_bytes(),
                    part.content_type.as_deref().unwrap_or_default().as_bytes(),
                    &part.data,
                ] {
                    hash.update((field.len() as u64).to_be_bytes());
                    hash.update(field);
                }
            }
        }
        None => hash.update(body),
    }
    hex(&hash.finalize())
}

fn stored(response: &Response<Body>) -> StoredAnswer {
    StoredAnswer {
        status: response.status().as_u16(),
        content_type: response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        body: match response.body() {
            Body::Text(s) => s.as_bytes().to_vec(),
            Body::Binary(b) => b.clone(),
            _ => Vec::new(),
        },
    }
}

fn replay(answer: StoredAnswer) -> Response<Body> {
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK))
        .header(REPLAYED_HEADER, "true");
    if let Some(t) = answer.content_type {
        builder = builder.header("content-type", t);
    }
    let body = match String::from_utf8(answer.body) {
        Ok(text) if text.is_empty() => Body::Empty,
        Ok(text) => Body::Text(text),
        Err(e) => Body::Binary(e.into_bytes()),
    };
    builder
        .body(body)
        .unwrap_or_else(|_| Response::new(Body::Empty))
}
