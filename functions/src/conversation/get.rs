//! `GET /api/v2/onboarding/conversation/{conversation_id}/`: the state and
//! the turns so far.

use super::{conversation_id, load, onboarding_user, profile_view, status_name};
use crate::handler::{ok, Answer};
use lambda_http::Request;
use shared::context::Needs;
use shared::contract::conversation::ConversationView;
use shared::contract::MissingField;
use shared::AppContext;

#[cfg(feature = "openapi")]
use super::doc::*;
#[cfg(feature = "openapi")]
use crate::docs::*;

pub const NEEDS: Needs = crate::routes::DB;

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let (principal, user) = onboarding_user(ctx, req).await?;
    let id = conversation_id(req)?;
    let loaded = load(ctx, &principal, &id).await?;
    let view = profile_view(&user);
    let conversation = &loaded.conversation;
    let message = loaded
        .turns
        .iter()
        .rev()
        .find(|t| t.role == "assistant")
        .map(|t| t.text.clone())
        .unwrap_or_default();
    let expires_at = chrono::DateTime::from_timestamp(loaded.stored.expires_at as i64, 0)
        .map(shared::time::iso)
        .unwrap_or_default();
    ok(&ConversationView {
        conversation_id: id,
        status: status_name(conversation.status()),
        message,
        expecting: conversation.expecting().map(|f| f.key().to_string()),
        completion_percentage: view.completion_percentage(),
        missing_fields: view
            .missing()
            .into_iter()
            .map(|f| MissingField {
                field: f.key().to_string(),
                display_name: f.display_name().to_string(),
            })
            .collect(),
        locale: conversation.locale().to_string(),
        created_at: loaded.stored.created_at.clone(),
        expires_at,
        turns: loaded.turns,
    })
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "getOnboardingConversation",
    tag: "onboarding",
    summary: "A conversation: its state and turns",
    description: "The conversation's state (the completion as the profile is now) and \
        every turn so far, oldest first.",
    access: Access::Capability(Capability::AccessOnboarding),
    params: &[CONVERSATION_ID],
    request: None,
    responses: &[
        response(200, "The conversation.", schema_of::<ConversationView>, &[]),
        R401,
        R403_ONBOARDING,
        R404_CONVERSATION,
        R500,
        R503,
    ],
};
