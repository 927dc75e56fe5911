//! Steps most handlers share, written once: who is calling, the answer's
//! shape, and re-applying a change that lost a write race.

use lambda_http::http::StatusCode;
use lambda_http::{Body, Request, Response};
use serde::Serialize;
use shared::auth::Principal;
use shared::errors::json_response;
use shared::store::{StoreError, UserRecord};
use shared::{ApiError, AppContext};
use std::future::Future;

/// What every handler returns: an answer, or the error's contract body.
pub type Answer = Result<Response<Body>, ApiError>;

/// The verified caller and their stored record (one GetItem). A token for a
/// user that no longer exists or was deactivated is refused like a bad token.
pub async fn authenticated_user(
    ctx: &AppContext,
    req: &Request,
) -> Result<(Principal, UserRecord), ApiError> {
    let principal = ctx.verifier.authenticate(req.headers())?;
    Ok((principal, fresh_user(ctx, &principal).await?))
}

async fn fresh_user(ctx: &AppContext, principal: &Principal) -> Result<UserRecord, ApiError> {
    match ctx.store.get_user(principal).await? {
        Some(user) if user.is_active => Ok(user),
        _ => Err(ApiError::invalid_token()),
    }
}

/// `status` with `body` as JSON.
pub fn json(status: StatusCode, body: &impl Serialize) -> Answer {
    let value = serde_json::to_value(body).map_err(|e| {
        tracing::error!(error = %e, "response serialisation failed");
        ApiError::Internal
    })?;
    Ok(json_response(status, &value))
}

/// 200 with `body` as JSON.
pub fn ok(body: &impl Serialize) -> Answer {
    json(StatusCode::OK, body)
}

/// 201 with `body` as JSON.
pub fn created(body: &impl Serialize) -> Answer {
    json(StatusCode::CREATED, body)
}

/// 204, no body.
pub fn empty() -> Answer {
    Ok(Response::builder()
        .status(StatusCode::NO_CONTENT)
        .body(Body::Empty)
        .expect("static response parts are valid"))
}

pub fn now_epoch() -> u64 {
    shared::time::now().timestamp().max(0) as u64
}

/// How many times a change is re-applied after losing a write race. Each
/// round of a race has one winner, so this bounds how many concurrent
/// writers of one user item all get through.
pub const WRITE_ATTEMPTS: u32 = 30;

/// Why one attempt of a conditional write did not succeed.
pub enum WriteError {
    /// Another request wrote first: re-read and try again.
    Conflict,
    /// Anything else ends the request with this answer.
    Fail(ApiError),
}

impl From<StoreError> for WriteError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict => WriteError::Conflict,
            other => WriteError::Fail(other.into()),
        }
    }
}

impl From<ApiError> for WriteError {
    fn from(e: ApiError) -> Self {
        WriteError::Fail(e)
    }
}

/// Applies `attempt` to the user's record until its conditional write wins:
/// after a lost race the record is read again and the change re-applied to
/// it (re-checking whatever depends on other fields).
pub async fn retry_on_conflict<T, F, Fut>(
    ctx: &AppContext,
    principal: &Principal,
    user: UserRecord,
    attempt: F,
) -> Result<T, ApiError>
where
    F: FnMut(UserRecord) -> Fut,
    Fut: Future<Output = Result<T, WriteError>>,
{
    retry(user, || fresh_user(ctx, principal), attempt).await
}

/// Applies `attempt` to `state` until its conditional write wins, reloading
/// the state with `reload` after each lost race, with a growing random delay
/// so racing requests spread out.
pub async fn retry<S, T, F, Fut, R, RFut>(
    mut state: S,
    mut reload: R,
    mut attempt: F,
) -> Result<T, ApiError>
where
    S: Clone,
    R: FnMut() -> RFut,
    RFut: Future<Output = Result<S, ApiError>>,
    F: FnMut(S) -> Fut,
    Fut: Future<Output = Result<T, WriteError>>,
{
    for round in 0..WRITE_ATTEMPTS {
        if round > 0 {
            shared::metrics::conflict_retried();
            backoff(round).await;
            state = reload().await?;
        }
        match attempt(state.clone()).await {
            Ok(done) => return Ok(done),
            Err(WriteError::Conflict) => continue,
            Err(WriteError::Fail(e)) => return Err(e),
        }
    }
    Err(StoreError::Conflict.into())
}

/// A random delay that grows with the round (capped at 80 ms).
async fn backoff(round: u32) {
    use rand::Rng;
    let cap_ms = (5u64 << round.min(4)).min(80);
    let delay = rand::thread_rng().gen_range(1..=cap_ms);
    tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
}
