//! The wire contract: request and response bodies exactly as the apps parse
//! them (snake_case keys, capabilities in camelCase, ISO 8601 UTC times).
//!
//! These types are the source of `openapi.yaml` (`utoipa::ToSchema`; the
//! per-route part lives in `functions::openapi`, regenerate with
//! `cargo run -p infra --bin openapi`). A change to a field here is a change to
//! the wire shape: bump [`CONTRACT_VERSION`] and add a `CONTRACT_CHANGELOG.md`
//! entry (a test fails otherwise). The request-body types and the error-body
//! types below exist for the document; the handlers parse bodies field by
//! field so that every problem is reported at once.

use crate::capabilities::{Capabilities, TABLE as CAPABILITY_TABLE};
use crate::profile::{Gender, ONBOARDING_STEPS, REQUIRED_FIELDS, SKIP_THRESHOLD_PERCENT};
use crate::store::UserRecord;
use crate::time;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

/// The version of the wire contract (semver), `info.version` of
/// `openapi.yaml`. Minor: additions (a new optional request property, a new
/// response property, a new path, schema or enum value). Major: anything a
/// client built against the previous version could trip over (a removed or
/// renamed property, a changed type, a newly required request property, a
/// removed path, method or enum value). See docs/CONTRACT.md.
pub const CONTRACT_VERSION: &str = "1.0.0";

/// The user part of the login answer.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LoginUser {
    /// The user's id (unique within the API).
    pub id: u64,
    /// The login name, as stored.
    pub username: String,
    /// `null` when the user has no email address.
    #[schema(required = true, format = Email)]
    pub email: Option<String>,
    /// All 13 flags, so the apps can route right after login.
    pub capabilities: Capabilities,
}

/// `POST /api/v2/auth/login/`: tokens and the user.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LoginResponse {
    /// Access token (EdDSA JWT); send it as `Authorization: Bearer <access>`.
    /// It carries the capability flags, but every check reads the stored user,
    /// so a change by an admin applies on the next request.
    pub access: String,
    /// Opaque refresh token for `POST /api/v2/auth/refresh/`; each one works once.
    pub refresh: String,
    pub user: LoginUser,
}

/// `POST /api/v2/auth/refresh/`: a new access token and a new refresh token
/// (the one sent is used up).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RefreshResponse {
    /// Access token (EdDSA JWT).
    pub access: String,
    /// The next refresh token; the one sent no longer works.
    pub refresh: String,
}

/// The profile part of `GET /api/v2/profile/me/`. Every key is always present;
/// a field the user has not filled in is `null`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProfileBlock {
    /// Displayable URL of the profile image (`null`: none). Set by the image
    /// upload, never by the PATCH.
    #[schema(required = true)]
    pub peopleimg: Option<String>,
    /// Date of birth, `YYYY-MM-DD`.
    #[schema(required = true, format = Date)]
    pub dateofbirth: Option<String>,
    /// Date of joining, `YYYY-MM-DD`.
    #[schema(required = true, format = Date)]
    pub dateofjoin: Option<String>,
    /// Not in the contract's example, but the PATCH accepts it; shown so it is
    /// not write-only. Date of reporting, `YYYY-MM-DD`.
    #[schema(required = true, format = Date)]
    pub dateofreport: Option<String>,
    /// `MALE`, `FEMALE` or `OTHER` (stored legacy `M`/`F`/`O` are shown in the
    /// long form).
    #[schema(required = true, value_type = Option<Gender>)]
    pub gender: Option<String>,
    /// 0, 25, 50, 75 or 100: a quarter for each of `peopleimg`, `dateofbirth`,
    /// `dateofjoin` and `gender` that is present.
    #[schema(minimum = 0, maximum = 100)]
    pub profile_completion_percentage: u8,
}

/// Organizational placement: names (the PATCH takes the ids of the caller's
/// tenant's reference data).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OrganizationalBlock {
    /// Name of the location (site).
    #[schema(required = true)]
    pub location: Option<String>,
    /// Name of the department.
    #[schema(required = true)]
    pub department: Option<String>,
    /// Name of the designation (job title).
    #[schema(required = true)]
    pub designation: Option<String>,
    /// Id of the user this user reports to (same tenant).
    #[schema(required = true)]
    pub reportto: Option<u64>,
    /// The client (tenant) id; set on every user.
    #[schema(required = true)]
    pub client: Option<u64>,
    /// Name of the business unit.
    #[schema(required = true)]
    pub bu: Option<String>,
}

/// Where the user is in the onboarding lifecycle (docs/CONTRACT.md).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OnboardingStatus {
    /// True once the user called mark-onboarding-complete (completed or skipped).
    pub first_login_completed: bool,
    /// When onboarding was first completed, ISO 8601 UTC with `Z`; `null`
    /// until then (a skip leaves it `null`).
    #[schema(required = true, format = DateTime)]
    pub onboarding_completed_at: Option<String>,
    /// True when the user skipped onboarding and has not completed it since.
    pub onboarding_skipped: bool,
}

/// `GET /api/v2/profile/me/` (and the answer to its PATCH).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProfileResponse {
    /// The user's id.
    pub id: u64,
    /// The login name.
    pub username: String,
    #[schema(required = true, format = Email)]
    pub email: Option<String>,
    #[schema(required = true)]
    pub full_name: Option<String>,
    /// The phone number (written through `mobno` in the PATCH).
    #[schema(required = true)]
    pub phone: Option<String>,
    /// The client is the tenant: the same value as `tenant_id`.
    pub client_id: u64,
    /// The user's tenant; it comes from the token, never from the client.
    pub tenant_id: u64,
    pub capabilities: Capabilities,
    pub profile: ProfileBlock,
    pub organizational: OrganizationalBlock,
    pub onboarding_status: OnboardingStatus,
}

impl ProfileResponse {
    /// `image_url` is the displayable URL of the stored image, if any;
    /// `capabilities` the effective flags (`UserRecord::effective_capabilities`).
    pub fn of(user: &UserRecord, image_url: Option<String>, capabilities: Capabilities) -> Self {
        let org = &user.organizational;
        ProfileResponse {
            id: user.id,
            username: user.username.clone(),
            email: user.email.clone(),
            full_name: user.full_name.clone(),
            phone: user.phone.clone(),
            // The contract's client is the tenant.
            client_id: user.tenant_id,
            tenant_id: user.tenant_id,
            capabilities,
            profile: ProfileBlock {
                peopleimg: image_url,
                dateofbirth: user.profile_str("dateofbirth"),
                dateofjoin: user.profile_str("dateofjoin"),
                dateofreport: user.profile_str("dateofreport"),
                gender: user.gender().map(|g| g.as_wire().to_string()),
                profile_completion_percentage: user.presence().percentage(),
            },
            organizational: OrganizationalBlock {
                location: org.location.clone(),
                department: org.department.clone(),
                designation: org.designation.clone(),
                reportto: org.reportto,
                client: org.client.or(Some(user.tenant_id)),
                bu: org.bu.clone(),
            },
            onboarding_status: OnboardingStatus::of(user),
        }
    }
}

impl OnboardingStatus {
    pub fn of(user: &UserRecord) -> Self {
        OnboardingStatus {
            first_login_completed: user.first_login_completed,
            onboarding_completed_at: user.onboarding_completed_at.as_deref().map(time::normalize),
            onboarding_skipped: user.onboarding_skipped,
        }
    }
}

/// One required profile field that is not filled in: the mobile `MissingFieldDto`.
#[derive(Debug, Serialize, Deserialize, PartialEq, ToSchema)]
pub struct MissingField {
    /// The profile key.
    #[schema(value_type = RequiredField)]
    pub field: String,
    /// What the apps show: `Profile Image`, `Date of Birth`, `Date of Joining`, `Gender`.
    pub display_name: String,
}

/// `GET /api/v2/profile/completion-status/`: the mobile `ProfileCompletionDto`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CompletionStatus {
    /// `completion_percentage == 100`.
    pub is_complete: bool,
    /// 0, 25, 50, 75 or 100: a quarter for each required field present.
    #[schema(minimum = 0, maximum = 100)]
    pub completion_percentage: u8,
    /// The required fields that are missing, in the order `peopleimg`,
    /// `dateofbirth`, `dateofjoin`, `gender`; empty when complete.
    pub missing_fields: Vec<MissingField>,
    /// True only once onboarding was completed (a skip is not a completion).
    pub has_completed_onboarding: bool,
    /// When onboarding was first completed, ISO 8601 UTC with `Z`, or `null`.
    #[schema(required = true, format = DateTime)]
    pub onboarding_completed_at: Option<String>,
    /// True when the user skipped onboarding and has not completed it since.
    pub onboarding_skipped: bool,
    /// True once the user called mark-onboarding-complete (completed or skipped).
    pub first_login_completed: bool,
    /// `completion_percentage >= 50`.
    pub can_skip_onboarding: bool,
    /// Always empty for now (no document workflow yet).
    pub required_documents: Vec<String>,
    /// Always `null` for now (no onboarding workflow yet).
    #[schema(required = true)]
    pub onboarding_workflow_state: Option<String>,
}

impl CompletionStatus {
    pub fn of(user: &UserRecord) -> Self {
        let presence = user.presence();
        let percentage = presence.percentage();
        let status = OnboardingStatus::of(user);
        CompletionStatus {
            is_complete: percentage == 100,
            completion_percentage: percentage,
            missing_fields: presence
                .missing()
                .into_iter()
                .map(|(field, display_name)| MissingField {
                    field: field.to_string(),
                    display_name: display_name.to_string(),
                })
                .collect(),
            has_completed_onboarding: status.onboarding_completed_at.is_some(),
            onboarding_completed_at: status.onboarding_completed_at,
            onboarding_skipped: status.onboarding_skipped,
            first_login_completed: status.first_login_completed,
            can_skip_onboarding: percentage >= SKIP_THRESHOLD_PERCENT,
            required_documents: Vec::new(),
            onboarding_workflow_state: None,
        }
    }
}

/// `POST /api/v2/profile/mark-onboarding-complete/`: the mobile `MarkOnboardingCompleteResponseDto`.
/// The state after the call (docs/CONTRACT.md has the transitions).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MarkOnboardingCompleteResponse {
    /// Always `true` (failures are error responses).
    pub success: bool,
    /// When onboarding was first completed, ISO 8601 UTC with `Z`; `null`
    /// after a skip of a never-completed onboarding.
    #[schema(required = true, format = DateTime)]
    pub onboarding_completed_at: Option<String>,
    pub onboarding_skipped: bool,
    /// Always `true` after this call.
    pub first_login_completed: bool,
}

// ---------------------------------------------------------------------------
// Request bodies. The handlers parse them field by field (to report every
// problem at once and to tell a missing field from a `null` one); these types
// describe the same rules for the document. Unknown keys are refused (400).

/// Body of `POST /api/v2/auth/login/`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// The login name (case-insensitive; surrounding spaces are ignored).
    #[schema(min_length = 1)]
    pub username: String,
    #[schema(min_length = 1, format = Password)]
    pub password: String,
}

/// Body of `POST /api/v2/auth/refresh/`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token from the login or the previous refresh.
    #[schema(min_length = 1)]
    pub refresh: String,
}

/// Body of `PATCH /api/v2/profile/me/`: every key is optional and only the
/// keys sent are changed. `null` clears a field (not `email`). Read-only keys
/// (`capabilities`, `tenant_id`, the onboarding state, `peopleimg`, the
/// percentage, ...) and unknown keys are a 400, and nothing is written.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileUpdateRequest {
    /// A valid email address (at most 254 characters); cannot be cleared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = Email, max_length = 254, nullable = false)]
    pub email: Option<String>,
    /// The phone number, shown as `phone`: an optional `+` and 7 to 15 digits;
    /// `null` or `""` clears it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = r"^(\+?[0-9]{7,15})?$")]
    pub mobno: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub profile: Option<ProfileUpdateProfile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub organizational: Option<ProfileUpdateOrganizational>,
}

/// The `profile` part of the PATCH body. Dates are `YYYY-MM-DD`; the date of
/// birth may not be in the future and the date of joining may not be before
/// it. `null` clears a field.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileUpdateProfile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Gender>)]
    pub gender: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = Date)]
    pub dateofbirth: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = Date)]
    pub dateofjoin: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = Date)]
    pub dateofreport: Option<String>,
}

/// The `organizational` part of the PATCH body: ids of the caller's tenant's
/// reference data (an unknown id is a 400); `null` clears a field. `client`
/// cannot be set.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileUpdateOrganizational {
    /// A location id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1)]
    pub location: Option<u64>,
    /// A department id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1)]
    pub department: Option<u64>,
    /// A designation id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1)]
    pub designation: Option<u64>,
    /// A business unit id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1)]
    pub bu: Option<u64>,
    /// The id of another user of the same tenant (not oneself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1)]
    pub reportto: Option<u64>,
}

/// Body of `POST /api/v2/profile/mark-onboarding-complete/`: the mobile
/// `MarkOnboardingCompleteRequestDto`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkOnboardingCompleteRequest {
    /// `false`: onboarding was completed; `true`: the user skipped it.
    pub skipped: bool,
    /// The steps the user went through. Repeated names count once; steps from
    /// earlier calls are kept. Missing or `null` means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<OnboardingStep>>)]
    pub completed_steps: Option<Vec<String>>,
}

// ---------------------------------------------------------------------------
// Error bodies (shared::errors builds them; these types document them).

/// `{"detail": ...}`: 401 (no, invalid or expired credentials), 403 when a
/// capability is missing, 429, 500 and 503.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    /// A human-readable message.
    pub detail: String,
    /// Machine-readable reason on some 401s: `token_not_valid` (a bad, expired
    /// or used-up token) or `no_active_account` (wrong login).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub code: Option<String>,
}

/// `{"error": ...}`: 404, 409 and upload errors.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ErrorMessage {
    /// A human-readable message.
    pub error: String,
}

/// `{"errors": {field: [messages]}}`: a 400 on a body; every problem found is
/// reported at once and nothing is written. Keys are field names
/// (`dateofbirth`, `completed_steps`, ...; `profile.<key>` or
/// `organizational.<key>` for an unknown nested key, `body` when the body is
/// not a JSON object).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ValidationErrors {
    pub errors: BTreeMap<String, Vec<String>>,
}

// ---------------------------------------------------------------------------
// Schemas written by hand from the tables they document, so they cannot drift.

fn string_enum(description: &str, values: Vec<String>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(values))
        .into()
}

/// The 13 flags in the contract's order, each a required boolean; its
/// description gives the default, the admin default and what it gates.
impl PartialSchema for Capabilities {
    fn schema() -> RefOr<Schema> {
        let mut object = ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "The user's effective capability flags: all 13, camelCase. A user with \
             no stored value gets the default of their role (user or admin); \
             stored values are merged over it. Each flag's `default` is the \
             default for a regular user.",
            ));
        for def in &CAPABILITY_TABLE {
            object = object
                .property(
                    def.key,
                    ObjectBuilder::new()
                        .schema_type(Type::Boolean)
                        .default(Some(serde_json::Value::Bool(def.default)))
                        .description(Some(format!(
                            "Default {}, admin default {}. Gates: {}.",
                            def.default, def.admin_default, def.gates
                        ))),
                )
                .required(def.key);
        }
        object.into()
    }
}

impl ToSchema for Capabilities {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Capabilities")
    }
}

/// Gender on the wire.
impl PartialSchema for Gender {
    fn schema() -> RefOr<Schema> {
        string_enum(
            "Gender on the wire. Stored legacy one-letter codes (`M`, `F`, `O`) are \
             shown in this form; the PATCH takes only this form.",
            [Gender::Male, Gender::Female, Gender::Other]
                .iter()
                .map(|g| g.as_wire().to_string())
                .collect(),
        )
    }
}

impl ToSchema for Gender {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Gender")
    }
}

/// Schema only: the name of an onboarding step ([`ONBOARDING_STEPS`]).
pub struct OnboardingStep;

impl PartialSchema for OnboardingStep {
    fn schema() -> RefOr<Schema> {
        string_enum(
            "An onboarding step the apps may report.",
            ONBOARDING_STEPS.iter().map(|s| s.to_string()).collect(),
        )
    }
}

impl ToSchema for OnboardingStep {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("OnboardingStep")
    }
}

/// Schema only: the key of a required profile field ([`REQUIRED_FIELDS`]).
pub struct RequiredField;

impl PartialSchema for RequiredField {
    fn schema() -> RefOr<Schema> {
        string_enum(
            "A profile field that counts towards completion.",
            REQUIRED_FIELDS.iter().map(|(f, _)| f.to_string()).collect(),
        )
    }
}

impl ToSchema for RequiredField {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("RequiredField")
    }
}
