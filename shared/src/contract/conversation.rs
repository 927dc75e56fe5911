//! Conversational onboarding answers (`/api/v2/onboarding/conversation/...`).

use super::MissingField;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a conversation stands: every answer carries it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationState {
    pub conversation_id: String,
    /// `in_progress`, or `completed` once nothing is left to ask (every
    /// missing field given or skipped: check `completion_percentage`).
    #[cfg_attr(feature = "openapi", schema(example = "in_progress"))]
    pub status: String,
    /// What the assistant says now: a question with an example answer, a
    /// re-prompt, or the closing words.
    pub message: String,
    /// The field the assistant asks for (`dateofbirth`, `gender`,
    /// `dateofjoin`, `peopleimg`), or `null`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub expecting: Option<String>,
    /// The profile's completion now, as the completion status reports it.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    pub completion_percentage: u8,
    /// The required fields still missing, in the completion status's order.
    pub missing_fields: Vec<MissingField>,
}

// The answers repeat the state's keys rather than flattening it: every
// answer is one closed object in the document, as the apps parse it.

/// `POST .../process/` answer: the state and what this message changed.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationTurn {
    pub conversation_id: String,
    /// `in_progress`, or `completed` once nothing is left to ask (every
    /// missing field given or skipped: check `completion_percentage`).
    #[cfg_attr(feature = "openapi", schema(example = "in_progress"))]
    pub status: String,
    /// What the assistant says now: a question with an example answer, a
    /// re-prompt, or the closing words.
    pub message: String,
    /// The field the assistant asks for (`dateofbirth`, `gender`,
    /// `dateofjoin`, `peopleimg`), or `null`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub expecting: Option<String>,
    /// The profile's completion now, as the completion status reports it.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    pub completion_percentage: u8,
    /// The required fields still missing, in the completion status's order.
    pub missing_fields: Vec<MissingField>,
    /// What this message wrote to the profile (field -> wire value, e.g.
    /// `{"dateofbirth": "1990-01-15"}`); empty when nothing was understood or
    /// the answer was refused.
    pub understood: BTreeMap<String, String>,
}

impl ConversationTurn {
    pub fn new(state: ConversationState, understood: BTreeMap<String, String>) -> Self {
        ConversationTurn {
            conversation_id: state.conversation_id,
            status: state.status,
            message: state.message,
            expecting: state.expecting,
            completion_percentage: state.completion_percentage,
            missing_fields: state.missing_fields,
            understood,
        }
    }
}

/// `POST .../voice/` answer: a turn, and what was heard.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationVoiceTurn {
    pub conversation_id: String,
    /// `in_progress`, or `completed` once nothing is left to ask (every
    /// missing field given or skipped: check `completion_percentage`).
    #[cfg_attr(feature = "openapi", schema(example = "in_progress"))]
    pub status: String,
    /// What the assistant says now: a question with an example answer, a
    /// re-prompt, or the closing words.
    pub message: String,
    /// The field the assistant asks for (`dateofbirth`, `gender`,
    /// `dateofjoin`, `peopleimg`), or `null`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub expecting: Option<String>,
    /// The profile's completion now, as the completion status reports it.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    pub completion_percentage: u8,
    /// The required fields still missing, in the completion status's order.
    pub missing_fields: Vec<MissingField>,
    /// What this message wrote to the profile (field -> wire value, e.g.
    /// `{"dateofbirth": "1990-01-15"}`); empty when nothing was understood or
    /// the answer was refused.
    pub understood: BTreeMap<String, String>,
    /// The recognised words, lowercase; `""` when no speech was recognised.
    pub transcript: String,
}

impl ConversationVoiceTurn {
    pub fn new(turn: ConversationTurn, transcript: String) -> Self {
        ConversationVoiceTurn {
            conversation_id: turn.conversation_id,
            status: turn.status,
            message: turn.message,
            expecting: turn.expecting,
            completion_percentage: turn.completion_percentage,
            missing_fields: turn.missing_fields,
            understood: turn.understood,
            transcript,
        }
    }
}

/// One turn of a conversation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TurnRecord {
    /// `assistant` or `user`.
    pub role: String,
    /// What was said (for a spoken message, the transcript).
    pub text: String,
    /// ISO 8601 UTC.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub at: String,
    /// `true` for a spoken message.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub spoken: bool,
    /// What an assistant turn wrote to the profile.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub understood: BTreeMap<String, String>,
}

/// `GET .../{conversation_id}/` answer: the state and the turns so far.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationView {
    pub conversation_id: String,
    /// `in_progress`, or `completed` once nothing is left to ask (every
    /// missing field given or skipped: check `completion_percentage`).
    #[cfg_attr(feature = "openapi", schema(example = "in_progress"))]
    pub status: String,
    /// What the assistant says now: a question with an example answer, a
    /// re-prompt, or the closing words.
    pub message: String,
    /// The field the assistant asks for (`dateofbirth`, `gender`,
    /// `dateofjoin`, `peopleimg`), or `null`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub expecting: Option<String>,
    /// The profile's completion now, as the completion status reports it.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    pub completion_percentage: u8,
    /// The required fields still missing, in the completion status's order.
    pub missing_fields: Vec<MissingField>,
    /// The conversation's locale (numeric dates are read in its order).
    pub locale: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
    /// After this the conversation is gone (24 hours after it started).
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub expires_at: String,
    pub turns: Vec<TurnRecord>,
}
