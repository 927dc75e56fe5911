//! The wire contract: request and response bodies exactly as the apps parse
//! them (snake_case keys, capabilities in camelCase, ISO 8601 UTC times).

use crate::capabilities::Capabilities;
use crate::profile::SKIP_THRESHOLD_PERCENT;
use crate::store::UserRecord;
use crate::time;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
pub struct LoginUser {
    pub id: u64,
    pub username: String,
    pub email: Option<String>,
    pub capabilities: Capabilities,
}

/// `POST /api/v2/auth/login/`
#[derive(Debug, Serialize, Deserialize)]
pub struct LoginResponse {
    pub access: String,
    pub refresh: String,
    pub user: LoginUser,
}

/// `POST /api/v2/auth/refresh/`
#[derive(Debug, Serialize, Deserialize)]
pub struct RefreshResponse {
    pub access: String,
    pub refresh: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ProfileBlock {
    pub peopleimg: Option<String>,
    pub dateofbirth: Option<String>,
    pub dateofjoin: Option<String>,
    /// Not in the contract's example, but the PATCH accepts it; shown so it is
    /// not write-only.
    pub dateofreport: Option<String>,
    pub gender: Option<String>,
    pub profile_completion_percentage: u8,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct OrganizationalBlock {
    pub location: Option<String>,
    pub department: Option<String>,
    pub designation: Option<String>,
    pub reportto: Option<u64>,
    pub client: Option<u64>,
    pub bu: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct OnboardingStatus {
    pub first_login_completed: bool,
    pub onboarding_completed_at: Option<String>,
    pub onboarding_skipped: bool,
}

/// `GET /api/v2/profile/me/` (and the answer to its PATCH).
#[derive(Debug, Serialize, Deserialize)]
pub struct ProfileResponse {
    pub id: u64,
    pub username: String,
    pub email: Option<String>,
    pub full_name: Option<String>,
    pub phone: Option<String>,
    pub client_id: u64,
    pub tenant_id: u64,
    pub capabilities: Capabilities,
    pub profile: ProfileBlock,
    pub organizational: OrganizationalBlock,
    pub onboarding_status: OnboardingStatus,
}

impl ProfileResponse {
    /// `image_url` is the displayable URL of the stored image, if any.
    pub fn of(user: &UserRecord, image_url: Option<String>) -> Self {
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
            capabilities: user.capabilities,
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

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct MissingField {
    pub field: String,
    pub display_name: String,
}

/// `GET /api/v2/profile/completion-status/`: the mobile `ProfileCompletionDto`.
#[derive(Debug, Serialize, Deserialize)]
pub struct CompletionStatus {
    pub is_complete: bool,
    pub completion_percentage: u8,
    pub missing_fields: Vec<MissingField>,
    /// True only once onboarding was completed (a skip is not a completion).
    pub has_completed_onboarding: bool,
    pub onboarding_completed_at: Option<String>,
    pub onboarding_skipped: bool,
    pub first_login_completed: bool,
    pub can_skip_onboarding: bool,
    pub required_documents: Vec<String>,
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
#[derive(Debug, Serialize, Deserialize)]
pub struct MarkOnboardingCompleteResponse {
    pub success: bool,
    pub onboarding_completed_at: Option<String>,
    pub onboarding_skipped: bool,
    pub first_login_completed: bool,
}
