//! `POST /api/v2/profile/mark-onboarding-complete/`: onboarding access.
//!
//! Every call does what the contract's "Backend Should Do" says
//! (`first_login_completed` always becomes true):
//! - `skipped: false`: `onboarding_completed_at` is now, `onboarding_skipped` false;
//! - `skipped: true`: `onboarding_completed_at` null, `onboarding_skipped` true,
//!   even after a completion.
//!
//! `people_extras.onboarding` becomes this call's record (its steps, time,
//! skip, version "1.0"); the record it replaces is appended to
//! `people_extras.onboarding_history` (the last 50 are kept), so nothing is lost.

use crate::handler::{authenticated_user, ok, retry_on_conflict, Answer};
use lambda_http::Request;
use serde::Deserialize;
use serde_json::Value;
use shared::context::Needs;
use shared::contract::MarkOnboardingCompleteResponse;
use shared::errors::FieldErrors;
use shared::guards::Guard;
use shared::http::RequestMeta;
use shared::profile::{canonical_step, ONBOARDING_RECORD_VERSION};
use shared::request::{self, msg, push, Field, Files, RequestBody};
use shared::store::attrs::{n, opt_s, s, AttributeValue, Item};
use shared::store::{StoreError, UserRecord};
use shared::{time, AppContext};

#[cfg(feature = "openapi")]
use crate::docs::*;

pub const NEEDS: Needs = crate::routes::DB;

const RECORD_KEY: &str = "onboarding";
const HISTORY_KEY: &str = "onboarding_history";
/// Records kept in the history: a user item must stay well under DynamoDB's
/// 400 KB, whatever a client repeats.
const MAX_HISTORY: usize = 50;

/// Body of `POST /api/v2/profile/mark-onboarding-complete/`: the mobile
/// `MarkOnboardingCompleteRequestDto`.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkOnboardingCompleteRequest {
    /// `false`: onboarding was completed; `true`: the user skipped it.
    #[cfg_attr(feature = "openapi", schema(value_type = bool, required = true))]
    #[serde(default)]
    pub skipped: Field<bool>,
    /// The steps the user went through (`profile` is read as the older name
    /// of `profile_setup`). Repeated names count once. Missing or `null`
    /// means none.
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
            match item.as_str().map(|name| (name, canonical_step(name))) {
                Some((_, Some(step))) => {
                    if !steps.iter().any(|s: &String| s == step) {
                        steps.push(step.to_string());
                    }
                }
                Some((name, None)) => {
                    push(errors, "completed_steps", format!("Invalid step: '{name}'"))
                }
                None => push(errors, "completed_steps", format!("Invalid step: {item}")),
            }
        }
        Some(MarkComplete {
            skipped: skipped?,
            steps,
        })
    }
}

/// A retry with the same `Idempotency-Key` gets the first answer again.
pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    crate::idempotency::once(ctx, req, "mark-onboarding-complete", handle(ctx, req)).await
}

async fn handle(ctx: &AppContext, req: &Request) -> Answer {
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
    // Every call states the outcome, as the contract's "Backend Should Do"
    // says: a completion is now, a skip clears it.
    let completed_at = (!request.skipped).then(|| time::iso(time::now()));
    let record: Item = [
        (
            "completed_steps",
            AttributeValue::L(request.steps.iter().map(|s| s.as_str()).map(s).collect()),
        ),
        ("completed_at", opt_s(completed_at.clone())),
        ("skipped", AttributeValue::Bool(request.skipped)),
        ("version", s(ONBOARDING_RECORD_VERSION)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();

    // The record this call replaces moves to the history (as it was stored:
    // legacy shapes included), so nothing is lost; the oldest go first once
    // the history is full.
    let mut extras = user.people_extras();
    let mut history = match extras.get(HISTORY_KEY) {
        Some(AttributeValue::L(items)) => items.clone(),
        _ => Vec::new(),
    };
    if let Some(previous) = extras.remove(RECORD_KEY) {
        history.push(previous);
    }
    let excess = history.len().saturating_sub(MAX_HISTORY);
    history.drain(..excess);
    if !history.is_empty() {
        extras.insert(HISTORY_KEY.into(), AttributeValue::L(history));
    }
    extras.insert(RECORD_KEY.into(), AttributeValue::M(record));

    ctx.store
        .update_user(
            &user.principal(),
            user.version,
            vec![
                ("first_login_completed", AttributeValue::Bool(true)),
                ("onboarding_completed_at", opt_s(completed_at)),
                ("onboarding_skipped", AttributeValue::Bool(request.skipped)),
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
        Every call states the outcome: completing sets `onboarding_completed_at` to now \
        and `onboarding_skipped` to false; skipping sets `onboarding_completed_at` to \
        null and `onboarding_skipped` to true, even after a completion. \
        `people_extras.onboarding` becomes this call's record (its steps; `profile` is \
        read as `profile_setup`); the record it replaces is kept in \
        `people_extras.onboarding_history`.",
    access: Access::Capability(Capability::AccessOnboarding),
    params: &[IDEMPOTENCY_KEY],
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
        R409_WITH_IDEMPOTENCY,
        R415_JSON,
        R422_IDEMPOTENCY,
        R500,
        R503,
    ],
};
