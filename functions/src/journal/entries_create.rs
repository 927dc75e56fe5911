//! `POST /api/v2/journal/entries/`: a new entry (201, version 1).

use super::entry_fields::{self, EntryInput};
use super::entry_response;
use crate::handler::{authenticated_user, created, Answer};
use lambda_http::Request;
use serde::Deserialize;
use serde_json::{Map, Value};
use shared::context::Needs;
use shared::contract::journal::EntryFields;
use shared::errors::FieldErrors;
use shared::request::{self, Field, Files, RequestBody};
use shared::AppContext;

#[cfg(feature = "openapi")]
use super::entry_fields::WellbeingMetricsInput;
#[cfg(feature = "openapi")]
use crate::docs::*;
#[cfg(feature = "openapi")]
use shared::contract::{EntryType, PrivacyScope};

pub const NEEDS: Needs = crate::routes::MEDIA;

/// Body of `POST /api/v2/journal/entries/`. `entry_type` and `title` are
/// required; every problem is reported at once and nothing is written.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JournalEntryCreateRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = EntryType, required = true))]
    #[serde(default)]
    pub entry_type: Field<Value>,
    /// 1-200 characters, not blank; surrounding spaces are removed.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, required = true, min_length = 1, max_length = 200, pattern = r"\S")
    )]
    #[serde(default)]
    pub title: Field<Value>,
    /// At most 20000 characters; missing or `null`: `""`.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 20000))]
    #[serde(default)]
    pub content: Field<Value>,
    /// ISO 8601 with a zone offset (stored and answered as UTC with `Z`),
    /// year 1970-9999 in UTC (the document promises 1971-9998, which no
    /// zone offset can push out of range). Default: now.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<String>, format = DateTime, nullable = false, pattern = r"^(197[1-9]|19[89][0-9]|[2-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])-")
    )]
    #[serde(default)]
    pub timestamp: Field<Value>,
    /// Missing or `null`: no metrics.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<WellbeingMetricsInput>))]
    #[serde(default)]
    pub wellbeing_metrics: Field<Map<String, Value>>,
    /// Default `PRIVATE`.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<PrivacyScope>, nullable = false)
    )]
    #[serde(default)]
    pub privacy_scope: Field<Value>,
    /// Default `false`.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<bool>, nullable = false))]
    #[serde(default)]
    pub consent_given: Field<Value>,
}

impl RequestBody for JournalEntryCreateRequest {
    type Valid = EntryFields;

    fn validate(self, errors: &mut FieldErrors, _: &mut Files) -> Option<EntryFields> {
        let input = EntryInput {
            entry_type: self.entry_type,
            title: self.title,
            content: self.content,
            timestamp: self.timestamp,
            wellbeing_metrics: self.wellbeing_metrics,
            privacy_scope: self.privacy_scope,
            consent_given: self.consent_given,
        };
        Some(entry_fields::validate(input, true, errors))
    }
}

/// A retry with the same `Idempotency-Key` gets the first answer again.
pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    crate::idempotency::once(ctx, req, "journal-entries-create", handle(ctx, req)).await
}

async fn handle(ctx: &AppContext, req: &Request) -> Answer {
    let (principal, _) = authenticated_user(ctx, req).await?;
    let fields = request::json::<JournalEntryCreateRequest>(req)?;
    let now = shared::time::iso(shared::time::now());
    let entry = ctx
        .store
        .create_journal_entry(&principal, &fields, &now)
        .await?;
    tracing::info!(
        user_id = principal.user_id,
        tenant_id = principal.tenant_id,
        entry_id = entry.id,
        "journal entry created"
    );
    created(&entry_response(ctx, &entry).await)
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "createJournalEntry",
    tag: "journal",
    summary: "Create a journal entry",
    description: "`entry_type` and `title` are required; `content`, `timestamp` (default: \
        now), `wellbeing_metrics`, `privacy_scope` (default `PRIVATE`) and \
        `consent_given` (default `false`) are optional. Every problem is reported at once \
        and nothing is written. The entry starts at `version` 1 with no attachments.",
    access: Access::Bearer,
    params: &[IDEMPOTENCY_KEY],
    request: Some(RequestDoc {
        media_type: JSON,
        schema: schema_of::<JournalEntryCreateRequest>,
        required: true,
        examples: &[EX_JOURNAL_CREATE_REQUEST],
        also: &[],
    }),
    responses: &[
        response(
            201,
            "Created.",
            schema_of::<JournalEntryResponse>,
            &[EX_JOURNAL_ENTRY],
        ),
        response(
            400,
            "The body is not a JSON object, or a field is missing, invalid or unknown \
             (all at once); nothing was written.",
            schema_of::<ValidationErrors>,
            &[EX_JOURNAL_FIELDS, EX_VALIDATION_BODY],
        ),
        R401,
        R409_IDEMPOTENCY,
        R415_JSON,
        R422_IDEMPOTENCY,
        R500,
        R503,
    ],
};
