//! Tenants, reference data and users: what the contract does in
//! `manage.py shell`, shared by the ops CLI and the local stack's demo data.

use shared::capabilities::{Capabilities, Capability};
use shared::store::attrs::{s, AttributeValue, Item};
use shared::store::{
    NewUser, Organizational, RefKind, ReferenceItem, Store, StoreError, UserRecord,
};
use std::collections::HashMap;

/// The demo tenant's reference data.
const DEMO_REFERENCE: &[(RefKind, &str)] = &[
    (RefKind::Location, "Site A"),
    (RefKind::Location, "Site B"),
    (RefKind::Department, "Security"),
    (RefKind::Department, "Facilities"),
    (RefKind::Designation, "Security Officer"),
    (RefKind::Designation, "Supervisor"),
    (RefKind::BusinessUnit, "Operations"),
];

/// A login the local stack prints.
#[derive(Clone, Debug)]
pub struct DemoLogin {
    pub username: &'static str,
    pub password: &'static str,
    pub role: &'static str,
}

/// The four users of the contract's "Integration Test Scenarios".
pub const DEMO_LOGINS: [DemoLogin; 4] = [
    DemoLogin {
        username: "admin",
        password: "admin-pass-1",
        role: "admin with every capability",
    },
    DemoLogin {
        username: "regular.user",
        password: "regular-pass-1",
        role: "regular user without onboarding (completion-status answers 403)",
    },
    DemoLogin {
        username: "new.employee",
        password: "newbie-pass-1",
        role: "new employee: onboarding on, first login not completed, empty profile",
    },
    DemoLogin {
        username: "existing.user",
        password: "existing-pass-1",
        role: "existing user: onboarding completed",
    },
];

#[derive(Clone, Debug)]
pub struct DemoTenant {
    pub tenant_id: u64,
    pub reference: Vec<ReferenceItem>,
    /// username -> user id
    pub users: HashMap<String, u64>,
}

pub fn capability_map(pairs: &[(Capability, bool)]) -> HashMap<String, bool> {
    pairs
        .iter()
        .map(|(c, v)| (c.key().to_string(), *v))
        .collect()
}

fn profile(pairs: &[(&str, &str)]) -> Item {
    pairs.iter().map(|(k, v)| (k.to_string(), s(*v))).collect()
}

/// Creates a tenant with the given reference data.
pub async fn create_tenant(
    store: &Store,
    name: &str,
    reference: &[(RefKind, &str)],
) -> Result<(u64, Vec<ReferenceItem>), StoreError> {
    let tenant_id = store.create_tenant(name).await?;
    let mut items = Vec::new();
    for (kind, ref_name) in reference {
        items.push(store.add_reference(tenant_id, *kind, ref_name).await?);
    }
    Ok((tenant_id, items))
}

/// The demo tenant and its four users; does nothing if `admin` exists.
pub async fn seed_demo(store: &Store) -> Result<Option<DemoTenant>, StoreError> {
    if store.find_username("admin").await?.is_some() {
        return Ok(None);
    }
    let (tenant_id, reference) = create_tenant(store, "Demo Corp", DEMO_REFERENCE).await?;
    let find = |kind: RefKind, name: &str| {
        reference
            .iter()
            .find(|r| r.kind == kind && r.name == name)
            .map(|r| r.id)
    };
    let org = Organizational {
        location_id: find(RefKind::Location, "Site A"),
        location: Some("Site A".into()),
        department_id: find(RefKind::Department, "Security"),
        department: Some("Security".into()),
        designation_id: find(RefKind::Designation, "Security Officer"),
        designation: Some("Security Officer".into()),
        bu_id: find(RefKind::BusinessUnit, "Operations"),
        bu: Some("Operations".into()),
        reportto: None,
        client: Some(tenant_id),
    };
    let completed_at = shared::time::iso(shared::time::now());
    let base = |login: &DemoLogin| NewUser {
        tenant_id,
        username: login.username.to_string(),
        password_hash: shared::password::hash(login.password),
        email: Some(format!("{}@demo.example", login.username.replace('.', "-"))),
        organizational: org.clone(),
        ..NewUser::default()
    };
    use Capability::*;
    let users = vec![
        NewUser {
            full_name: Some("Ada Admin".into()),
            phone: Some("+15550000001".into()),
            is_admin: true,
            capabilities: Some(capability_map(&[
                (AccessOnboarding, true),
                (UseVoiceFeatures, true),
                (UseVoiceBiometrics, true),
            ])),
            profile: Some(profile(&[
                ("dateofbirth", "1985-03-02"),
                ("dateofjoin", "2020-01-06"),
                ("gender", "FEMALE"),
            ])),
            first_login_completed: true,
            onboarding_completed_at: Some(completed_at.clone()),
            ..base(&DEMO_LOGINS[0])
        },
        NewUser {
            full_name: Some("Reggie Regular".into()),
            capabilities: Some(capability_map(&[
                (AccessOnboarding, false),
                (UseVoiceFeatures, false),
            ])),
            profile: Some(profile(&[
                ("dateofbirth", "1990-01-15"),
                ("dateofjoin", "2025-01-01"),
            ])),
            first_login_completed: true,
            ..base(&DEMO_LOGINS[1])
        },
        NewUser {
            full_name: Some("Nina New".into()),
            capabilities: Some(capability_map(&[
                (AccessOnboarding, true),
                (UseVoiceFeatures, false),
            ])),
            profile: Some(Item::new()),
            first_login_completed: false,
            ..base(&DEMO_LOGINS[2])
        },
        NewUser {
            full_name: Some("Ezra Existing".into()),
            capabilities: Some(capability_map(&[(AccessOnboarding, true)])),
            profile: Some(profile(&[
                ("dateofbirth", "1988-07-21"),
                ("dateofjoin", "2019-05-13"),
                ("gender", "M"),
            ])),
            first_login_completed: true,
            onboarding_completed_at: Some(completed_at),
            ..base(&DEMO_LOGINS[3])
        },
    ];
    let mut ids = HashMap::new();
    for user in users {
        let created = store.create_user(user).await?;
        ids.insert(created.username.clone(), created.id);
    }
    Ok(Some(DemoTenant {
        tenant_id,
        reference,
        users: ids,
    }))
}

/// Sets (`Some`) or clears (`None`, back to the role's default) stored
/// capability values; retried on a concurrent write.
pub async fn change_capabilities(
    store: &Store,
    user: &UserRecord,
    changes: &[(Capability, Option<bool>)],
) -> Result<UserRecord, StoreError> {
    let mut current = user.clone();
    for _ in 0..8 {
        let mut stored: Item = shared::store::attrs::get_map(&current.item, "capabilities")
            .cloned()
            .unwrap_or_default();
        for (cap, value) in changes {
            match value {
                Some(v) => {
                    stored.insert(cap.key().to_string(), AttributeValue::Bool(*v));
                }
                None => {
                    stored.remove(cap.key());
                }
            }
        }
        match store
            .update_user(
                &current.principal(),
                current.version,
                vec![("capabilities", AttributeValue::M(stored))],
            )
            .await
        {
            Ok(updated) => return Ok(updated),
            Err(StoreError::Conflict) => {
                current = store
                    .get_user(&current.principal())
                    .await?
                    .ok_or_else(|| StoreError::Other("user disappeared".into()))?;
            }
            Err(e) => return Err(e),
        }
    }
    Err(StoreError::Conflict)
}

/// Effective capabilities, for display.
pub fn effective(user: &UserRecord) -> Capabilities {
    user.capabilities
}
