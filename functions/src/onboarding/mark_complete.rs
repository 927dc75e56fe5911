//! `POST /api/v2/profile/mark-onboarding-complete/`: onboarding access.
//!
//! Transitions (first_login_completed always becomes true):
//! - not started or skipped -> completed (`skipped: false`): completion time is now;
//! - not started -> skipped (`skipped: true`): no completion time;
//! - completed -> completed: the first completion time is kept (repeating is safe);
//! - completed -> skip: nothing changes; the answer shows the completed state.
//!
//! Steps are recorded in `people_extras.onboarding` (version "1.0"); steps
//! reported by earlier calls are kept.

use crate::handler::{authenticated_user, ok, retry_on_conflict, Answer};
use lambda_http::Request;
use serde::Deserialize;
use serde_json::Value;
use shared::context::Needs;
use shared::contract::MarkOnboardingCompleteResponse;
use shared::errors::FieldErrors;
use shared::guards::Guard;
use shared::http::RequestMeta;
use shared::profile::{ONBOARDING_RECORD_VERSION, ONBOARDING_STEPS};
use shared::request::{self, msg, push, Field, Files, RequestBody};
use shared::store::attrs::{get_map, n, opt_s, s, AttributeValue, Item};
use shared::store::{StoreError, UserRecord};
use shared::{time, AppContext};

#[cfg(feature = "openapi")]
use crate::docs::*;

pub const NEEDS: Needs = crate::routes::DB;

/// Body of `POST /api/v2/profile/mark-onboarding-complete/`: the mobile
/// `MarkOnboardingCompleteRequestDto`.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkOnboardingCompleteRequest {
    /// `false`: onboarding was completed; `true`: the user skipped it.
    #[cfg_attr(feature = "openapi", schema(value_type = bool, required = true))]
    #[serde(default)]
    pub skipped: Field<bool>,
    /// The steps the user went through. Repeated names count once; steps from
    /// earlier calls are kept. Missing or `null` means none.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<Vec<shared::contract::OnboardingStep>>)
    )]
    #[serde(default)]
    pub completed_steps: Field<Vec<Value>>,
}

/// A validated mark-complete call.
pub struct MarkComplete {
    pub skipped: bool,
    /// Known step names, each once, in the order sent.
    pub steps: Vec<String>,
}

impl RequestBody for MarkOnboardingCompleteRequest {
    type Valid = MarkComplete;

    fn validate(self, errors: &mut FieldErrors, _: &mut Files) -> Option<MarkComplete> {
        let skipped = self.skipped.required("skipped", errors, msg::NOT_A_BOOLEAN);
        let mut steps = Vec::new();
        let items = self
            .completed_steps
            .optional("completed_steps", errors, "Expected a list of step names.")
            .unwrap_or_default();
        for item in items {
            match item.as_str() {
                Some(step) if ONBOARDING_STEPS.contains(&step) => {
                    if !steps.iter().any(|s: &String| s == step) {
                        steps.push(step.to_string());
                    }
                }
                Some(step) => push(errors, "completed_steps", format!("Invalid step: '{step}'")),
                None => push(errors, "completed_steps", format!("Invalid step: {item}")),
            }
        }
        Some(MarkComplete {
            skipped: skipped?,
            steps,
        })
    }
}

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let (principal, user) = authenticated_user(ctx, req).await?;
    Guard::OnboardingAccess.enforce(
        &ctx.config,
        &principal,
        &user.capabilities,
        &RequestMeta::of(req),
    )?;
    let request = request::json::<MarkOnboardingCompleteRequest>(req)?;
    let request = &request;
    let updated = retry_on_conflict(ctx, &principal, user, |user| async move {
        Ok(write(ctx, &user, request).await?)
    })
    .await?;
    tracing::info!(
        user_id = principal.user_id,
        tenant_id = principal.tenant_id,
        skipped = request.skipped,
        "onboarding state recorded"
    );
    let status = shared::contract::OnboardingStatus::of(&updated);
    ok(&MarkOnboardingCompleteResponse {
        success: true,
        onboarding_completed_at: status.onboarding_completed_at,
        onboarding_skipped: status.onboarding_skipped,
        first_login_completed: status.first_login_completed,
    })
}

async fn write(
    ctx: &AppContext,
    user: &UserRecord,
    request: &MarkComplete,
) -> Result<UserRecord, StoreError> {
    let already_completed = user.onboarding_completed_at.clone();
    let (completed_at, skipped) = match (&already_completed, request.skipped) {
        (Some(at), _) => (Some(at.clone()), false),
        (None, false) => (Some(time::iso(time::now())), false),
        (None, true) => (None, true),
    };

    let mut extras = user.people_extras();
    let mut record: Item = get_map(&extras, "onboarding").cloned().unwrap_or_default();
    // Stored steps are kept as they are (legacy writers used a string set).
    let mut steps: Vec<AttributeValue> = match record.get("completed_steps") {
        Some(AttributeValue::L(l)) => l.clone(),
        Some(AttributeValue::Ss(set)) => set.iter().cloned().map(AttributeValue::S).collect(),
        _ => Vec::new(),
    };
    for step in &request.steps {
        let step = AttributeValue::S(step.clone());
        if !steps.contains(&step) {
            steps.push(step);
        }
    }
    record.insert("completed_steps".into(), AttributeValue::L(steps));
    record.insert("completed_at".into(), opt_s(completed_at.clone()));
    record.insert("skipped".into(), AttributeValue::Bool(skipped));
    record.insert("version".into(), s(ONBOARDING_RECORD_VERSION));
    extras.insert("onboarding".into(), AttributeValue::M(record));

    ctx.store
        .update_user(
            &user.principal(),
            user.version,
            vec![
                ("first_login_completed", AttributeValue::Bool(true)),
                ("onboarding_completed_at", opt_s(completed_at)),
                ("onboarding_skipped", AttributeValue::Bool(skipped)),
                ("people_extras", AttributeValue::M(extras)),
                // Legacy items may lack it (or hold a stale one): it always
                // matches the profile this conditional write is based on.
                (
                    "profile_completion_percentage",
                    n(user.presence().percentage() as u64),
                ),
            ],
        )
        .await
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "markOnboardingComplete",
    tag: "onboarding",
    summary: "Complete or skip onboarding (Endpoint 5)",
    description: "Records that the user completed (`skipped: false`) or skipped \
        (`skipped: true`) onboarding; `first_login_completed` becomes true either way. \
        Completing sets `onboarding_completed_at` to now, unless onboarding was already \
        completed: then the first completion time is kept (repeating is safe). \
        Skipping after a completion changes nothing. Completing after a skip is \
        allowed. The steps are added to those recorded by earlier calls.",
    access: Access::Capability(Capability::AccessOnboarding),
    params: &[],
    request: Some(RequestDoc {
        media_type: JSON,
        schema: schema_of::<MarkOnboardingCompleteRequest>,
        required: true,
        examples: &[
            example(
                "contract",
                "The contract's Endpoint 5 example",
                contract_fixture!("mark_complete_request.json"),
            ),
            example(
                "skip",
                "The contract's skip flow",
                r#"{"skipped": true, "completed_steps": []}"#,
            ),
        ],
        also: &[],
    }),
    responses: &[
        response(
            200,
            "The onboarding state after the call.",
            schema_of::<MarkOnboardingCompleteResponse>,
            &[
                example(
                    "contract",
                    "The contract's Endpoint 5 example",
                    contract_fixture!("mark_complete_response.json"),
                ),
                example(
                    "skipped",
                    "After a skip of a never-completed onboarding",
                    r#"{"success": true, "onboarding_completed_at": null, "onboarding_skipped": true, "first_login_completed": true}"#,
                ),
            ],
        ),
        response(
            400,
            "`skipped` is missing or not a boolean, `completed_steps` is not a list of \
             known steps, or an unknown key was sent; nothing was written.",
            schema_of::<ValidationErrors>,
            &[example(
                "contract",
                "The contract's Endpoint 5 400 example",
                contract_fixture!("mark_complete_400.json"),
            )],
        ),
        R401,
        R403_ONBOARDING,
        R409,
        R500,
        R503,
    ],
};
