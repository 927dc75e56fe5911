//! `POST /api/v2/auth/refresh/`: a refresh token for a new access token and a
//! new refresh token. Each refresh token works once; presenting one that was
//! already rotated revokes its whole family (someone copied it), except
//! within a short grace window after its rotation, where it returns the same
//! pair again (a mobile app retrying on a flaky network must not be logged out).

use super::tokens::access_token;
use crate::handler::{now_epoch, ok, Answer};
use lambda_http::Request;
use serde::Deserialize;
use shared::auth::{open_successor, random_token, refresh_token_hash, seal_successor};
use shared::context::Needs;
use shared::contract::RefreshResponse;
use shared::errors::{FieldErrors, MSG_REFRESH_INVALID};
use shared::request::{self, Field, Files, RequestBody};
use shared::store::{RefreshRecord, RotateOutcome, Rotation};
use shared::{ApiError, AppContext};

#[cfg(feature = "openapi")]
use crate::docs::*;

pub const NEEDS: Needs = crate::routes::TOKENS;

/// Body of `POST /api/v2/auth/refresh/`.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    /// The refresh token from the login or the previous refresh.
    #[cfg_attr(feature = "openapi", schema(value_type = String, required = true, min_length = 1))]
    #[serde(default)]
    pub refresh: Field<String>,
}

impl RequestBody for RefreshRequest {
    /// The refresh token.
    type Valid = String;

    fn validate(self, errors: &mut FieldErrors, _: &mut Files) -> Option<String> {
        self.refresh.required_text("refresh", errors)
    }
}

fn invalid() -> ApiError {
    ApiError::Unauthenticated {
        detail: MSG_REFRESH_INVALID,
        code: Some("token_not_valid"),
    }
}

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let token = request::json::<RefreshRequest>(req)?;
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
    let access = access_token(ctx, &user)?;
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
        RotateOutcome::Rotated => ok(&RefreshResponse {
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
) -> Answer {
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
            return ok(&RefreshResponse { access, refresh });
        }
    }
    ctx.store
        .revoke_family(&record.family_id, family_expiry)
        .await?;
    tracing::warn!(target: "audit", event = "refresh_token_reuse", user_id = record.principal.user_id, tenant_id = record.principal.tenant_id, "rotated refresh token presented again; family revoked");
    Err(invalid())
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "refreshToken",
    tag: "auth",
    summary: "A new access token for a refresh token",
    description: "Each refresh token works once: the answer carries the next one. \
        Presenting a refresh token again within 30 seconds of its use returns the same \
        pair again (a retry on a flaky network keeps the session); presenting it later \
        revokes every token of its login (someone copied it), so a client must always \
        keep the newest one.",
    access: Access::RefreshToken,
    params: &[],
    request: Some(RequestDoc {
        media_type: JSON,
        schema: schema_of::<RefreshRequest>,
        required: true,
        examples: &[example(
            "refresh",
            "The refresh token from the login",
            r#"{"refresh": "b2xkLXJlZnJlc2gtdG9rZW4tZXhhbXBsZS12YWx1ZQ"}"#,
        )],
        also: &[],
    }),
    responses: &[
        response(
            200,
            "New tokens.",
            schema_of::<RefreshResponse>,
            &[example(
                "refreshed",
                "New tokens",
                r#"{"access": "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIzIn0.c2lnbmF0dXJl", "refresh": "bmV4dC1yZWZyZXNoLXRva2VuLWV4YW1wbGUtdmFsdWU"}"#,
            )],
        ),
        R400_BODY,
        response(
            401,
            "The refresh token is unknown, expired, already used or revoked, or its user \
             is gone or inactive.",
            schema_of::<ErrorDetail>,
            &[example(
                "token_not_valid",
                "An unusable refresh token",
                r#"{"detail": "Token is invalid or expired", "code": "token_not_valid"}"#,
            )],
        ),
        R415_JSON,
        R500,
        R503,
    ],
};
