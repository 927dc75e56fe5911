//! `GET /api/v2/profile/me/`: any authenticated user; one GetItem.

use crate::common::{authenticated_user, ok_json};
use lambda_http::{Body, Request, Response};
use shared::contract::ProfileResponse;
use shared::errors::{respond, MSG_PROFILE_NOT_INITIALIZED};
use shared::{media, ApiError, AppContext};

pub async fn handle(ctx: &AppContext, req: Request) -> Response<Body> {
    respond(run(ctx, &req).await)
}

async fn run(ctx: &AppContext, req: &Request) -> Result<Response<Body>, ApiError> {
    let (_, user) = authenticated_user(ctx, req).await?;
    if user.profile.is_none() {
        return Err(ApiError::NotFound(MSG_PROFILE_NOT_INITIALIZED.to_string()));
    }
    let image = media::display_url(&ctx.s3, &ctx.config, user.profile_str("peopleimg")).await;
    ok_json(&ProfileResponse::of(
        &user,
        image,
        user.effective_capabilities(&ctx.config),
    ))
}
