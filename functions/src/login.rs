//! `POST /api/v2/auth/login/`: username and password for tokens and the
//! user's capabilities. Wrong credentials never say which part was wrong;
//! repeated failures lock the login name for a while.

use crate::common::{now_epoch, ok_json, reject_unknown, required_str};
use lambda_http::{Body, Request, Response};
use shared::auth::{random_token, refresh_token_hash, AccessTokenFor};
use shared::contract::{LoginResponse, LoginUser};
use shared::errors::{respond, FieldErrors, MSG_BAD_LOGIN};
use shared::store::login_attempts::{
    AttemptKey, AttemptLimit, Refused, Reservation, CLIENT_LIMIT, NAME_LIMIT,
};
use shared::store::UserRecord;
use shared::{http, password, ApiError, AppContext};

const MSG_LOCKED: &str = "Too many failed login attempts. Try again later.";

pub async fn handle(ctx: &AppContext, req: Request) -> Response<Body> {
    respond(run(ctx, &req).await)
}

fn locked(refused: Refused) -> ApiError {
    ApiError::TooManyRequests {
        detail: MSG_LOCKED,
        retry_after_secs: refused.retry_after_secs,
    }
}

async fn reserve(
    ctx: &AppContext,
    key: &AttemptKey,
    limit: AttemptLimit,
    now: u64,
) -> Result<Reservation, ApiError> {
    match ctx.store.reserve_attempt(key, limit, now).await? {
        Ok(slot) => Ok(slot),
        Err(refused) => {
            tracing::warn!(target: "audit", event = "login_refused_client", "client locked after failed logins");
            Err(locked(refused))
        }
    }
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
    let name = AttemptKey::Name(username.clone());
    let client = http::source_ip(req).map(AttemptKey::Client);
    // Each password check is reserved first, per client and per name: a
    // burst of concurrent guesses checks at most the limit.
    let client_slot = match &client {
        Some(key) => Some(reserve(ctx, key, CLIENT_LIMIT, now).await?),
        None => None,
    };
    let name_slot = match ctx.store.reserve_attempt(&name, NAME_LIMIT, now).await? {
        Ok(slot) => slot,
        Err(refused) => {
            if let Some(key) = &client {
                ctx.store.release_attempt(key).await?;
            }
            tracing::warn!(target: "audit", event = "login_refused_locked", username = %username, "login name locked");
            return Err(locked(refused));
        }
    };

    let user = match ctx.store.find_username(&username).await? {
        Some(principal) => ctx.store.get_user(&principal).await?,
        None => None,
    };
    let verified = match user.as_ref().and_then(|u| u.password_hash.as_deref()) {
        Some(hash) => password::verify(&password, hash).await,
        None => {
            password::verify_against_dummy(&password).await;
            false
        }
    };
    let user = match user {
        Some(user) if verified && user.is_active => user,
        _ => {
            // The login name is logged, never the password.
            tracing::warn!(target: "audit", event = "login_failed", username = %username, failures = name_slot.attempts, "login refused");
            if name_slot.is_last {
                ctx.store.lock_attempts(&name, NAME_LIMIT, now).await?;
                tracing::warn!(target: "audit", event = "login_locked", username = %username, lock_secs = NAME_LIMIT.lock_secs, "login name locked");
            }
            if let (Some(key), Some(slot)) = (&client, client_slot) {
                if slot.is_last {
                    ctx.store.lock_attempts(key, CLIENT_LIMIT, now).await?;
                    tracing::warn!(target: "audit", event = "login_client_locked", lock_secs = CLIENT_LIMIT.lock_secs, "client locked after failed logins");
                }
            }
            return Err(bad_credentials());
        }
    };
    ctx.store.forgive_attempts(&name, now).await?;
    if let Some(key) = &client {
        ctx.store.release_attempt(key).await?;
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
            capabilities: user.effective_capabilities(&ctx.config),
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
        capabilities: user.effective_capabilities(&ctx.config),
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
