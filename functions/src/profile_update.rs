//! `PATCH /api/v2/profile/me/` and `PATCH /api/v2/profile/me/update/`: a
//! partial update of exactly the fields sent. Everything is validated before
//! anything is written; the write is conditional on the version read, so a
//! concurrent change is never lost (we re-read and re-apply instead).

use crate::common::{authenticated_user, backoff, ok_json, reject_unknown, WRITE_ATTEMPTS};
use chrono::NaiveDate;
use lambda_http::{Body, Request, Response};
use serde_json::{Map, Value};
use shared::auth::Principal;
use shared::contract::ProfileResponse;
use shared::errors::{respond, FieldErrors};
use shared::profile::Gender;
use shared::store::attrs::{n, opt_s, s, Item};
use shared::store::{RefKind, StoreError, UserRecord};
use shared::{http, media, ApiError, AppContext};

const TOP_LEVEL: &[&str] = &["email", "mobno", "profile", "organizational"];
const PROFILE_FIELDS: &[&str] = &["gender", "dateofbirth", "dateofjoin", "dateofreport"];
const ORG_FIELDS: &[&str] = &["location", "department", "designation", "bu", "reportto"];
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
const MSG_READ_ONLY: &str = "This field cannot be updated.";
const DATE_RANGE_MSG: &str = "Date must be between 1900-01-01 and 9999-12-31.";
const DATE_FORMAT_MSG: &str =
    "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.";

pub async fn handle(ctx: &AppContext, req: Request) -> Response<Body> {
    respond(run(ctx, &req).await)
}

/// The validated change, ready to apply to whatever version is current.
#[derive(Default)]
struct Change {
    email: Option<String>,
    /// `Some(None)` clears the field.
    mobno: Option<Option<String>>,
    profile: Vec<(&'static str, Option<String>)>,
    org: Vec<(&'static str, Option<u64>)>,
}

async fn run(ctx: &AppContext, req: &Request) -> Result<Response<Body>, ApiError> {
    let (principal, mut user) = authenticated_user(ctx, req).await?;
    let body = http::json_object(req)?;
    // Every problem is reported at once: shape, dates and organizational ids.
    let (change, mut errors) = parse(&body);
    for (field, messages) in validate_dates(&user, &change) {
        errors.entry(field).or_default().extend(messages);
    }
    let names = resolve_org(ctx, &principal, &change, &mut errors).await?;
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    if change.is_empty() {
        return respond_with(ctx, &user).await;
    }
    for attempt in 0..WRITE_ATTEMPTS {
        if attempt > 0 {
            // Another request changed the record: re-check against its values.
            let errors = validate_dates(&user, &change);
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
        }
        match write(ctx, &principal, &user, &change, &names).await {
            Ok(updated) => {
                tracing::info!(
                    user_id = principal.user_id,
                    tenant_id = principal.tenant_id,
                    "profile updated"
                );
                return respond_with(ctx, &updated).await;
            }
            Err(StoreError::Conflict) => {
                backoff(attempt).await;
                user = ctx
                    .store
                    .get_user(&principal)
                    .await?
                    .ok_or_else(ApiError::invalid_token)?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(StoreError::Conflict.into())
}

async fn respond_with(ctx: &AppContext, user: &UserRecord) -> Result<Response<Body>, ApiError> {
    let image = media::display_url(&ctx.s3, &ctx.config, user.profile_str("peopleimg")).await;
    ok_json(&ProfileResponse::of(
        user,
        image,
        user.effective_capabilities(&ctx.config),
    ))
}

impl Change {
    fn is_empty(&self) -> bool {
        self.email.is_none()
            && self.mobno.is_none()
            && self.profile.is_empty()
            && self.org.is_empty()
    }
}

fn push(errors: &mut FieldErrors, field: &str, message: impl Into<String>) {
    errors
        .entry(field.to_string())
        .or_default()
        .push(message.into());
}

/// Shape and value checks that need no store access.
fn parse(body: &Map<String, Value>) -> (Change, FieldErrors) {
    let mut errors = FieldErrors::new();
    let mut change = Change::default();
    for key in body.keys() {
        if READ_ONLY.contains(&key.as_str()) {
            push(&mut errors, key, MSG_READ_ONLY);
        } else if key == "phone" {
            push(
                &mut errors,
                key,
                "Use \"mobno\" to change the phone number.",
            );
        }
    }
    let unknown: Map<String, Value> = body
        .iter()
        .filter(|(k, _)| !READ_ONLY.contains(&k.as_str()) && k.as_str() != "phone")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    reject_unknown(&unknown, TOP_LEVEL, "", &mut errors);

    match body.get("email") {
        None => {}
        Some(Value::String(e)) => {
            let e = e.trim();
            if e.is_empty() {
                push(&mut errors, "email", "This field may not be blank.");
            } else if e.len() > 254 || !email_address::EmailAddress::is_valid(e) {
                push(&mut errors, "email", "Enter a valid email address.");
            } else {
                change.email = Some(e.to_string());
            }
        }
        Some(Value::Null) => push(&mut errors, "email", "This field may not be null."),
        Some(_) => push(&mut errors, "email", "Not a valid string."),
    }

    match body.get("mobno") {
        None => {}
        Some(Value::Null) => change.mobno = Some(None),
        Some(Value::String(m)) => {
            let m = m.trim();
            let digits = m.strip_prefix('+').unwrap_or(m);
            if m.is_empty() {
                change.mobno = Some(None);
            } else if (7..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
            {
                change.mobno = Some(Some(m.to_string()));
            } else {
                push(
                    &mut errors,
                    "mobno",
                    "Enter a valid phone number: an optional + and 7 to 15 digits.",
                );
            }
        }
        Some(_) => push(&mut errors, "mobno", "Not a valid string."),
    }

    match body.get("profile") {
        None => {}
        Some(Value::Object(profile)) => parse_profile(profile, &mut change, &mut errors),
        Some(_) => push(&mut errors, "profile", "Expected a JSON object."),
    }
    match body.get("organizational") {
        None => {}
        Some(Value::Object(org)) => parse_org(org, &mut change, &mut errors),
        Some(_) => push(&mut errors, "organizational", "Expected a JSON object."),
    }

    (change, errors)
}

fn parse_profile(profile: &Map<String, Value>, change: &mut Change, errors: &mut FieldErrors) {
    for key in profile.keys() {
        if PROFILE_READ_ONLY.contains(&key.as_str()) {
            push(errors, key, MSG_READ_ONLY);
        } else if !PROFILE_FIELDS.contains(&key.as_str()) {
            push(errors, &format!("profile.{key}"), "Unknown field.");
        }
    }
    for field in PROFILE_FIELDS {
        let Some(value) = profile.get(*field) else {
            continue;
        };
        match (*field, value) {
            (_, Value::Null) => change.profile.push((field, None)),
            ("gender", Value::String(g)) => match Gender::from_wire(g) {
                Some(g) => change.profile.push((field, Some(g.as_wire().to_string()))),
                None => push(
                    errors,
                    field,
                    format!("\"{g}\" is not a valid choice. Use MALE, FEMALE or OTHER."),
                ),
            },
            (_, Value::String(d)) => match shared::time::parse_date(d) {
                Ok(date) => change
                    .profile
                    .push((field, Some(date.format("%Y-%m-%d").to_string()))),
                Err(shared::time::DateError::Format) => push(errors, field, DATE_FORMAT_MSG),
                Err(shared::time::DateError::Range) => push(errors, field, DATE_RANGE_MSG),
            },
            ("gender", _) => push(errors, field, "Not a valid string."),
            (_, _) => push(errors, field, DATE_FORMAT_MSG),
        }
    }
}

fn parse_org(org: &Map<String, Value>, change: &mut Change, errors: &mut FieldErrors) {
    for key in org.keys() {
        if key == "client" {
            push(errors, key, MSG_READ_ONLY);
        } else if !ORG_FIELDS.contains(&key.as_str()) {
            push(errors, &format!("organizational.{key}"), "Unknown field.");
        }
    }
    for field in ORG_FIELDS {
        match org.get(*field) {
            None => {}
            Some(Value::Null) => change.org.push((field, None)),
            Some(Value::Number(x)) if x.as_u64().is_some_and(|v| v > 0) => {
                change.org.push((field, x.as_u64()))
            }
            Some(other) => push(
                errors,
                field,
                format!(
                    "Incorrect type. Expected pk value, received {}.",
                    json_type(other)
                ),
            ),
        }
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

fn ref_kind(field: &str) -> Option<RefKind> {
    match field {
        "location" => Some(RefKind::Location),
        "department" => Some(RefKind::Department),
        "designation" => Some(RefKind::Designation),
        "bu" => Some(RefKind::BusinessUnit),
        _ => None,
    }
}

/// Names for the organizational ids sent; an id unknown in the caller's
/// tenant is a field error (another tenant's ids look the same as missing).
async fn resolve_org(
    ctx: &AppContext,
    principal: &Principal,
    change: &Change,
    errors: &mut FieldErrors,
) -> Result<Vec<(&'static str, Option<u64>, Option<String>)>, ApiError> {
    let wanted: Vec<(RefKind, u64)> = change
        .org
        .iter()
        .filter_map(|(field, id)| Some((ref_kind(field)?, (*id)?)))
        .collect();
    let names = ctx
        .store
        .reference_names(principal.tenant_id, &wanted)
        .await?;
    let mut resolved = Vec::new();
    for (field, id) in &change.org {
        let missing = |errors: &mut FieldErrors, id: u64| {
            push(
                errors,
                field,
                format!("Invalid pk \"{id}\" - object does not exist."),
            )
        };
        match (ref_kind(field), id) {
            (_, None) => resolved.push((*field, None, None)),
            (Some(kind), Some(id)) => match names.get(&(kind, *id)) {
                Some(name) => resolved.push((*field, Some(*id), Some(name.clone()))),
                None => missing(errors, *id),
            },
            // reportto: a user of the same tenant, not oneself.
            (None, Some(id)) => {
                let other = Principal {
                    tenant_id: principal.tenant_id,
                    user_id: *id,
                };
                if *id == principal.user_id {
                    push(errors, field, "A user cannot report to themselves.");
                } else if ctx.store.get_user(&other).await?.is_some() {
                    resolved.push((*field, Some(*id), None));
                } else {
                    missing(errors, *id);
                }
            }
        }
    }
    Ok(resolved)
}

/// Date rules on the values the profile would have after the change.
fn validate_dates(user: &UserRecord, change: &Change) -> FieldErrors {
    let sent = |f: &str| {
        change
            .profile
            .iter()
            .find(|(k, _)| *k == f)
            .map(|(_, v)| v.clone())
    };
    let touched = sent("dateofbirth").is_some() || sent("dateofjoin").is_some();
    if !touched {
        return FieldErrors::new();
    }
    let effective = |f: &str| {
        sent(f)
            .unwrap_or_else(|| user.profile_str(f))
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
    };
    let mut errors = FieldErrors::new();
    let dob = effective("dateofbirth");
    if let (Some(dob), Some(_)) = (dob, sent("dateofbirth").flatten()) {
        if dob > shared::time::now().date_naive() {
            push(
                &mut errors,
                "dateofbirth",
                "Date of birth cannot be in the future",
            );
        }
    }
    if let (Some(dob), Some(doj)) = (dob, effective("dateofjoin")) {
        // Strict: joining on the day of birth is as wrong as before it.
        if doj <= dob {
            push(
                &mut errors,
                "dateofjoin",
                "Date of joining cannot be before date of birth",
            );
        }
    }
    errors
}

async fn write(
    ctx: &AppContext,
    principal: &Principal,
    user: &UserRecord,
    change: &Change,
    org_names: &[(&'static str, Option<u64>, Option<String>)],
) -> Result<UserRecord, StoreError> {
    let mut sets = Vec::new();
    if let Some(email) = &change.email {
        sets.push(("email", s(email.clone())));
    }
    if let Some(mobno) = &change.mobno {
        sets.push(("phone", opt_s(mobno.clone())));
    }
    let mut profile_map: Option<Item> = None;
    if !change.profile.is_empty() || user.profile.is_none() {
        // Start from what is stored so keys we do not know survive.
        let mut profile = user.profile.clone().unwrap_or_default();
        for (field, value) in &change.profile {
            profile.insert(field.to_string(), opt_s(value.clone()));
        }
        profile_map = Some(profile);
    }
    if !org_names.is_empty() {
        let mut org = user.organizational.clone();
        for (field, id, name) in org_names {
            match *field {
                "location" => (org.location_id, org.location) = (*id, name.clone()),
                "department" => (org.department_id, org.department) = (*id, name.clone()),
                "designation" => (org.designation_id, org.designation) = (*id, name.clone()),
                "bu" => (org.bu_id, org.bu) = (*id, name.clone()),
                _ => org.reportto = *id,
            }
        }
        let mut stored = shared::store::attrs::get_map(&user.item, "organizational")
            .cloned()
            .unwrap_or_default();
        // Only the fields sent: the others keep their stored value and type.
        let touched: Vec<&str> = org_names.iter().map(|(field, _, _)| *field).collect();
        org.write_fields_into(&mut stored, &touched);
        sets.push(("organizational", aws_sdk_value_map(stored)));
    }
    // The stored percentage always matches the stored fields: it is computed
    // from the very item this conditional write replaces.
    let mut after = user.clone();
    if let Some(profile) = &profile_map {
        after.profile = Some(profile.clone());
    }
    let percentage = after.presence().percentage() as u64;
    if let Some(mut profile) = profile_map {
        profile.insert("profile_completion_percentage".into(), n(percentage));
        sets.push(("profile", aws_sdk_value_map(profile)));
    }
    sets.push(("profile_completion_percentage", n(percentage)));
    ctx.store.update_user(principal, user.version, sets).await
}

fn aws_sdk_value_map(item: Item) -> shared::store::attrs::AttributeValue {
    shared::store::attrs::AttributeValue::M(item)
}
