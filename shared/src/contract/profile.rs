//! The profile, completion-status and mark-onboarding-complete answers.

use crate::capabilities::Capabilities;
use crate::profile::SKIP_THRESHOLD_PERCENT;
use crate::store::UserRecord;
use crate::time;
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use super::RequiredField;
#[cfg(feature = "openapi")]
use crate::profile::Gender;

/// The profile part of `GET /api/v2/profile/me/`. Every key is always present;
/// a field the user has not filled in is `null`.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileBlock {
    /// Displayable URL of the profile image (`null`: none). Set by the image
    /// upload, never by the PATCH.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub peopleimg: Option<String>,
    /// Date of birth, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(required = true, format = Date))]
    pub dateofbirth: Option<String>,
    /// Date of joining, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(required = true, format = Date))]
    pub dateofjoin: Option<String>,
    /// Date of reporting, `YYYY-MM-DD` or `null`. The PATCH accepts it, but it
    /// is not in the contract's Endpoint 1, which the apps parse strictly: it
    /// is present only with `?include=dateofreport`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub dateofreport: Option<Option<String>>,
    /// `MALE`, `FEMALE` or `OTHER` (stored legacy `M`/`F`/`O` are shown in the
    /// long form).
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = Option<Gender>))]
    pub gender: Option<String>,
    /// 0, 25, 50, 75 or 100: a quarter for each of `peopleimg`, `dateofbirth`,
    /// `dateofjoin` and `gender` that is present.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    pub profile_completion_percentage: u8,
}

/// Organizational placement: names (the PATCH takes the ids of the caller's
/// tenant's reference data).
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationalBlock {
    /// Name of the location (site).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub location: Option<String>,
    /// Name of the department.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub department: Option<String>,
    /// Name of the designation (job title).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub designation: Option<String>,
    /// Id of the user this user reports to (same tenant).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub reportto: Option<u64>,
    /// The client (tenant) id; set on every user.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub client: Option<u64>,
    /// Name of the business unit.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub bu: Option<String>,
}

/// Where the user is in the onboarding lifecycle (docs/CONTRACT.md).
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OnboardingStatus {
    /// True once the user called mark-onboarding-complete (completed or skipped).
    pub first_login_completed: bool,
    /// When onboarding was first completed, ISO 8601 UTC with `Z`; `null`
    /// until then (a skip leaves it `null`).
    #[cfg_attr(feature = "openapi", schema(required = true, format = DateTime))]
    pub onboarding_completed_at: Option<String>,
    /// True when the user skipped onboarding and has not completed it since.
    pub onboarding_skipped: bool,
}

/// `GET /api/v2/profile/me/` (and the answer to its PATCH).
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileResponse {
    /// The user's id.
    pub id: u64,
    /// The login name.
    pub username: String,
    #[cfg_attr(feature = "openapi", schema(required = true, format = Email))]
    pub email: Option<String>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub full_name: Option<String>,
    /// The phone number (written through `mobno` in the PATCH).
    #[cfg_attr(feature = "openapi", schema(required = true))]
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
    /// `capabilities` the effective flags (`UserRecord::effective_capabilities`);
    /// `with_dateofreport` whether the client opted into `dateofreport`.
    pub fn of(
        user: &UserRecord,
        image_url: Option<String>,
        capabilities: Capabilities,
        with_dateofreport: bool,
    ) -> Self {
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
                dateofreport: with_dateofreport.then(|| user.profile_str("dateofreport")),
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
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MissingField {
    /// The profile key.
    #[cfg_attr(feature = "openapi", schema(value_type = RequiredField))]
    pub field: String,
    /// What the apps show: `Profile Image`, `Date of Birth`, `Date of Joining`, `Gender`.
    pub display_name: String,
}

/// `GET /api/v2/profile/completion-status/`: the mobile `ProfileCompletionDto`.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompletionStatus {
    /// `completion_percentage == 100`.
    pub is_complete: bool,
    /// 0, 25, 50, 75 or 100: a quarter for each required field present.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    pub completion_percentage: u8,
    /// The required fields that are missing, in the order `peopleimg`,
    /// `dateofbirth`, `dateofjoin`, `gender`; empty when complete.
    pub missing_fields: Vec<MissingField>,
    /// True only once onboarding was completed (a skip is not a completion).
    pub has_completed_onboarding: bool,
    /// When onboarding was first completed, ISO 8601 UTC with `Z`, or `null`.
    #[cfg_attr(feature = "openapi", schema(required = true, format = DateTime))]
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
    #[cfg_attr(feature = "openapi", schema(required = true))]
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
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkOnboardingCompleteResponse {
    /// Always `true` (failures are error responses).
    pub success: bool,
    /// When onboarding was first completed, ISO 8601 UTC with `Z`; `null`
    /// after a skip of a never-completed onboarding.
    #[cfg_attr(feature = "openapi", schema(required = true, format = DateTime))]
    pub onboarding_completed_at: Option<String>,
    pub onboarding_skipped: bool,
    /// Always `true` after this call.
    pub first_login_completed: bool,
}
