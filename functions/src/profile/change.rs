//! A validated change to the caller's profile and the one way it is written:
//! the rules that need the stored record (the date rules, organizational ids
//! of the tenant) and the write conditional on the version read, re-applied
//! to the fresh record after a lost race. The profile PATCH and the
//! conversational onboarding both write through [`apply`].

use crate::handler::{retry_on_conflict, WriteError};
use shared::auth::Principal;
use shared::errors::FieldErrors;
use shared::request::push;
use shared::store::attrs::{get_map, n, opt_s, s, AttributeValue, Item};
use shared::store::{RefKind, UserRecord};
use shared::{ApiError, AppContext};

pub const MSG_DOB_FUTURE: &str = "Date of birth cannot be in the future";
pub const MSG_DOJ_BEFORE_DOB: &str = "Date of joining cannot be before date of birth";

/// What to change; every field `None` is "not sent".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProfileChange {
    pub email: Option<String>,
    /// `Some(None)` clears the phone.
    pub mobno: Option<Option<String>>,
    /// `profile.<field>`: a wire value (`YYYY-MM-DD`, `MALE`...) or `None` to clear.
    pub profile: Vec<(&'static str, Option<String>)>,
    /// `organizational.<field>`: an id, or `None` to clear.
    pub org: Vec<(&'static str, Option<u64>)>,
}

impl ProfileChange {
    pub fn is_empty(&self) -> bool {
        self.email.is_none()
            && self.mobno.is_none()
            && self.profile.is_empty()
            && self.org.is_empty()
    }

    fn sent(&self, field: &str) -> Option<Option<String>> {
        self.profile
            .iter()
            .find(|(k, _)| *k == field)
            .map(|(_, v)| v.clone())
    }
}

/// The rules that need the stored record, reported all at once: the date
/// rules on the values the profile would have after the change, and the
/// organizational ids of the caller's tenant. Returns the names of the ids.
pub async fn check(
    ctx: &AppContext,
    principal: &Principal,
    user: &UserRecord,
    change: &ProfileChange,
    errors: &mut FieldErrors,
) -> Result<Vec<OrgValue>, ApiError> {
    date_rules(user, change, errors);
    resolve_org(ctx, principal, change, errors).await
}

/// Writes `change` (already checked by [`check`]) conditionally on the
/// record's version; after a lost race the date rules are checked again
/// against the fresh record and the change re-applied to it.
pub async fn apply(
    ctx: &AppContext,
    principal: &Principal,
    user: UserRecord,
    change: &ProfileChange,
    org: &[OrgValue],
) -> Result<UserRecord, ApiError> {
    let first_version = user.version;
    retry_on_conflict(ctx, principal, user, |user| async move {
        if user.version != first_version {
            let mut errors = FieldErrors::new();
            date_rules(&user, change, &mut errors);
            if !errors.is_empty() {
                return Err(WriteError::Fail(ApiError::Validation(errors)));
            }
        }
        Ok(write(ctx, principal, &user, change, org).await?)
    })
    .await
}

/// The date rules: a date of birth sent may not be in the future, and the
/// date of joining must come strictly after the date of birth.
pub fn date_rules(user: &UserRecord, change: &ProfileChange, errors: &mut FieldErrors) {
    let touched = change.sent("dateofbirth").is_some() || change.sent("dateofjoin").is_some();
    if !touched {
        return;
    }
    let effective = |f: &str| {
        change
            .sent(f)
            .unwrap_or_else(|| user.profile_str(f))
            .and_then(|d| shared::time::parse_date(&d).ok())
    };
    let dob = effective("dateofbirth");
    if let (Some(dob), Some(_)) = (dob, change.sent("dateofbirth").flatten()) {
        if dob > shared::time::now().date_naive() {
            push(errors, "dateofbirth", MSG_DOB_FUTURE);
        }
    }
    if let (Some(dob), Some(doj)) = (dob, effective("dateofjoin")) {
        // Strict: joining on the day of birth is as wrong as before it.
        if doj <= dob {
            push(errors, "dateofjoin", MSG_DOJ_BEFORE_DOB);
        }
    }
}

/// An organizational field to write: the id and, for reference data, its name.
pub type OrgValue = (&'static str, Option<u64>, Option<String>);

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
    change: &ProfileChange,
    errors: &mut FieldErrors,
) -> Result<Vec<OrgValue>, ApiError> {
    let wanted: Vec<(RefKind, u64)> = change
        .org
        .iter()
        .filter_map(|(field, id)| Some((ref_kind(field)?, (*id)?)))
        .collect();
    let names = if wanted.is_empty() {
        Default::default()
    } else {
        ctx.store
            .reference_names(principal.tenant_id, &wanted)
            .await?
    };
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

async fn write(
    ctx: &AppContext,
    principal: &Principal,
    user: &UserRecord,
    change: &ProfileChange,
    org_values: &[OrgValue],
) -> Result<UserRecord, shared::store::StoreError> {
    ctx.store
        .update_user(principal, user.version, sets(user, change, org_values))
        .await
}

/// The attributes a change writes on `user`'s item: only the fields sent,
/// over what is stored (unknown keys survive), with the completion
/// percentage computed from the very item the conditional write replaces.
/// [`apply`] writes them alone; the conversation writes them with its turn.
pub fn sets(
    user: &UserRecord,
    change: &ProfileChange,
    org_values: &[OrgValue],
) -> Vec<(&'static str, AttributeValue)> {
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
    if !org_values.is_empty() {
        let mut org = user.organizational.clone();
        for (field, id, name) in org_values {
            match *field {
                "location" => (org.location_id, org.location) = (*id, name.clone()),
                "department" => (org.department_id, org.department) = (*id, name.clone()),
                "designation" => (org.designation_id, org.designation) = (*id, name.clone()),
                "bu" => (org.bu_id, org.bu) = (*id, name.clone()),
                _ => org.reportto = *id,
            }
        }
        let mut stored = get_map(&user.item, "organizational")
            .cloned()
            .unwrap_or_default();
        // Only the fields sent: the others keep their stored value and type.
        let touched: Vec<&str> = org_values.iter().map(|(field, _, _)| *field).collect();
        org.write_fields_into(&mut stored, &touched);
        sets.push(("organizational", AttributeValue::M(stored)));
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
        sets.push(("profile", AttributeValue::M(profile)));
    }
    sets.push(("profile_completion_percentage", n(percentage)));
    sets
}
