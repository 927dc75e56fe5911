//! What the integrator passes back after validating, and what the bot answers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::profile::Field;

/// The result of validating and writing an [`crate::Understanding`]'s changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", content = "errors", rename_all = "snake_case")]
pub enum Outcome {
    /// The changes were written (also when there were none).
    Accepted,
    /// Nothing was written: the PATCH's field errors, `{"dateofbirth":
    /// ["Date of birth cannot be in the future"]}` (keys may carry a
    /// `profile.` prefix; other keys are shown too).
    Rejected(BTreeMap<String, Vec<String>>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    InProgress,
    /// Nothing left to ask: the profile is complete, or every missing field
    /// was skipped (then `completion_percentage` is below 100).
    Completed,
}

/// A missing required field, as the contract's `MissingFieldDto`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingField {
    pub field: String,
    pub display_name: String,
}

impl From<Field> for MissingField {
    fn from(f: Field) -> Self {
        MissingField {
            field: f.key().to_string(),
            display_name: f.display_name().to_string(),
        }
    }
}

/// The bot's answer to a turn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub status: Status,
    pub message: String,
    /// The question now asked; `None` once completed.
    pub expecting: Option<Field>,
    /// What this turn wrote: field key -> wire value.
    pub understood: BTreeMap<String, String>,
    /// In the contract's order: `peopleimg`, `dateofbirth`, `dateofjoin`, `gender`.
    pub missing_fields: Vec<MissingField>,
    pub completion_percentage: u8,
}
