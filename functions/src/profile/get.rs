//! `GET /api/v2/profile/me/`: any authenticated user; one GetItem.

use crate::handler::{authenticated_user, ok, Answer};
use lambda_http::Request;
use shared::context::Needs;
use shared::errors::MSG_PROFILE_NOT_INITIALIZED;
use shared::{http, ApiError, AppContext};

#[cfg(feature = "openapi")]
use crate::docs::*;

pub const NEEDS: Needs = crate::routes::MEDIA;

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let (_, user) = authenticated_user(ctx, req).await?;
    if user.profile.is_none() {
        return Err(ApiError::NotFound(MSG_PROFILE_NOT_INITIALIZED.to_string()));
    }
    let include = http::includes(req, super::INCLUDES)?;
    ok(&super::answer(ctx, &user, &include).await?)
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "getProfile",
    tag: "profile",
    summary: "The caller's profile (Endpoint 1)",
    description: "The user, their capabilities, profile, organizational placement and \
        onboarding state in one answer. `profile.profile_completion_percentage` is \
        computed from the stored fields on every read.",
    access: Access::Bearer,
    params: &[INCLUDE_DATEOFREPORT],
    request: None,
    responses: &[
        response(
            200,
            "The profile.",
            schema_of::<ProfileResponse>,
            &[EX_PROFILE_ME],
        ),
        response(
            400,
            "An unknown `include` value.",
            schema_of::<ValidationErrors>,
            &[example(
                "include",
                "An addition this route does not have",
                r#"{"errors": {"include": ["Unknown value 'x'. Allowed here: dateofreport."]}}"#,
            )],
        ),
        R401,
        response(
            404,
            "The user's profile part was never created.",
            schema_of::<ErrorMessage>,
            &[example(
                "contract",
                "The contract's Endpoint 1 404 example",
                contract_fixture!("profile_me_404.json"),
            )],
        ),
        R500,
        R503,
    ],
};
