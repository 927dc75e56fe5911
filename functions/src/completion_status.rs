//! `GET /api/v2/profile/completion-status/`: onboarding access; one GetItem.

use crate::common::{authenticated_user, ok_json};
use lambda_http::{Body, Request, Response};
use shared::contract::CompletionStatus;
use shared::errors::respond;
use shared::guards::Guard;
use shared::http::RequestMeta;
use shared::{ApiError, AppContext};

pub async fn handle(ctx: &AppContext, req: Request) -> Response<Body> {
    respond(run(ctx, &req).await)
}

async fn run(ctx: &AppContext, req: &Request) -> Result<Response<Body>, ApiError> {
    let (principal, user) = authenticated_user(ctx, req).await?;
    Guard::OnboardingAccess.enforce(
        &ctx.config,
        &principal,
        &user.capabilities,
        &RequestMeta::of(req),
    )?;
    ok_json(&CompletionStatus::of(&user))
}
