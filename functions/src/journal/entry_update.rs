//! `PATCH /api/v2/journal/entries/{id}/`: must carry the `version` it read;
//! a stale one is a 409 and writes nothing; a success increments `version`.

use super::entry_fields::{self, EntryInput};
use super::{entry_response, own_entry};
use crate::handler::{ok, Answer};
use lambda_http::Request;
use serde::Deserialize;
use serde_json::{Map, Value};
use shared::context::Needs;
use shared::contract::journal::EntryFields;
use shared::errors::FieldErrors;
use shared::request::{self, push, Field, Files, RequestBody};
use shared::store::StoreError;
use shared::{ApiError, AppContext};

#[cfg(feature = "openapi")]
use super::entry_fields::WellbeingMetricsInput;
#[cfg(feature = "openapi")]
use crate::docs::*;
#[cfg(feature = "openapi")]
use shared::contract::{EntryType, PrivacyScope};

pub const NEEDS: Needs = crate::routes::MEDIA;

/// Body of `PATCH /api/v2/journal/entries/{id}/`: `version` (the one last
/// read) and the keys to change, with the rules of the create body. Only the
/// keys sent are changed; `wellbeing_metrics: null` clears the metrics. A
/// stale `version` is a 409 and nothing is written.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JournalEntryUpdateRequest {
    /// The entry's `version` as last read.
    #[cfg_attr(feature = "openapi", schema(value_type = u64, required = true, minimum = 1))]
    #[serde(default)]
    pub version: Field<Value>,
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<EntryType>, nullable = false)
    )]
    #[serde(default)]
    pub entry_type: Field<Value>,
    /// 1-200 characters, not blank; surrounding spaces are removed.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<String>, min_length = 1, max_length = 200, pattern = r"\S", nullable = false)
    )]
    #[serde(default)]
    pub title: Field<Value>,
    /// At most 20000 characters (`""` empties it; `null` is refused).
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<String>, max_length = 20000, nullable = false)
    )]
    #[serde(default)]
    pub content: Field<Value>,
    /// ISO 8601 with a zone offset, year 1970-9999 in UTC (the document
    /// promises 1971-9998, which no zone offset can push out of range).
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<String>, format = DateTime, nullable = false, pattern = r"^(197[1-9]|19[89][0-9]|[2-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])-")
    )]
    #[serde(default)]
    pub timestamp: Field<Value>,
    /// Replaces the metrics; `null` clears them.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<WellbeingMetricsInput>))]
    #[serde(default)]
    pub wellbeing_metrics: Field<Map<String, Value>>,
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<PrivacyScope>, nullable = false)
    )]
    #[serde(default)]
    pub privacy_scope: Field<Value>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<bool>, nullable = false))]
    #[serde(default)]
    pub consent_given: Field<Value>,
}

/// A validated PATCH: the version read and the fields to change.
pub struct EntryUpdate {
    pub version: u64,
    pub fields: EntryFields,
}

impl RequestBody for JournalEntryUpdateRequest {
    type Valid = EntryUpdate;

    fn validate(self, errors: &mut FieldErrors, _: &mut Files) -> Option<EntryUpdate> {
        let version = match self.version {
            Field::Value(Value::Number(n)) if n.as_u64().is_some_and(|v| v >= 1) => n.as_u64(),
            Field::Absent | Field::Null => {
                push(
                    errors,
                    "version",
                    "This field is required: send the version you read.",
                );
                None
            }
            _ => {
                push(errors, "version", "A positive whole number is required.");
                None
            }
        };
        let input = EntryInput {
            entry_type: self.entry_type,
            title: self.title,
            content: self.content,
            timestamp: self.timestamp,
            wellbeing_metrics: self.wellbeing_metrics,
            privacy_scope: self.privacy_scope,
            consent_given: self.consent_given,
        };
        let fields = entry_fields::validate(input, false, errors);
        Some(EntryUpdate {
            version: version?,
            fields,
        })
    }
}

fn stale() -> ApiError {
    ApiError::Conflict(
        "This journal entry was changed since you read it. Reload it and try again.".into(),
    )
}

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let (principal, _, entry) = own_entry(ctx, req).await?;
    let EntryUpdate { version, fields } = request::json::<JournalEntryUpdateRequest>(req)?;
    if version != entry.version {
        return Err(stale());
    }
    let now = shared::time::iso(shared::time::now());
    let updated = match ctx
        .store
        .update_journal_entry(&entry, version, &fields, &now)
        .await
    {
        Ok(u) => u,
        Err(StoreError::Conflict) => {
            tracing::info!(
                user_id = principal.user_id,
                tenant_id = principal.tenant_id,
                entry_id = entry.id,
                version,
                "journal entry update lost a race"
            );
            return Err(stale());
        }
        Err(e) => return Err(e.into()),
    };
    tracing::info!(
        user_id = principal.user_id,
        tenant_id = principal.tenant_id,
        entry_id = entry.id,
        version = updated.version,
        "journal entry updated"
    );
    ok(&entry_response(ctx, &updated).await)
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "updateJournalEntry",
    tag: "journal",
    summary: "Change a journal entry (optimistic concurrency)",
    description: "Send the `version` last read and the keys to change (the create \
        body's rules, all optional); only those keys change and `version` goes up by 1. \
        A `version` that is no longer the entry's is a 409 and nothing is written: \
        reload and try again.",
    access: Access::Bearer,
    params: &[],
    request: Some(RequestDoc {
        media_type: JSON,
        schema: schema_of::<JournalEntryUpdateRequest>,
        required: true,
        examples: &[example(
            "mood",
            "A new title and mood",
            r#"{"version": 1, "title": "A better day", "wellbeing_metrics": {"mood_rating": 9}}"#,
        )],
        also: &[],
    }),
    responses: &[
        response(
            200,
            "The updated entry.",
            schema_of::<JournalEntryResponse>,
            &[],
        ),
        response(
            400,
            "`version` is missing or not a positive whole number, or a field is invalid \
             or unknown (all at once); nothing was written.",
            schema_of::<ValidationErrors>,
            &[
                example(
                    "no_version",
                    "No version",
                    r#"{"errors": {"version": ["This field is required: send the version you read."]}}"#,
                ),
                EX_VALIDATION_BODY,
            ],
        ),
        R401,
        R404_JOURNAL,
        response(
            409,
            "The entry was changed since `version` was read; nothing was written.",
            schema_of::<ErrorMessage>,
            &[example(
                "stale",
                "A stale version",
                r#"{"error": "This journal entry was changed since you read it. Reload it and try again."}"#,
            )],
        ),
        R415_JSON,
        R500,
        R503,
    ],
};
