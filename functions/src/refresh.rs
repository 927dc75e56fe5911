//! `POST /api/v2/auth/refresh/`: a refresh token for a new access token and a
//! new refresh token. Each refresh token works once; presenting one that was
//! already rotated revokes its whole family (someone copied it), except
//! within a short grace window after its rotation, where it returns the same
//! pair again (a mobile app retrying on a flaky network must not be logged out).

use crate::common::{now_epoch, ok_json, reject_unknown, required_str};
use lambda_http::{Body, Request, Response};
use shared::auth::{
    open_successor, random_token, refresh_token_hash, seal_successor, AccessTokenFor,
};
use shared::contract::RefreshResponse;
use shared::errors::{respond, FieldErrors, MSG_REFRESH_INVALID};
use shared::store::{RefreshRecord, RotateOutcome, Rotation};
use shared::{http, ApiError, AppContext};

pub async fn handle(ctx: &AppContext, req: Request) -> Response<Body> {
    respond(run(ctx, &req).await)
}

fn invalid() -> ApiError {
    ApiError::Unauthenticated {
        detail: MSG_REFRESH_INVALID,
        code: Some("token_not_valid"),
    }
}

async fn run(ctx: &AppContext, req: &Request) -> Result<Response<Body>, ApiError> {
    let body = http::json_object(req)?;
    let mut errors = FieldErrors::new();
    reject_unknown(&body, &["refresh"], "", &mut errors);
    let token = required_str(&body, "refresh", &mut errors);
    let Some(token) = token.filter(|_| errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let hash = refresh_token_hash(&token);
    let now = now_epoch();
    let Some(record) = ctx.store.get_refresh_token(&hash).await? else {
        return Err(invalid());
    };
    let family_expiry = now + ctx.config.jwt.refresh_ttl.as_secs();
    if record.rotated {
        return replay(ctx, &token, &record, now, family_expiry).await;
    }
    if record.expires_at <= now || ctx.store.family_revoked(&record.family_id).await? {
        return Err(invalid());
    }
    let user = match ctx.store.get_user(&record.principal).await? {
        Some(user) if user.is_active => user,
        _ => return Err(invalid()),
    };
    let signer = ctx.signer.as_ref().ok_or_else(|| {
        tracing::error!("JWT_PRIVATE_KEY is not configured for a token-issuing function");
        ApiError::Internal
    })?;
    let access = signer.access_token(AccessTokenFor {
        principal: user.principal(),
        username: &user.username,
        capabilities: user.effective_capabilities(&ctx.config),
    })?;
    let new_refresh = random_token(32);
    let rotation = Rotation {
        at: now,
        successor: seal_successor(&token, &access, &new_refresh),
    };
    match ctx
        .store
        .rotate_refresh_token(
            &hash,
            &refresh_token_hash(&new_refresh),
            &record,
            family_expiry,
            rotation,
        )
        .await?
    {
        RotateOutcome::Rotated => ok_json(&RefreshResponse {
            access,
            refresh: new_refresh,
        }),
        // A concurrent refresh of the same token won (or the family was
        // revoked meanwhile): answer as a replay of what it did.
        RotateOutcome::Reused => match ctx.store.get_refresh_token(&hash).await? {
            Some(current) if current.rotated => {
                replay(ctx, &token, &current, now, family_expiry).await
            }
            _ => Err(invalid()),
        },
    }
}

/// A refresh token that was already rotated. Within the grace window (a
/// client retrying on a flaky network, or two racing refreshes) it returns
/// the same pair its rotation returned; after it, it is a stolen copy: the
/// whole family is revoked.
async fn replay(
    ctx: &AppContext,
    token: &str,
    record: &RefreshRecord,
    now: u64,
    family_expiry: u64,
) -> Result<Response<Body>, ApiError> {
    let in_grace = record
        .rotated_at
        .is_some_and(|at| now <= at + ctx.config.jwt.refresh_grace.as_secs());
    if in_grace && !ctx.store.family_revoked(&record.family_id).await? {
        if let Some((access, refresh)) = record
            .successor
            .as_deref()
            .and_then(|sealed| open_successor(token, sealed))
        {
            tracing::info!(
                user_id = record.principal.user_id,
                tenant_id = record.principal.tenant_id,
                "refresh replayed within the grace window"
            );
            return ok_json(&RefreshResponse { access, refresh });
        }
    }
    ctx.store
        .revoke_family(&record.family_id, family_expiry)
        .await?;
    tracing::warn!(target: "audit", event = "refresh_token_reuse", user_id = record.principal.user_id, tenant_id = record.principal.tenant_id, "rotated refresh token presented again; family revoked");
    Err(invalid())
}
