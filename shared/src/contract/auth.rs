//! Login and refresh answers.

use crate::capabilities::Capabilities;
use serde::{Deserialize, Serialize};

/// The user part of the login answer.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginUser {
    /// The user's id (unique within the API).
    pub id: u64,
    /// The login name, as stored.
    pub username: String,
    /// `null` when the user has no email address.
    #[cfg_attr(feature = "openapi", schema(required = true, format = Email))]
    pub email: Option<String>,
    /// All 13 flags, so the apps can route right after login.
    pub capabilities: Capabilities,
}

/// `POST /api/v2/auth/login/`: tokens and the user.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshResponse {
    /// Access token (EdDSA JWT).
    pub access: String,
    /// The next refresh token; the one sent no longer works.
    pub refresh: String,
}
