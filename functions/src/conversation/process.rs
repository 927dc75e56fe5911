//! `POST /api/v2/onboarding/conversation/{conversation_id}/process/`: a typed
//! message (1 to 500 characters), understood and answered.

use super::{conversation_id, onboarding_user, take_turn};
use crate::handler::{ok, Answer};
use lambda_http::Request;
use serde::Deserialize;
use shared::context::Needs;
use shared::errors::FieldErrors;
use shared::request::{self, push, Field, Files, RequestBody};
use shared::AppContext;

#[cfg(feature = "openapi")]
use super::doc::*;
#[cfg(feature = "openapi")]
use crate::docs::*;
#[cfg(feature = "openapi")]
use shared::contract::conversation::ConversationTurn;

pub const NEEDS: Needs = crate::routes::DB;

pub const MAX_MESSAGE_CHARS: usize = 500;

/// Body of `POST .../process/`.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationMessageRequest {
    /// What the user typed: "15 January 1990", "female", "skip", "go back",
    /// "actually my birthday is 3 March 1991"...
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, required = true, min_length = 1, max_length = 500, pattern = r"\S")
    )]
    pub message: Field<String>,
}

impl RequestBody for ConversationMessageRequest {
    type Valid = String;

    fn validate(self, errors: &mut FieldErrors, _: &mut Files) -> Option<String> {
        let message = self.message.required_text("message", errors)?;
        if message.chars().count() > MAX_MESSAGE_CHARS {
            push(
                errors,
                "message",
                format!("Ensure this field has no more than {MAX_MESSAGE_CHARS} characters."),
            );
            return None;
        }
        Some(message)
    }
}

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let (principal, user) = onboarding_user(ctx, req).await?;
    let id = conversation_id(req)?;
    let message = request::json::<ConversationMessageRequest>(req)?;
    ok(&take_turn(ctx, principal, user, &id, &message, false).await?)
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "processOnboardingMessage",
    tag: "onboarding",
    summary: "Answer the conversation with a typed message",
    description: "Understands the answers people type: dates in the common written forms \
        (\"15 January 1990\", \"Jan 15, 1990\", \"1990-01-15\", \"15/01/1990\" in the \
        conversation locale's day/month order; an ambiguous one is asked back), gender \
        words and synonyms, \"skip\", \"go back\", and corrections (\"actually my birthday \
        is 3 March 1991\"). Accepted values are written through the profile PATCH's rules \
        and show up in `GET /api/v2/profile/me/` at once; a value the rules refuse (a \
        future date of birth, joining before birth) gets the rule's message as a \
        re-prompt and nothing is written. `understood` lists what this message wrote.",
    access: Access::Capability(Capability::AccessOnboarding),
    params: &[CONVERSATION_ID],
    request: Some(RequestDoc {
        media_type: JSON,
        schema: schema_of::<ConversationMessageRequest>,
        required: true,
        examples: &[example(
            "date",
            "A date of birth",
            r#"{"message": "I was born on 15 January 1990"}"#,
        )],
        also: &[],
    }),
    responses: &[
        response(
            200,
            "Answered.",
            schema_of::<ConversationTurn>,
            &[example("saved", "A date of birth saved", TURN_EXAMPLE)],
        ),
        R400_BODY,
        R401,
        R403_ONBOARDING,
        R404_CONVERSATION,
        R409_MOVED_ON,
        R415_JSON,
        R500,
        R503,
    ],
};
