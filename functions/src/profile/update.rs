//! `PATCH /api/v2/profile/me/` and `PATCH /api/v2/profile/me/update/`: a
//! partial update of exactly the fields sent. Everything is validated before
//! anything is written, every problem reported at once; the write goes
//! through [`super::change`], conditional on the version read.

use super::change::{self, ProfileChange};
use crate::handler::{authenticated_user, ok, Answer};
use lambda_http::Request;
use serde::Deserialize;
use serde_json::{Map, Value};
use shared::context::Needs;
use shared::errors::{FieldErrors, MSG_PROFILE_NOT_INITIALIZED};
use shared::profile::Gender;
use shared::request::{self, msg, nested, push, Field, Files, RequestBody};
use shared::{http, ApiError, AppContext};

#[cfg(feature = "openapi")]
use crate::docs::*;

pub const NEEDS: Needs = crate::routes::MEDIA;

/// Shown to clients but never settable here.
const READ_ONLY: &[&str] = &[
    "id",
    "username",
    "full_name",
    "client_id",
    "tenant_id",
    "capabilities",
    "onboarding_status",
    "first_login_completed",
    "onboarding_completed_at",
    "onboarding_skipped",
    "profile_completion_percentage",
    "people_extras",
];
const PROFILE_READ_ONLY: &[&str] = &["peopleimg", "profile_completion_percentage"];
const DATE_RANGE_MSG: &str = "Date must be between 1900-01-01 and 9999-12-31.";
const DATE_FORMAT_MSG: &str =
    "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.";

/// Body of `PATCH /api/v2/profile/me/`: every key is optional and only the
/// keys sent are changed. `null` clears a field (not `email`). Read-only keys
/// (`capabilities`, `tenant_id`, the onboarding state, `peopleimg`, the
/// percentage, ...) and unknown keys are a 400, and nothing is written.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileUpdateRequest {
    /// A valid email address (at most 254 characters); cannot be cleared.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<String>, format = Email, max_length = 254, nullable = false)
    )]
    #[serde(default)]
    pub email: Field<String>,
    /// The phone number, shown as `phone`: an optional `+` and 7 to 15 digits;
    /// `null` or `""` clears it.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<String>, pattern = r"^(\+?[0-9]{7,15})?$")
    )]
    #[serde(default)]
    pub mobno: Field<String>,
    /// `null` is the same as leaving it out: nothing in it changes.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<ProfileUpdateProfile>)
    )]
    #[serde(default)]
    pub profile: Field<Map<String, Value>>,
    /// `null` is the same as leaving it out: nothing in it changes.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<ProfileUpdateOrganizational>)
    )]
    #[serde(default)]
    pub organizational: Field<Map<String, Value>>,
}

/// The `profile` part of the PATCH body. Dates are `YYYY-MM-DD`; the date of
/// birth may not be in the future and the date of joining may not be before
/// it. `null` clears a field.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileUpdateProfile {
    #[cfg_attr(feature = "openapi", schema(value_type = Option<shared::profile::Gender>))]
    #[serde(default)]
    pub gender: Field<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, pattern = r"^(19[0-9]{2}|[2-9][0-9]{3})-"))]
    #[serde(default)]
    pub dateofbirth: Field<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, pattern = r"^(19[0-9]{2}|[2-9][0-9]{3})-"))]
    #[serde(default)]
    pub dateofjoin: Field<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, pattern = r"^(19[0-9]{2}|[2-9][0-9]{3})-"))]
    #[serde(default)]
    pub dateofreport: Field<String>,
}

/// The `organizational` part of the PATCH body: ids of the caller's tenant's
/// reference data (an unknown id is a 400); `null` clears a field. `client`
/// cannot be set.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileUpdateOrganizational {
    /// A location id.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u64>, minimum = 1))]
    #[serde(default)]
    pub location: Field<Value>,
    /// A department id.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u64>, minimum = 1))]
    #[serde(default)]
    pub department: Field<Value>,
    /// A designation id.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u64>, minimum = 1))]
    #[serde(default)]
    pub designation: Field<Value>,
    /// A business unit id.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u64>, minimum = 1))]
    #[serde(default)]
    pub bu: Field<Value>,
    /// The id of another user of the same tenant (not oneself).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u64>, minimum = 1))]
    #[serde(default)]
    pub reportto: Field<Value>,
}

impl RequestBody for ProfileUpdateRequest {
    type Valid = ProfileChange;

    fn unknown_key(key: &str, prefix: &str) -> Option<(String, &'static str)> {
        Some(if READ_ONLY.contains(&key) {
            (key.to_string(), msg::READ_ONLY)
        } else if key == "phone" {
            (key.to_string(), "Use \"mobno\" to change the phone number.")
        } else {
            (format!("{prefix}{key}"), msg::UNKNOWN)
        })
    }

    fn validate(self, errors: &mut FieldErrors, _: &mut Files) -> Option<ProfileChange> {
        let mut change = ProfileChange::default();
        if let Some(email) = self.email.not_null("email", errors, msg::NOT_A_STRING) {
            let email = email.trim();
            if email.is_empty() {
                push(errors, "email", msg::BLANK);
            } else if email.len() > 254 || !email_address::EmailAddress::is_valid(email) {
                push(errors, "email", "Enter a valid email address.");
            } else {
                change.email = Some(email.to_string());
            }
        }
        match self.mobno.patch("mobno", errors, msg::NOT_A_STRING) {
            None => {}
            Some(None) => change.mobno = Some(None),
            Some(Some(m)) => {
                let m = m.trim();
                let digits = m.strip_prefix('+').unwrap_or(m);
                if m.is_empty() {
                    change.mobno = Some(None);
                } else if (7..=15).contains(&digits.len())
                    && digits.bytes().all(|b| b.is_ascii_digit())
                {
                    change.mobno = Some(Some(m.to_string()));
                } else {
                    push(
                        errors,
                        "mobno",
                        "Enter a valid phone number: an optional + and 7 to 15 digits.",
                    );
                }
            }
        }
        if let Some(Field::Value(profile)) =
            nested::<ProfileUpdateProfile>(self.profile, "profile", errors, msg::NOT_AN_OBJECT)
        {
            change.profile = profile;
        }
        if let Some(Field::Value(org)) = nested::<ProfileUpdateOrganizational>(
            self.organizational,
            "organizational",
            errors,
            msg::NOT_AN_OBJECT,
        ) {
            change.org = org;
        }
        Some(change)
    }
}

impl RequestBody for ProfileUpdateProfile {
    type Valid = Vec<(&'static str, Option<String>)>;

    fn unknown_key(key: &str, prefix: &str) -> Option<(String, &'static str)> {
        Some(if PROFILE_READ_ONLY.contains(&key) {
            (key.to_string(), msg::READ_ONLY)
        } else {
            (format!("{prefix}{key}"), msg::UNKNOWN)
        })
    }

    fn validate(self, errors: &mut FieldErrors, _: &mut Files) -> Option<Self::Valid> {
        let mut out = Vec::new();
        match self.gender.patch("gender", errors, msg::NOT_A_STRING) {
            None => {}
            Some(None) => out.push(("gender", None)),
            Some(Some(g)) => match Gender::from_wire(&g) {
                Some(g) => out.push(("gender", Some(g.as_wire().to_string()))),
                None => push(
                    errors,
                    "gender",
                    format!("\"{g}\" is not a valid choice. Use MALE, FEMALE or OTHER."),
                ),
            },
        }
        for (field, value) in [
            ("dateofbirth", self.dateofbirth),
            ("dateofjoin", self.dateofjoin),
            ("dateofreport", self.dateofreport),
        ] {
            match value.patch(field, errors, DATE_FORMAT_MSG) {
                None => {}
                Some(None) => out.push((field, None)),
                Some(Some(d)) => match shared::time::parse_date(&d) {
                    Ok(date) => out.push((field, Some(date.format("%Y-%m-%d").to_string()))),
                    Err(shared::time::DateError::Format) => push(errors, field, DATE_FORMAT_MSG),
                    Err(shared::time::DateError::Range) => push(errors, field, DATE_RANGE_MSG),
                },
            }
        }
        Some(out)
    }
}

impl RequestBody for ProfileUpdateOrganizational {
    type Valid = Vec<(&'static str, Option<u64>)>;

    fn unknown_key(key: &str, prefix: &str) -> Option<(String, &'static str)> {
        Some(if key == "client" {
            (key.to_string(), msg::READ_ONLY)
        } else {
            (format!("{prefix}{key}"), msg::UNKNOWN)
        })
    }

    fn validate(self, errors: &mut FieldErrors, _: &mut Files) -> Option<Self::Valid> {
        let mut out = Vec::new();
        for (field, value) in [
            ("location", self.location),
            ("department", self.department),
            ("designation", self.designation),
            ("bu", self.bu),
            ("reportto", self.reportto),
        ] {
            match value {
                Field::Absent => {}
                Field::Null => out.push((field, None)),
                Field::Value(Value::Number(x)) if x.as_u64().is_some_and(|v| v > 0) => {
                    out.push((field, x.as_u64()))
                }
                Field::Value(other) | Field::Invalid(other) => push(
                    errors,
                    field,
                    format!(
                        "Incorrect type. Expected pk value, received {}.",
                        json_type(&other)
                    ),
                ),
            }
        }
        Some(out)
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let (principal, user) = authenticated_user(ctx, req).await?;
    // The same answer as GET for a profile that was never created, whatever
    // the body says.
    if user.profile.is_none() {
        return Err(ApiError::NotFound(MSG_PROFILE_NOT_INITIALIZED.to_string()));
    }
    let include = http::includes(req, super::INCLUDES)?;
    // Every problem is reported at once: shape, dates and organizational ids.
    let (change, mut errors) = request::json_partial::<ProfileUpdateRequest>(req)?;
    let change = change.unwrap_or_default();
    let org = change::check(ctx, &principal, &user, &change, &mut errors).await?;
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    if change.is_empty() {
        return ok(&super::answer(ctx, &user, &include).await?);
    }
    let updated = change::apply(ctx, &principal, user, &change, &org).await?;
    tracing::info!(
        user_id = principal.user_id,
        tenant_id = principal.tenant_id,
        "profile updated"
    );
    ok(&super::answer(ctx, &updated, &include).await?)
}

#[cfg(feature = "openapi")]
pub const PROFILE_PATCH_REQUEST_DOC: RequestDoc = RequestDoc {
    media_type: JSON,
    schema: schema_of::<ProfileUpdateRequest>,
    required: false,
    examples: &[example(
        "contract",
        "The contract's Endpoint 2 example",
        PROFILE_PATCH_REQUEST,
    )],
    also: &[],
};

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "updateProfile",
    tag: "profile",
    summary: "Update the caller's profile (Endpoint 2)",
    description: PROFILE_PATCH_DOC,
    access: Access::Bearer,
    params: &[INCLUDE_DATEOFREPORT],
    request: Some(PROFILE_PATCH_REQUEST_DOC),
    responses: PROFILE_PATCH_RESPONSES,
};

#[cfg(feature = "openapi")]
pub const DOC_ALIAS: RouteDoc = RouteDoc {
    operation_id: "updateProfileAlias",
    tag: "profile",
    summary: "Update the caller's profile (the contract's second path)",
    description: PROFILE_PATCH_DOC,
    access: Access::Bearer,
    params: &[INCLUDE_DATEOFREPORT],
    request: Some(PROFILE_PATCH_REQUEST_DOC),
    responses: PROFILE_PATCH_RESPONSES,
};
