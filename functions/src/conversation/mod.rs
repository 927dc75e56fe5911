//! Conversational onboarding, behind `canAccessOnboarding` (voice input also
//! behind `canUseVoiceFeatures`): the user finishes their profile by talking.
//! The `dialogue` crate understands the answers and picks the next question;
//! accepted values go through the profile PATCH's own request type, rules
//! and version-conditional write (`crate::profile`), in the same transaction
//! as the turn, so two racing messages never both answer one question.

pub mod get;
pub mod process;
pub mod start;
pub mod voice;

use crate::handler::{authenticated_user, retry, WriteError};
use crate::profile::change::{self, ProfileChange};
use crate::profile::update::ProfileUpdateRequest;
use chrono::NaiveDate;
use dialogue::{Conversation, Outcome, ProfileView, Reply};
use lambda_http::{Request, RequestExt};
use shared::auth::Principal;
use shared::contract::conversation::{ConversationState, ConversationTurn, TurnRecord};
use shared::contract::MissingField;
use shared::errors::{FieldErrors, MSG_PROFILE_NOT_INITIALIZED};
use shared::guards::Guard;
use shared::http::RequestMeta;
use shared::request::{self, Files};
use shared::store::conversations::StoredConversation;
use shared::store::UserRecord;
use shared::{time, ApiError, AppContext};

pub const MSG_NOT_FOUND: &str = "Conversation not found";
pub const MSG_MOVED_ON: &str =
    "This conversation moved on: another message was answered first. Get the conversation \
     again and answer its new question.";
/// Turns kept in a conversation (the oldest go first): an item stays small.
const MAX_TURNS: usize = 200;

/// The caller, if onboarding is open to them, with a profile to fill.
pub async fn onboarding_user(
    ctx: &AppContext,
    req: &Request,
) -> Result<(Principal, UserRecord), ApiError> {
    let (principal, user) = authenticated_user(ctx, req).await?;
    Guard::OnboardingAccess.enforce(
        &ctx.config,
        &principal,
        &user.capabilities,
        &RequestMeta::of(req),
    )?;
    if user.profile.is_none() {
        return Err(ApiError::NotFound(MSG_PROFILE_NOT_INITIALIZED.into()));
    }
    Ok((principal, user))
}

fn not_found() -> ApiError {
    ApiError::NotFound(MSG_NOT_FOUND.into())
}

/// The `{conversation_id}` path parameter; anything that is not an id we
/// issue is answered like a missing conversation.
pub fn conversation_id(req: &Request) -> Result<String, ApiError> {
    req.path_parameters_ref()
        .and_then(|p| p.first("conversation_id"))
        .filter(|id| {
            (8..=64).contains(&id.len())
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_string)
        .ok_or_else(not_found)
}

/// The profile as the dialogue sees it.
pub fn profile_view(user: &UserRecord) -> ProfileView {
    let date = |field: &str| {
        user.profile_str(field)
            .and_then(|d| shared::time::parse_date(&d).ok())
    };
    ProfileView {
        dateofbirth: date("dateofbirth"),
        dateofjoin: date("dateofjoin"),
        gender: user
            .gender()
            .and_then(|g| dialogue::Gender::from_wire(g.as_wire())),
        has_image: user.profile_str("peopleimg").is_some(),
    }
}

/// A reply as the API answers it.
pub fn state(id: &str, reply: &Reply) -> ConversationState {
    ConversationState {
        conversation_id: id.to_string(),
        status: status_name(reply.status),
        message: reply.message.clone(),
        expecting: reply.expecting.map(|f| f.key().to_string()),
        completion_percentage: reply.completion_percentage,
        missing_fields: reply
            .missing_fields
            .iter()
            .map(|m| MissingField {
                field: m.field.clone(),
                display_name: m.display_name.clone(),
            })
            .collect(),
    }
}

pub fn status_name(status: dialogue::Status) -> String {
    match status {
        dialogue::Status::InProgress => "in_progress",
        dialogue::Status::Completed => "completed",
    }
    .to_string()
}

/// A stored conversation, read back.
#[derive(Clone)]
pub struct Loaded {
    pub stored: StoredConversation,
    pub conversation: Conversation,
    pub turns: Vec<TurnRecord>,
}

/// The caller's conversation `id`, or the contract's 404.
pub async fn load(ctx: &AppContext, principal: &Principal, id: &str) -> Result<Loaded, ApiError> {
    let now = crate::handler::now_epoch();
    let stored = ctx
        .store
        .get_conversation(principal, id, now)
        .await?
        .ok_or_else(not_found)?;
    let conversation: Conversation = serde_json::from_str(&stored.state).map_err(|e| {
        tracing::error!(error = %e, "a stored conversation does not read back");
        ApiError::Internal
    })?;
    let turns: Vec<TurnRecord> = serde_json::from_str(&stored.turns).unwrap_or_default();
    Ok(Loaded {
        stored,
        conversation,
        turns,
    })
}

/// The user's calendar day (UTC: the API knows no user time zone).
fn today() -> NaiveDate {
    time::now().date_naive()
}

fn turn(role: &str, text: &str, spoken: bool) -> TurnRecord {
    TurnRecord {
        role: role.to_string(),
        text: text.to_string(),
        at: time::iso(time::now()),
        spoken,
        understood: Default::default(),
    }
}

/// One message of the user: understood, the values it gives checked by the
/// profile PATCH's request type and rules, the reply chosen on the profile
/// as it will be, and the turn written with the profile change in one
/// transaction conditional on both versions. A message that lost the race
/// to another on the same conversation is a 409; a concurrent change of the
/// profile elsewhere is re-read and the message understood again.
pub async fn take_turn(
    ctx: &AppContext,
    principal: Principal,
    user: UserRecord,
    id: &str,
    message: &str,
    spoken: bool,
) -> Result<ConversationTurn, ApiError> {
    let loaded = load(ctx, &principal, id).await?;
    let first_version = loaded.stored.version;
    let reload = || async {
        let loaded = load(ctx, &principal, id).await?;
        let user = ctx
            .store
            .get_user(&principal)
            .await?
            .ok_or_else(ApiError::invalid_token)?;
        Ok((loaded, user))
    };
    retry((loaded, user), reload, |(loaded, user)| async move {
        if loaded.stored.version != first_version {
            return Err(WriteError::Fail(ApiError::Conflict(MSG_MOVED_ON.into())));
        }
        one_turn(ctx, &principal, loaded, user, message, spoken).await
    })
    .await
}

async fn one_turn(
    ctx: &AppContext,
    principal: &Principal,
    loaded: Loaded,
    user: UserRecord,
    message: &str,
    spoken: bool,
) -> Result<ConversationTurn, WriteError> {
    let Loaded {
        stored,
        mut conversation,
        mut turns,
    } = loaded;
    let understanding = conversation.understand(message, today());
    let patch = understanding.profile_patch();
    let (outcome, update, after) = if patch.is_empty() {
        (Outcome::Accepted, None, user)
    } else {
        match checked_change(ctx, principal, &user, &patch).await? {
            Err(errors) => (Outcome::Rejected(errors), None, user),
            Ok(change) => {
                let sets = change::sets(&user, &change, &[]);
                let update = ctx
                    .store
                    .user_update(principal, user.version, sets.clone())?;
                (Outcome::Accepted, Some(update), with_sets(&user, sets)?)
            }
        }
    };
    let reply = conversation.apply(&understanding, &outcome, &profile_view(&after));
    turns.push(turn("user", message, spoken));
    let mut answer = turn("assistant", &reply.message, false);
    answer.understood = reply.understood.clone();
    turns.push(answer);
    let excess = turns.len().saturating_sub(MAX_TURNS);
    turns.drain(..excess);
    let next = StoredConversation {
        state: serde_json::to_string(&conversation).map_err(internal)?,
        turns: serde_json::to_string(&turns).map_err(internal)?,
        version: stored.version + 1,
        ..stored.clone()
    };
    ctx.store
        .write_turn(principal, stored.version, &next, update)
        .await?;
    if !reply.understood.is_empty() {
        tracing::info!(
            user_id = principal.user_id,
            tenant_id = principal.tenant_id,
            fields = ?reply.understood.keys().collect::<Vec<_>>(),
            "profile updated by the conversation"
        );
    }
    Ok(ConversationTurn::new(
        state(&stored.id, &reply),
        reply.understood,
    ))
}

/// The values as a profile change, through the PATCH's own request type
/// (formats, ranges) and rules (the date rules against the stored profile):
/// `Err` carries the field errors for the re-prompt; nothing is written.
async fn checked_change(
    ctx: &AppContext,
    principal: &Principal,
    user: &UserRecord,
    patch: &std::collections::BTreeMap<String, String>,
) -> Result<Result<ProfileChange, FieldErrors>, ApiError> {
    let body = serde_json::json!({ "profile": patch });
    let object = body.as_object().cloned().unwrap_or_default();
    let mut errors = FieldErrors::new();
    let change = request::from_object::<ProfileUpdateRequest>(
        object,
        "",
        &mut errors,
        &mut Files::default(),
    )
    .unwrap_or_default();
    change::check(ctx, principal, user, &change, &mut errors).await?;
    Ok(if errors.is_empty() {
        Ok(change)
    } else {
        Err(errors)
    })
}

/// `user` as it will be once `sets` are written.
fn with_sets(
    user: &UserRecord,
    sets: Vec<(&'static str, shared::store::attrs::AttributeValue)>,
) -> Result<UserRecord, ApiError> {
    let mut item = user.item.clone();
    for (k, v) in sets {
        item.insert(k.to_string(), v);
    }
    UserRecord::from_item(item).map_err(ApiError::from)
}

fn internal(e: serde_json::Error) -> WriteError {
    tracing::error!(error = %e, "a conversation does not serialise");
    WriteError::Fail(ApiError::Internal)
}

#[cfg(feature = "openapi")]
pub(crate) mod doc {
    use crate::docs::*;

    /// The conversation id in the path.
    pub const CONVERSATION_ID: ParamDoc = ParamDoc {
        name: "conversation_id",
        location: ParamIn::Path,
        description: "The `conversation_id` from the start.",
        required: true,
        value: ParamType::String,
    };

    pub const R404_CONVERSATION: ResponseDoc = response(
        404,
        "No such conversation for the caller: unknown, expired (conversations last 24 \
         hours), or another user's or tenant's.",
        schema_of::<ErrorMessage>,
        &[example(
            "not_found",
            "Unknown or someone else's",
            r#"{"error": "Conversation not found"}"#,
        )],
    );

    pub const R409_MOVED_ON: ResponseDoc = response(
        409,
        "Another message on this conversation was answered first (two messages never \
         answer the same question): get the conversation and answer its new question.",
        schema_of::<ErrorMessage>,
        &[example(
            "moved_on",
            "A racing message",
            r#"{"error": "This conversation moved on: another message was answered first. Get the conversation again and answer its new question."}"#,
        )],
    );

    pub const TURN_EXAMPLE: &str = r#"{"conversation_id": "b3JkZXJpbmdfdHVybnM", "status": "in_progress", "message": "Thanks, I saved your date of birth as 15 January 1990. What is your gender? For example: female.", "expecting": "gender", "completion_percentage": 25, "missing_fields": [{"field": "peopleimg", "display_name": "Profile Image"}, {"field": "dateofjoin", "display_name": "Date of Joining"}, {"field": "gender", "display_name": "Gender"}], "understood": {"dateofbirth": "1990-01-15"}}"#;
}
