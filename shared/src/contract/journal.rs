//! The journal's wire contract (section 5 of the mobile contract): its rules
//! and the answers. The request bodies are in functions/src/journal/.
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

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use super::schemas::{EntryType, PrivacyScope};

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

/// The contract's journal-media 403 messages (`{"error": ...}`).
pub const MSG_AUDIO_DENIED: &str = "You do not have permission to upload audio files";
pub const MSG_NOT_OWNER: &str = "You can only add media to your own journal entries";
pub const MSG_ENTRY_NOT_FOUND: &str = "Journal entry not found";
pub use super::uploads::MSG_UPLOAD_NOT_FOUND;

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
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WellbeingMetrics {
    /// Mood, a whole number from 1 to 10.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, minimum = 1, maximum = 10)
    )]
    pub mood_rating: Option<u8>,
    /// Stress, a whole number from 1 to 10.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, minimum = 1, maximum = 10)
    )]
    pub stress_level: Option<u8>,
    /// Energy, a whole number from 1 to 10.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, minimum = 1, maximum = 10)
    )]
    pub energy_level: Option<u8>,
    /// Hours of sleep, a number from 0 to 24 (decimals allowed).
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, minimum = 0, maximum = 24)
    )]
    pub sleep_hours: Option<f64>,
}

/// A journal entry as the API answers it (create, get, PATCH, list).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JournalEntryResponse {
    /// The entry's id.
    pub id: u64,
    #[cfg_attr(feature = "openapi", schema(value_type = EntryType))]
    pub entry_type: String,
    /// 1-200 characters, surrounding spaces removed.
    pub title: String,
    /// At most 20000 characters; `""` when none was given.
    pub content: String,
    /// When the entry is about (the client's, default: the creation time),
    /// ISO 8601 UTC with `Z`.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub timestamp: String,
    /// The owner: always the caller.
    pub user_id: u64,
    /// The owner's tenant.
    pub tenant_id: u64,
    pub wellbeing_metrics: WellbeingMetrics,
    #[cfg_attr(feature = "openapi", schema(value_type = PrivacyScope))]
    pub privacy_scope: String,
    /// The entry's attachments, oldest first (at most 20).
    pub media_attachments: Vec<MediaAttachmentResponse>,
    /// Always `synced` (the server's copy).
    #[cfg_attr(feature = "openapi", schema(example = "synced"))]
    pub sync_status: String,
    /// 1 on create, +1 on every change; send it back with a PATCH.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: u64,
    /// ISO 8601 UTC with `Z`.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
}

/// One attachment, as the media POST and the media list answer it.
/// `duration` (whole seconds) and `file_size` (bytes) are present for audio
/// and video, absent for photos (as in the contract's list example).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MediaAttachmentResponse {
    /// The attachment's id.
    pub id: u64,
    /// The entry it belongs to. In the media POST's answer and in an entry's
    /// `media_attachments`; not in the media list, whose items the contract
    /// shows without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub journal_entry_id: Option<u64>,
    #[cfg_attr(feature = "openapi", schema(value_type = MediaType))]
    pub media_type: String,
    /// Where the app loads the file from: a presigned GET URL that expires
    /// (`MEDIA_URL_TTL_SECONDS`), or a URL under `MEDIA_BASE_URL` (a CDN).
    pub file_url: String,
    /// At most 500 characters; `null` when none was given.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub caption: Option<String>,
    /// Whole seconds, measured from the file: at most 300 for audio, 600 for
    /// video. Absent for photos; `null` only for videos attached before
    /// durations were measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u64>, required = false, minimum = 0))]
    pub duration: Option<Option<u64>>,
    /// Bytes stored; absent for photos.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub file_size: Option<u64>,
    /// ISO 8601 UTC with `Z`.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
}

/// `GET /api/v2/journal/entries/` answer: one page of the caller's entries,
/// newest `timestamp` first.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JournalPage {
    pub results: Vec<JournalEntryResponse>,
    /// Pass as `?cursor=` for the next page; `null` on the last page.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub next_cursor: Option<String>,
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
