//! `POST /api/v2/auth/refresh/`: a refresh token for a new access token and a
//! new refresh token. Each refresh token works once; presenting one that was
//! already rotated revokes its whole family (someone copied it).

use crate::common::{now_epoch, ok_json, reject_unknown, required_str};
use lambda_http::{Body, Request, Response};
use shared::auth::{random_token, refresh_token_hash, AccessTokenFor};
use shared::contract::RefreshResponse;
use shared::errors::{respond, FieldErrors, MSG_REFRESH_INVALID};
use shared::store::RotateOutcome;
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
        ctx.store
            .revoke_family(&record.family_id, family_expiry)
            .await?;
        tracing::warn!(target: "audit", event = "refresh_token_reuse", user_id = record.principal.user_id, tenant_id = record.principal.tenant_id, "rotated refresh token presented again; family revoked");
        return Err(invalid());
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
    let new_refresh = random_token(32);
    match ctx
        .store
        .rotate_refresh_token(
            &hash,
            &refresh_token_hash(&new_refresh),
            &record,
            family_expiry,
        )
        .await?
    {
        RotateOutcome::Rotated => {}
        RotateOutcome::Reused => {
            ctx.store
                .revoke_family(&record.family_id, family_expiry)
                .await?;
            tracing::warn!(target: "audit", event = "refresh_token_reuse", user_id = user.id, tenant_id = user.tenant_id, "refresh token raced or family revoked");
            return Err(invalid());
        }
    }
    let access = signer.access_token(AccessTokenFor {
        principal: user.principal(),
        username: &user.username,
        capabilities: user.capabilities,
    })?;
    ok_json(&RefreshResponse {
        access,
        refresh: new_refresh,
    })
}
