//! The wire contract: the bodies the API answers with, exactly as the apps
//! parse them (snake_case keys, capabilities in camelCase, ISO 8601 UTC
//! times), and the rules they carry. Request bodies are types too, next to
//! the handler that reads them (`functions/src/<area>/<endpoint>.rs`).
//!
//! With the `openapi` feature these types derive `utoipa::ToSchema`: they are
//! the source of `openapi.yaml` (`cargo run -p contract-tools --bin openapi`).
//! The Lambda binaries build without it. A change to a field here is a change
//! to the wire shape: bump [`CONTRACT_VERSION`] and add a
//! `CONTRACT_CHANGELOG.md` entry (a test fails otherwise).

mod auth;
pub mod conversation;
pub mod journal;
mod profile;
#[cfg(feature = "openapi")]
mod schemas;
pub mod uploads;
pub mod voice;

pub use auth::{LoginResponse, LoginUser, RefreshResponse};
pub use profile::{
    CompletionStatus, MarkOnboardingCompleteResponse, MissingField, OnboardingStatus,
    OrganizationalBlock, ProfileBlock, ProfileResponse,
};
#[cfg(feature = "openapi")]
pub use schemas::{EntryType, JournalMediaList, OnboardingStep, PrivacyScope, RequiredField};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The version of the wire contract (semver), `info.version` of
/// `openapi.yaml`. Minor: additions (a new optional request property, a new
/// response property, a new path, schema or enum value). Major: anything a
/// client built against the previous version could trip over (a removed or
/// renamed property, a changed type, a newly required request property, a
/// removed path, method or enum value). See docs/CONTRACT.md.
pub const CONTRACT_VERSION: &str = "2.2.0";

// ---------------------------------------------------------------------------
// Error bodies (shared::errors builds them; these types document them).

/// `{"detail": ...}`: 401 (no, invalid or expired credentials), 403 when a
/// capability is missing, 429, 500 and 503.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// A human-readable message.
    pub detail: String,
    /// Machine-readable reason on some 401s: `token_not_valid` (a bad, expired
    /// or used-up token) or `no_active_account` (wrong login).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub code: Option<String>,
}

/// `{"error": ...}`: 404, 409 and upload errors.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorMessage {
    /// A human-readable message.
    pub error: String,
}

/// `{"errors": {field: [messages]}}`: a 400 on a body; every problem found is
/// reported at once and nothing is written. Keys are field names
/// (`dateofbirth`, `completed_steps`, ...; `profile.<key>` or
/// `organizational.<key>` for an unknown nested key, `body` when the body is
/// not a JSON object).
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ValidationErrors {
    pub errors: BTreeMap<String, Vec<String>>,
}
