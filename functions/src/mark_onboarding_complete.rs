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

use crate::common::{authenticated_user, backoff, ok_json, reject_unknown, WRITE_ATTEMPTS};
use lambda_http::{Body, Request, Response};
use serde_json::Value;
use shared::contract::MarkOnboardingCompleteResponse;
use shared::errors::{respond, FieldErrors};
use shared::guards::Guard;
use shared::http::RequestMeta;
use shared::profile::{ONBOARDING_RECORD_VERSION, ONBOARDING_STEPS};
use shared::store::attrs::{get_map, n, opt_s, s, AttributeValue, Item};
use shared::store::{StoreError, UserRecord};
use shared::{http, time, ApiError, AppContext};

pub async fn handle(ctx: &AppContext, req: Request) -> Response<Body> {
    respond(run(ctx, &req).await)
}

struct Request_ {
    skipped: bool,
    steps: Vec<String>,
}

fn parse(req: &Request) -> Result<Request_, ApiError> {
    let body = http::json_object(req)?;
    let mut errors = FieldErrors::new();
    reject_unknown(&body, &["skipped", "completed_steps"], "", &mut errors);
    let skipped = match body.get("skipped") {
        Some(Value::Bool(b)) => Some(*b),
        None | Some(Value::Null) => {
            errors.insert("skipped".into(), vec!["This field is required.".into()]);
            None
        }
        Some(_) => {
            errors.insert("skipped".into(), vec!["Must be a valid boolean.".into()]);
            None
        }
    };
    let mut steps = Vec::new();
    match body.get("completed_steps") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            let mut invalid = Vec::new();
            for item in items {
                match item.as_str() {
                    Some(step) if ONBOARDING_STEPS.contains(&step) => {
                        if !steps.iter().any(|s: &String| s == step) {
                            steps.push(step.to_string());
                        }
                    }
                    Some(step) => invalid.push(format!("Invalid step: '{step}'")),
                    None => invalid.push(format!("Invalid step: {item}")),
                }
            }
            if !invalid.is_empty() {
                errors.insert("completed_steps".into(), invalid);
            }
        }
        Some(_) => {
            errors.insert(
                "completed_steps".into(),
                vec!["Expected a list of step names.".into()],
            );
        }
    }
    match skipped {
        Some(skipped) if errors.is_empty() => Ok(Request_ { skipped, steps }),
        _ => Err(ApiError::Validation(errors)),
    }
}

async fn run(ctx: &AppContext, req: &Request) -> Result<Response<Body>, ApiError> {
    let (principal, mut user) = authenticated_user(ctx, req).await?;
    Guard::OnboardingAccess.enforce(
        &ctx.config,
        &principal,
        &user.capabilities,
        &RequestMeta::of(req),
    )?;
    let request = parse(req)?;
    for attempt in 0..WRITE_ATTEMPTS {
        match write(ctx, &user, &request).await {
            Ok(updated) => {
                tracing::info!(
                    user_id = principal.user_id,
                    tenant_id = principal.tenant_id,
                    skipped = request.skipped,
                    "onboarding state recorded"
                );
                let status = shared::contract::OnboardingStatus::of(&updated);
                return ok_json(&MarkOnboardingCompleteResponse {
                    success: true,
                    onboarding_completed_at: status.onboarding_completed_at,
                    onboarding_skipped: status.onboarding_skipped,
                    first_login_completed: status.first_login_completed,
                });
            }
            Err(StoreError::Conflict) => {
                backoff(attempt).await;
                user = ctx
                    .store
                    .get_user(&principal)
                    .await?
                    .ok_or_else(ApiError::invalid_token)?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(StoreError::Conflict.into())
}

async fn write(
    ctx: &AppContext,
    user: &UserRecord,
    request: &Request_,
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
