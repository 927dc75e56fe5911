//! Issuing a token pair: what login and refresh share.

use crate::handler::now_epoch;
use shared::auth::{random_token, refresh_token_hash, AccessTokenFor};
use shared::store::UserRecord;
use shared::{ApiError, AppContext};

/// The signer of a token-issuing function (its route declares it needs one).
pub fn signer(ctx: &AppContext) -> Result<&shared::auth::Signer, ApiError> {
    ctx.signer.as_ref().ok_or_else(|| {
        tracing::error!("JWT_PRIVATE_KEY is not configured for a token-issuing function");
        ApiError::Internal
    })
}

/// An access token carrying the user's effective flags.
pub fn access_token(ctx: &AppContext, user: &UserRecord) -> Result<String, ApiError> {
    signer(ctx)?.access_token(AccessTokenFor {
        principal: user.principal(),
        username: &user.username,
        capabilities: user.effective_capabilities(&ctx.config),
    })
}

/// A new access token and a new refresh token in `family_id`.
pub async fn issue_tokens(
    ctx: &AppContext,
    user: &UserRecord,
    family_id: &str,
) -> Result<(String, String), ApiError> {
    let access = access_token(ctx, user)?;
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
