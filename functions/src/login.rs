//! `POST /api/v2/auth/login/`: username and password for tokens and the
//! user's capabilities. Wrong credentials never say which part was wrong;
//! repeated failures lock the login name for a while.

use crate::common::{now_epoch, ok_json, reject_unknown, required_str};
use lambda_http::{Body, Request, Response};
use shared::auth::{random_token, refresh_token_hash, AccessTokenFor};
use shared::contract::{LoginResponse, LoginUser};
use shared::errors::{respond, FieldErrors, MSG_BAD_LOGIN};
use shared::store::UserRecord;
use shared::{http, password, ApiError, AppContext};

/// Failures allowed in one window before the name is locked.
pub const MAX_FAILURES: u64 = 5;
pub const FAILURE_WINDOW_SECS: u64 = 15 * 60;
pub const LOCK_SECS: u64 = 15 * 60;
const MSG_LOCKED: &str = "Too many failed login attempts. Try again later.";

pub async fn handle(ctx: &AppContext, req: Request) -> Response<Body> {
    respond(run(ctx, &req).await)
}

fn bad_credentials() -> ApiError {
    ApiError::Unauthenticated {
        detail: MSG_BAD_LOGIN,
        code: Some("no_active_account"),
    }
}

async fn run(ctx: &AppContext, req: &Request) -> Result<Response<Body>, ApiError> {
    let body = http::json_object(req)?;
    let mut errors = FieldErrors::new();
    reject_unknown(&body, &["username", "password"], "", &mut errors);
    let username = required_str(&body, "username", &mut errors);
    let password = required_str(&body, "password", &mut errors);
    let (Some(username), Some(password)) = (username, password) else {
        return Err(ApiError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let username = username.trim().to_string();

    let now = now_epoch();
    let attempts = ctx.store.login_attempts(&username).await?;
    if attempts.locked_until > now {
        return Err(ApiError::TooManyRequests {
            detail: MSG_LOCKED,
            retry_after_secs: attempts.locked_until - now,
        });
    }

    let user = match ctx.store.find_username(&username).await? {
        Some(principal) => ctx.store.get_user(&principal).await?,
        None => None,
    };
    let verified = match user.as_ref().and_then(|u| u.password_hash.as_deref()) {
        Some(hash) => password::verify(&password, hash),
        None => {
            password::verify_against_dummy(&password);
            false
        }
    };
    let user = match user {
        Some(user) if verified && user.is_active => user,
        _ => {
            let failures = ctx
                .store
                .record_login_failure(&username, now, FAILURE_WINDOW_SECS, &attempts)
                .await?;
            // The login name is logged, never the password.
            tracing::warn!(target: "audit", event = "login_failed", username = %username, failures, "login refused");
            if failures >= MAX_FAILURES {
                ctx.store.lock_login(&username, now + LOCK_SECS).await?;
                tracing::warn!(target: "audit", event = "login_locked", username = %username, lock_secs = LOCK_SECS, "login name locked");
            }
            return Err(bad_credentials());
        }
    };
    if attempts.failures > 0 {
        ctx.store.clear_login_failures(&username).await?;
    }
    let tokens = issue_tokens(ctx, &user, &random_token(16)).await?;
    tracing::info!(user_id = user.id, tenant_id = user.tenant_id, "login");
    ok_json(&LoginResponse {
        access: tokens.0,
        refresh: tokens.1,
        user: LoginUser {
            id: user.id,
            username: user.username.clone(),
            email: user.email.clone(),
            capabilities: user.capabilities,
        },
    })
}

/// A new access token and a new refresh token in `family_id`.
pub(crate) async fn issue_tokens(
    ctx: &AppContext,
    user: &UserRecord,
    family_id: &str,
) -> Result<(String, String), ApiError> {
    let signer = ctx.signer.as_ref().ok_or_else(|| {
        tracing::error!("JWT_PRIVATE_KEY is not configured for a token-issuing function");
        ApiError::Internal
    })?;
    let access = signer.access_token(AccessTokenFor {
        principal: user.principal(),
        username: &user.username,
        capabilities: user.capabilities,
    })?;
    let refresh = random_token(32);
    let expires = now_epoch() + ctx.config.jwt.refresh_ttl.as_secs();
    ctx.store
        .put_refresh_token(
            &refresh_token_hash(&refresh),
            &user.principal(),
            family_id,
            expires,
        )
        .await?;
    Ok((access, refresh))
}
