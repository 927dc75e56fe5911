//! `POST /api/v2/onboarding/conversation/start/`: a new conversation; the
//! first question asks for the first missing field (a complete profile
//! answers `status: "completed"` at once). Optional body `{"locale": ...}`
//! (default `en-US`): numeric dates are read in its day/month order.

use super::{onboarding_user, profile_view, state};
use crate::handler::{created, now_epoch, Answer};
use dialogue::Conversation;
use lambda_http::Request;
use serde::Deserialize;
use shared::auth::random_token;
use shared::context::Needs;
use shared::contract::conversation::TurnRecord;
use shared::errors::FieldErrors;
use shared::request::{self, msg, push, Field, Files, RequestBody};
use shared::store::conversations::{StoredConversation, CONVERSATION_TTL_SECS};
use shared::{time, ApiError, AppContext};

#[cfg(feature = "openapi")]
use crate::docs::*;
#[cfg(feature = "openapi")]
use shared::contract::conversation::ConversationState;

pub const NEEDS: Needs = crate::routes::DB;

/// Body of `POST /api/v2/onboarding/conversation/start/` (optional).
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationStartRequest {
    /// A BCP 47 language tag such as `en-US` or `en-GB`, at most 35 characters
    /// (default `en-US`):
    /// numeric dates like `04/03/1990` are read in its day/month order.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<String>, max_length = 35, pattern = r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$", example = "en-GB")
    )]
    pub locale: Field<String>,
}

impl RequestBody for ConversationStartRequest {
    /// The locale.
    type Valid = String;

    fn validate(self, errors: &mut FieldErrors, _: &mut Files) -> Option<String> {
        let locale = self
            .locale
            .optional("locale", errors, msg::NOT_A_STRING)
            .unwrap_or_else(|| dialogue::DEFAULT_LOCALE.to_string());
        let mut parts = locale.split(['-', '_']);
        let language_ok = parts.next().is_some_and(|l| {
            (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_alphabetic())
        });
        let rest_ok = parts
            .all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
        if !(language_ok && rest_ok) || locale.len() > 35 {
            push(
                errors,
                "locale",
                "Enter a language tag such as en-US or en-GB.",
            );
            return None;
        }
        Some(locale)
    }
}

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let (principal, user) = onboarding_user(ctx, req).await?;
    let locale = request::json::<ConversationStartRequest>(req)?;
    let (conversation, reply) = Conversation::start(&profile_view(&user), &locale);
    let id = random_token(16);
    let first = TurnRecord {
        role: "assistant".into(),
        text: reply.message.clone(),
        at: time::iso(time::now()),
        spoken: false,
        understood: Default::default(),
    };
    let stored = StoredConversation {
        id: id.clone(),
        state: serde_json::to_string(&conversation).map_err(|_| ApiError::Internal)?,
        turns: serde_json::to_string(&[first]).map_err(|_| ApiError::Internal)?,
        version: 1,
        created_at: time::iso(time::now()),
        expires_at: now_epoch() + CONVERSATION_TTL_SECS,
    };
    ctx.store.create_conversation(&principal, &stored).await?;
    tracing::info!(
        user_id = principal.user_id,
        tenant_id = principal.tenant_id,
        "onboarding conversation started"
    );
    created(&state(&id, &reply))
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "startOnboardingConversation",
    tag: "onboarding",
    summary: "Start a conversation that fills in the profile",
    description: "The assistant asks for what the profile is missing, first missing field \
        first (date of birth, gender, date of joining; for the profile image it asks the \
        user to upload one through the image endpoints). A complete profile answers \
        `status: \"completed\"` at once. Optional body `{\"locale\": \"en-GB\"}` (default \
        `en-US`): numeric dates are read in the locale's day/month order. The conversation \
        lasts 24 hours.",
    access: Access::Capability(Capability::AccessOnboarding),
    params: &[],
    request: Some(RequestDoc {
        media_type: JSON,
        schema: schema_of::<ConversationStartRequest>,
        required: false,
        examples: &[example(
            "locale",
            "A British user",
            r#"{"locale": "en-GB"}"#,
        )],
        also: &[],
    }),
    responses: &[
        response(
            201,
            "Started.",
            schema_of::<ConversationState>,
            &[example(
                "first_question",
                "A new employee",
                r#"{"conversation_id": "b3JkZXJpbmdfdHVybnM", "status": "in_progress", "message": "Let's finish your profile. What is your date of birth? For example: 15 January 1990.", "expecting": "dateofbirth", "completion_percentage": 0, "missing_fields": [{"field": "peopleimg", "display_name": "Profile Image"}, {"field": "dateofbirth", "display_name": "Date of Birth"}, {"field": "dateofjoin", "display_name": "Date of Joining"}, {"field": "gender", "display_name": "Gender"}]}"#,
            )],
        ),
        R400_BODY,
        R401,
        R403_ONBOARDING,
        response(
            404,
            "The caller's profile was never created.",
            schema_of::<ErrorMessage>,
            &[example(
                "not_initialized",
                "No profile",
                r#"{"error": "User profile not fully initialized"}"#,
            )],
        ),
        R415_JSON,
        R500,
        R503,
    ],
};
