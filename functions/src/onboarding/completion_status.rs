//! `GET /api/v2/profile/completion-status/`: onboarding access; one GetItem.

use crate::handler::{authenticated_user, ok, Answer};
use lambda_http::Request;
use shared::context::Needs;
use shared::contract::CompletionStatus;
use shared::guards::Guard;
use shared::http::RequestMeta;
use shared::AppContext;

#[cfg(feature = "openapi")]
use crate::docs::*;

pub const NEEDS: Needs = crate::routes::DB;

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let (principal, user) = authenticated_user(ctx, req).await?;
    Guard::OnboardingAccess.enforce(
        &ctx.config,
        &principal,
        &user.capabilities,
        &RequestMeta::of(req),
    )?;
    ok(&CompletionStatus::of(&user))
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "getCompletionStatus",
    tag: "onboarding",
    summary: "Profile completion and onboarding state (Endpoint 4)",
    description: "The mobile `ProfileCompletionDto`. `completion_percentage` counts a \
        quarter for each of `peopleimg`, `dateofbirth`, `dateofjoin` and `gender`; \
        `missing_fields` lists the others in that order; `is_complete` is \
        `completion_percentage == 100`; `can_skip_onboarding` is \
        `completion_percentage >= 50`; `has_completed_onboarding` is true only once \
        onboarding was completed (a skip is not a completion).",
    access: Access::Capability(Capability::AccessOnboarding),
    params: &[],
    request: None,
    responses: &[
        response(
            200,
            "The completion status.",
            schema_of::<CompletionStatus>,
            &[
                example(
                    "contract",
                    "The contract's Endpoint 4 example",
                    contract_fixture!("completion_status.json"),
                ),
                example(
                    "incomplete_profile",
                    "The contract's Example 1: incomplete profile",
                    contract_fixture!("completion_status_example_1.json"),
                ),
                example(
                    "onboarding_done",
                    "The contract's Example 2: complete profile, onboarding done",
                    r#"{
"is_complete": true,
"completion_percentage": 100,
"missing_fields": [],
"has_completed_onboarding": true,
"onboarding_completed_at": "2025-11-10T14:30:00Z",
"onboarding_skipped": false,
"first_login_completed": true,
"can_skip_onboarding": true,
"required_documents": [],
"onboarding_workflow_state": null
}"#,
                ),
            ],
        ),
        R401,
        R403_ONBOARDING,
        R500,
        R503,
    ],
};
