//! The journal's wire contract (section 5 of the mobile contract) and its
//! validation rules, in one place.
//!
//! - `entry_type`: `DAILY`, `REFLECTION`, `GRATITUDE`, `INCIDENT`, `OTHER`.
//! - `privacy_scope`: `PRIVATE` (default), `TEAM`, `ORGANIZATION`.
//! - `wellbeing_metrics`, every field optional: `mood_rating`, `stress_level`
//!   and `energy_level` whole numbers 1-10, `sleep_hours` a number 0-24
//!   (decimals allowed).
//! - `title` 1-200 characters (required on create), `content` at most 20000
//!   characters, `timestamp` ISO 8601 with an offset (stored and returned as
//!   UTC with `Z`; default: now), `consent_given` a boolean (default false).
//! - Media: `PHOTO`, `VIDEO`, `AUDIO`; `caption` at most 500 characters.

use crate::errors::FieldErrors;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::borrow::Cow;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

pub const ENTRY_TYPES: [&str; 5] = ["DAILY", "REFLECTION", "GRATITUDE", "INCIDENT", "OTHER"];
pub const PRIVACY_SCOPES: [&str; 3] = ["PRIVATE", "TEAM", "ORGANIZATION"];
pub const MEDIA_TYPES: [&str; 3] = ["PHOTO", "VIDEO", "AUDIO"];
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_CONTENT_CHARS: usize = 20_000;
pub const MAX_CAPTION_CHARS: usize = 500;
/// Attachments live on the entry item (see store/journal.rs): bounded.
pub const MAX_ATTACHMENTS_PER_ENTRY: u64 = 20;
/// Listing: `?page_size=` default and cap (larger values are clamped).
pub const DEFAULT_PAGE_SIZE: usize = 20;
pub const MAX_PAGE_SIZE: usize = 100;
/// Videos: sniffed from the bytes; these are the accepted types.
pub const VIDEO_TYPES: [&str; 2] = ["video/mp4", "video/quicktime"];

/// The contract's journal-media 403 messages (`{"error": ...}`).
pub const MSG_AUDIO_DENIED: &str = "You do not have permission to upload audio files";
pub const MSG_NOT_OWNER: &str = "You can only add media to your own journal entries";
pub const MSG_ENTRY_NOT_FOUND: &str = "Journal entry not found";
pub use crate::uploads::MSG_UPLOAD_NOT_FOUND;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaType {
    Photo,
    Video,
    Audio,
}

impl MediaType {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "PHOTO" => Some(MediaType::Photo),
            "VIDEO" => Some(MediaType::Video),
            "AUDIO" => Some(MediaType::Audio),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Photo => "PHOTO",
            MediaType::Video => "VIDEO",
            MediaType::Audio => "AUDIO",
        }
    }
}

/// `wellbeing_metrics` of an entry as the API answers it: every key is
/// present; a metric that was not given is `null`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WellbeingMetrics {
    /// Mood, a whole number from 1 to 10.
    #[schema(required = true, minimum = 1, maximum = 10)]
    pub mood_rating: Option<u8>,
    /// Stress, a whole number from 1 to 10.
    #[schema(required = true, minimum = 1, maximum = 10)]
    pub stress_level: Option<u8>,
    /// Energy, a whole number from 1 to 10.
    #[schema(required = true, minimum = 1, maximum = 10)]
    pub energy_level: Option<u8>,
    /// Hours of sleep, a number from 0 to 24 (decimals allowed).
    #[schema(required = true, minimum = 0, maximum = 24)]
    pub sleep_hours: Option<f64>,
}

/// A journal entry as the API answers it (create, get, PATCH, list).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct JournalEntryResponse {
    /// The entry's id.
    pub id: u64,
    #[schema(value_type = EntryType)]
    pub entry_type: String,
    /// 1-200 characters, surrounding spaces removed.
    pub title: String,
    /// At most 20000 characters; `""` when none was given.
    pub content: String,
    /// When the entry is about (the client's, default: the creation time),
    /// ISO 8601 UTC with `Z`.
    #[schema(format = DateTime)]
    pub timestamp: String,
    /// The owner: always the caller.
    pub user_id: u64,
    /// The owner's tenant.
    pub tenant_id: u64,
    pub wellbeing_metrics: WellbeingMetrics,
    #[schema(value_type = PrivacyScope)]
    pub privacy_scope: String,
    /// The entry's attachments, oldest first (at most 20).
    pub media_attachments: Vec<MediaAttachmentResponse>,
    /// Always `synced` (the server's copy).
    #[schema(example = "synced")]
    pub sync_status: String,
    /// 1 on create, +1 on every change; send it back with a PATCH.
    #[schema(minimum = 1)]
    pub version: u64,
    /// ISO 8601 UTC with `Z`.
    #[schema(format = DateTime)]
    pub created_at: String,
}

/// One attachment, as the media POST and the media list answer it.
/// `duration` (whole seconds) and `file_size` (bytes) are present for audio
/// and video, absent for photos (as in the contract's list example).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct MediaAttachmentResponse {
    /// The attachment's id.
    pub id: u64,
    /// The entry it belongs to.
    pub journal_entry_id: u64,
    #[schema(value_type = MediaType)]
    pub media_type: String,
    /// Where the app loads the file from: a presigned GET URL that expires
    /// (`MEDIA_URL_TTL_SECONDS`), or a URL under `MEDIA_BASE_URL` (a CDN).
    pub file_url: String,
    /// At most 500 characters; `null` when none was given.
    #[schema(required = true)]
    pub caption: Option<String>,
    /// Whole seconds. May be absent, may be `null`: absent for photos; for
    /// audio the duration measured from the file (at most 300); for video the
    /// client's (not measured), `null` when it sent none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<u64>, required = false, minimum = 0)]
    pub duration: Option<Option<u64>>,
    /// Bytes stored; absent for photos.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub file_size: Option<u64>,
    /// ISO 8601 UTC with `Z`.
    #[schema(format = DateTime)]
    pub created_at: String,
}

/// `GET /api/v2/journal/entries/` answer: one page of the caller's entries,
/// newest `timestamp` first.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct JournalPage {
    pub results: Vec<JournalEntryResponse>,
    /// Pass as `?cursor=` for the next page; `null` on the last page.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

// ---------------------------------------------------------------------------
// Request bodies, for the document only: the handlers parse bodies field by
// field (`parse_entry`, functions/src/journal_media.rs) so that every problem
// is reported at once. Unknown keys are refused (400).

/// `wellbeing_metrics` in a create or PATCH body: every key optional, `null`
/// is the same as leaving it out.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WellbeingMetricsInput {
    /// A whole number from 1 to 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 10)]
    pub mood_rating: Option<u8>,
    /// A whole number from 1 to 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 10)]
    pub stress_level: Option<u8>,
    /// A whole number from 1 to 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 10)]
    pub energy_level: Option<u8>,
    /// A number from 0 to 24 (decimals allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0, maximum = 24)]
    pub sleep_hours: Option<f64>,
}

/// Body of `POST /api/v2/journal/entries/`. `entry_type` and `title` are
/// required; every problem is reported at once and nothing is written.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JournalEntryCreateRequest {
    #[schema(value_type = EntryType)]
    pub entry_type: String,
    /// 1-200 characters, not blank; surrounding spaces are removed.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub title: String,
    /// At most 20000 characters; missing or `null`: `""`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 20000)]
    pub content: Option<String>,
    /// ISO 8601 with a zone offset (stored and answered as UTC with `Z`),
    /// year 1970-9999. Default: now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime, nullable = false)]
    pub timestamp: Option<String>,
    /// Missing or `null`: no metrics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wellbeing_metrics: Option<WellbeingMetricsInput>,
    /// Default `PRIVATE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<PrivacyScope>, nullable = false)]
    pub privacy_scope: Option<String>,
    /// Default `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub consent_given: Option<bool>,
}

/// Body of `PATCH /api/v2/journal/entries/{id}/`: `version` (the one last
/// read) and the keys to change, with the rules of the create body. Only the
/// keys sent are changed; `wellbeing_metrics: null` clears the metrics. A
/// stale `version` is a 409 and nothing is written.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JournalEntryUpdateRequest {
    /// The entry's `version` as last read.
    #[schema(minimum = 1)]
    pub version: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<EntryType>, nullable = false)]
    pub entry_type: Option<String>,
    /// 1-200 characters, not blank; surrounding spaces are removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S", nullable = false)]
    pub title: Option<String>,
    /// At most 20000 characters (`""` empties it; `null` is refused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 20000, nullable = false)]
    pub content: Option<String>,
    /// ISO 8601 with a zone offset, year 1970-9999.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime, nullable = false)]
    pub timestamp: Option<String>,
    /// Replaces the metrics; `null` clears them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wellbeing_metrics: Option<WellbeingMetricsInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<PrivacyScope>, nullable = false)]
    pub privacy_scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub consent_given: Option<bool>,
}

/// Body of `POST /api/v2/journal/entries/{id}/media/upload-url/`: what the
/// client is about to upload, checked against the media type's limits before
/// a URL is issued.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JournalMediaUploadUrlRequest {
    #[schema(value_type = MediaType)]
    pub media_type: String,
    /// PHOTO: `image/jpeg`, `image/png`, `image/webp` or `image/gif`; AUDIO:
    /// `audio/mpeg`, `audio/wav`, `audio/m4a`, `audio/aac` or `audio/ogg`;
    /// VIDEO: `video/mp4` or `video/quicktime`. The file is judged by its
    /// bytes when it is attached.
    #[schema(min_length = 1, pattern = r"\S", example = "audio/m4a")]
    pub content_type: String,
    /// The exact size in bytes; the PUT must send exactly this many.
    #[schema(minimum = 1, example = 512000)]
    pub size: u64,
}

/// JSON body of `POST /api/v2/journal/entries/{id}/media/`: attach an object
/// uploaded through the upload URL.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JournalMediaAttachRequest {
    /// The `key` of the upload-url answer (for this entry).
    #[schema(min_length = 1, pattern = r"\S")]
    pub key: String,
    #[schema(value_type = MediaType)]
    pub media_type: String,
    /// At most 500 characters; blank or `null`: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 500)]
    pub caption: Option<String>,
    /// Seconds, a non-negative number (a numeric string is accepted too).
    /// AUDIO: only a hint; the measured duration is stored, a differing value
    /// is corrected. VIDEO: stored, rounded to whole seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0)]
    pub duration: Option<f64>,
}

/// The multipart form of `POST /api/v2/journal/entries/{id}/media/` (the
/// contract's way), for files that fit in a Lambda request.
#[derive(Debug, Deserialize, ToSchema)]
pub struct JournalMediaForm {
    /// The file. PHOTO: JPEG, PNG, WebP or GIF (200x200 to 2048x2048 pixels);
    /// AUDIO: MP3, WAV, M4A, AAC or Ogg, at most 300 seconds; VIDEO: MP4 or
    /// QuickTime.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    #[schema(value_type = MediaType)]
    pub media_type: String,
    /// At most 500 characters; blank: none.
    #[schema(max_length = 500, nullable = false)]
    pub caption: Option<String>,
    /// Seconds, a non-negative number. AUDIO: only a hint (the measured
    /// duration is stored); VIDEO: stored, rounded to whole seconds.
    #[schema(minimum = 0, nullable = false)]
    pub duration: Option<f64>,
}

// ---------------------------------------------------------------------------
// Schemas written by hand from the tables above, so they cannot drift.

fn string_enum(description: &str, values: &[&str]) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(values.iter().map(|v| v.to_string())))
        .into()
}

/// Schema only: the kind of a journal entry ([`ENTRY_TYPES`]).
pub struct EntryType;

impl PartialSchema for EntryType {
    fn schema() -> RefOr<Schema> {
        string_enum("The kind of a journal entry.", &ENTRY_TYPES)
    }
}

impl ToSchema for EntryType {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("EntryType")
    }
}

/// Schema only: who may see a journal entry ([`PRIVACY_SCOPES`]).
pub struct PrivacyScope;

impl PartialSchema for PrivacyScope {
    fn schema() -> RefOr<Schema> {
        string_enum(
            "Who may see a journal entry (default `PRIVATE`).",
            &PRIVACY_SCOPES,
        )
    }
}

impl ToSchema for PrivacyScope {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("PrivacyScope")
    }
}

/// The kind of an attachment ([`MEDIA_TYPES`]).
impl PartialSchema for MediaType {
    fn schema() -> RefOr<Schema> {
        string_enum(
            "The kind of a journal attachment. `AUDIO` (a voice note) needs the \
             `canUseVoiceFeatures` capability.",
            &MEDIA_TYPES,
        )
    }
}

impl ToSchema for MediaType {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("MediaType")
    }
}

/// Schema only: `GET /api/v2/journal/entries/{id}/media/` answer, a JSON
/// array of the entry's attachments.
pub struct JournalMediaList;

impl PartialSchema for JournalMediaList {
    fn schema() -> RefOr<Schema> {
        ArrayBuilder::new()
            .items(Ref::from_schema_name(MediaAttachmentResponse::name()))
            .description(Some("The entry's attachments, oldest first."))
            .into()
    }
}

impl ToSchema for JournalMediaList {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("JournalMediaList")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((
            MediaAttachmentResponse::name().to_string(),
            MediaAttachmentResponse::schema(),
        ));
        MediaAttachmentResponse::schemas(schemas);
    }
}

/// The validated fields of a create or PATCH body. On PATCH, `None` is "not
/// sent"; `wellbeing_metrics: Some(None)` clears the metrics.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EntryFields {
    pub entry_type: Option<String>,
    pub title: Option<String>,
    pub content: Option<String>,
    pub timestamp: Option<DateTime<Utc>>,
    pub wellbeing_metrics: Option<Option<WellbeingMetrics>>,
    pub privacy_scope: Option<String>,
    pub consent_given: Option<bool>,
}

const ENTRY_FIELDS: [&str; 7] = [
    "entry_type",
    "title",
    "content",
    "timestamp",
    "wellbeing_metrics",
    "privacy_scope",
    "consent_given",
];

fn push(errors: &mut FieldErrors, field: &str, message: impl Into<String>) {
    errors
        .entry(field.to_string())
        .or_default()
        .push(message.into());
}

/// Validates a create (`creating`: `entry_type` and `title` required) or a
/// PATCH body (every field optional; `version` is read by the caller). Every
/// problem is reported at once; unknown fields are errors.
pub fn parse_entry(body: &Map<String, Value>, creating: bool) -> Result<EntryFields, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut out = EntryFields::default();
    for key in body.keys() {
        if !ENTRY_FIELDS.contains(&key.as_str()) && (creating || key != "version") {
            push(&mut errors, key, "Unknown field.");
        }
    }
    let choice = |field: &str, allowed: &[&str], errors: &mut FieldErrors| -> Option<String> {
        match body.get(field) {
            None => None,
            Some(Value::String(v)) if allowed.contains(&v.as_str()) => Some(v.clone()),
            Some(Value::Null) => {
                push(errors, field, "This field may not be null.");
                None
            }
            Some(v) => {
                push(
                    errors,
                    field,
                    format!(
                        "\"{}\" is not a valid choice. Allowed: {}",
                        v.as_str().map(str::to_string).unwrap_or(v.to_string()),
                        allowed.join(", ")
                    ),
                );
                None
            }
        }
    };
    out.entry_type = choice("entry_type", &ENTRY_TYPES, &mut errors);
    out.privacy_scope = choice("privacy_scope", &PRIVACY_SCOPES, &mut errors);

    match body.get("title") {
        None => {}
        Some(Value::String(t)) if t.trim().is_empty() => {
            push(&mut errors, "title", "This field may not be blank.")
        }
        Some(Value::String(t)) if t.chars().count() > MAX_TITLE_CHARS => push(
            &mut errors,
            "title",
            format!("Ensure this field has no more than {MAX_TITLE_CHARS} characters."),
        ),
        Some(Value::String(t)) => out.title = Some(t.trim().to_string()),
        Some(_) => push(&mut errors, "title", "Not a valid string."),
    }
    match body.get("content") {
        None => {}
        Some(Value::Null) if !creating => {
            push(&mut errors, "content", "This field may not be null.")
        }
        Some(Value::Null) => {}
        Some(Value::String(c)) if c.chars().count() > MAX_CONTENT_CHARS => push(
            &mut errors,
            "content",
            format!("Ensure this field has no more than {MAX_CONTENT_CHARS} characters."),
        ),
        Some(Value::String(c)) => out.content = Some(c.clone()),
        Some(_) => push(&mut errors, "content", "Not a valid string."),
    }
    match body.get("timestamp") {
        None => {}
        Some(Value::String(ts)) => match crate::time::parse_timestamp(ts) {
            Ok(t) => out.timestamp = Some(t),
            Err(crate::time::DateError::Range) => {
                push(&mut errors, "timestamp", "Timestamp is out of range.")
            }
            Err(crate::time::DateError::Format) => push(
                &mut errors,
                "timestamp",
                "Datetime has wrong format. Use ISO 8601 with a time zone, e.g. 2025-11-12T18:00:00Z.",
            ),
        },
        Some(_) => push(
            &mut errors,
            "timestamp",
            "Datetime has wrong format. Use ISO 8601 with a time zone, e.g. 2025-11-12T18:00:00Z.",
        ),
    }
    match body.get("consent_given") {
        None => {}
        Some(Value::Bool(b)) => out.consent_given = Some(*b),
        Some(_) => push(&mut errors, "consent_given", "Must be a valid boolean."),
    }
    match body.get("wellbeing_metrics") {
        None => {}
        Some(Value::Null) => out.wellbeing_metrics = Some(None),
        Some(Value::Object(m)) => {
            out.wellbeing_metrics = Some(Some(parse_metrics(m, &mut errors)));
        }
        Some(_) => push(&mut errors, "wellbeing_metrics", "Expected an object."),
    }
    if creating {
        if !body.contains_key("entry_type") {
            push(&mut errors, "entry_type", "This field is required.");
        }
        if !body.contains_key("title") {
            push(&mut errors, "title", "This field is required.");
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn parse_metrics(m: &Map<String, Value>, errors: &mut FieldErrors) -> WellbeingMetrics {
    let mut out = WellbeingMetrics::default();
    for key in m.keys() {
        if !["mood_rating", "stress_level", "energy_level", "sleep_hours"].contains(&key.as_str()) {
            push(
                errors,
                &format!("wellbeing_metrics.{key}"),
                "Unknown field.",
            );
        }
    }
    let scale = |field: &str, errors: &mut FieldErrors| -> Option<u8> {
        match m.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => match n.as_u64().filter(|v| (1..=10).contains(v)) {
                Some(v) => Some(v as u8),
                None => {
                    push(
                        errors,
                        &format!("wellbeing_metrics.{field}"),
                        "Must be a whole number from 1 to 10.",
                    );
                    None
                }
            },
            Some(_) => {
                push(
                    errors,
                    &format!("wellbeing_metrics.{field}"),
                    "Must be a whole number from 1 to 10.",
                );
                None
            }
        }
    };
    out.mood_rating = scale("mood_rating", errors);
    out.stress_level = scale("stress_level", errors);
    out.energy_level = scale("energy_level", errors);
    match m.get("sleep_hours") {
        None | Some(Value::Null) => {}
        Some(Value::Number(n)) => match n.as_f64().filter(|v| (0.0..=24.0).contains(v)) {
            Some(v) => out.sleep_hours = Some(v),
            None => push(
                errors,
                "wellbeing_metrics.sleep_hours",
                "Must be a number from 0 to 24.",
            ),
        },
        Some(_) => push(
            errors,
            "wellbeing_metrics.sleep_hours",
            "Must be a number from 0 to 24.",
        ),
    }
    out
}

/// An entry id from the path: a positive integer, or `None` (answered as
/// not found, like a missing entry).
pub fn parse_id(raw: &str) -> Option<u64> {
    if raw.is_empty() || raw.len() > 19 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse().ok().filter(|id| *id > 0)
}

/// The client's `duration` (seconds; a JSON number or a form string), if
/// given: `Ok(None)` when absent, `Err` when not a non-negative number.
pub fn parse_client_duration(v: Option<&Value>) -> Result<Option<f64>, String> {
    let bad = || "A valid number of seconds is required.".to_string();
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_f64()
            .filter(|d| d.is_finite() && *d >= 0.0)
            .map(Some)
            .ok_or_else(bad),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|d| d.is_finite() && *d >= 0.0)
            .map(Some)
            .ok_or_else(bad),
        Some(_) => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn the_contract_example_is_valid() {
        let f = parse_entry(
            &obj(json!({
                "entry_type": "DAILY", "title": "My Day", "content": "Had a productive day today",
                "timestamp": "2025-11-12T20:00:00+02:00",
                "wellbeing_metrics": {"mood_rating": 8, "stress_level": 2, "energy_level": 7, "sleep_hours": 7.5},
                "privacy_scope": "PRIVATE", "consent_given": true
            })),
            true,
        )
        .unwrap();
        assert_eq!(
            crate::time::iso(f.timestamp.unwrap()),
            "2025-11-12T18:00:00.000Z"
        );
        assert_eq!(f.wellbeing_metrics.unwrap().unwrap().sleep_hours, Some(7.5));
    }

    #[test]
    fn every_problem_is_reported() {
        let e = parse_entry(
            &obj(json!({
                "entry_type": "DIARY", "privacy_scope": "PUBLIC", "timestamp": "yesterday",
                "wellbeing_metrics": {"mood_rating": 11, "sleep_hours": 25, "x": 1},
                "consent_given": "yes", "user_id": 5
            })),
            true,
        )
        .unwrap_err();
        for f in [
            "entry_type",
            "privacy_scope",
            "timestamp",
            "wellbeing_metrics.mood_rating",
            "wellbeing_metrics.sleep_hours",
            "wellbeing_metrics.x",
            "consent_given",
            "user_id",
            "title",
        ] {
            assert!(e.contains_key(f), "{f}: {e:?}");
        }
    }

    #[test]
    fn ids_and_durations() {
        assert_eq!(parse_id("42"), Some(42));
        for bad in ["0", "-1", "x", "", "1e3", "99999999999999999999"] {
            assert_eq!(parse_id(bad), None, "{bad}");
        }
        assert_eq!(parse_client_duration(Some(&json!("45"))), Ok(Some(45.0)));
        assert!(parse_client_duration(Some(&json!(-1))).is_err());
    }
}
