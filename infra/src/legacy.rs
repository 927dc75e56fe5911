//! Legacy user items: one raw DynamoDB item per older shape (written before
//! the onboarding fields existed, numbers stored as strings, one-letter
//! genders, unknown keys, ...), and the writer that puts them into a table.
//! The black-box tests read and migrate exactly these; `opsctl seed-legacy`
//! puts them into the local stack so that `opsctl migrate` has something to
//! upgrade (README, "Legacy data and migrations").

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_types::error::display::DisplayErrorContext;
use shared::store::attrs::{n, s, AttributeValue, Item};
use shared::store::{ReferenceItem, Store, StoreError};

/// The password of every legacy user.
pub const LEGACY_PASSWORD: &str = "legacy-pass-1";

/// The reference data (by name) the legacy shapes point at; the demo tenant
/// has it.
pub const LEGACY_REFERENCE: [&str; 4] = ["Site A", "Security", "Security Officer", "Operations"];

pub fn map(pairs: &[(&str, AttributeValue)]) -> AttributeValue {
    AttributeValue::M(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

fn b(v: bool) -> AttributeValue {
    AttributeValue::Bool(v)
}

fn null() -> AttributeValue {
    AttributeValue::Null(true)
}

/// One legacy user as an older writer left it.
pub struct Legacy {
    pub id: u64,
    pub username: &'static str,
    /// What is old about it, in a few words.
    pub shape: &'static str,
    /// Attributes besides pk, sk and the password hash.
    pub attrs: Vec<(&'static str, AttributeValue)>,
}

impl Legacy {
    pub fn pk(&self, tenant: u64) -> String {
        format!("TENANT#{tenant}#USER#{}", self.id)
    }

    /// The user item as written: the attributes, the key and the hash.
    pub fn item(&self, tenant: u64, password_hash: &str) -> Item {
        let mut item: Item = self
            .attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        item.insert("pk".into(), s(self.pk(tenant)));
        item.insert("sk".into(), s("PROFILE"));
        item.insert("password_hash".into(), s(password_hash));
        item
    }

    /// The username item (`USERNAME#<name>` / `USERNAME`) pointing at it.
    pub fn username_item(&self, tenant: u64) -> Item {
        // The string-typed legacy user has a string-typed username item too.
        let id = if self.username == "legacy.strings" {
            s(self.id.to_string())
        } else {
            n(self.id)
        };
        [
            ("pk", s(format!("USERNAME#{}", self.username))),
            ("sk", s("USERNAME")),
            ("entity", s("USERNAME")),
            ("tenant_id", n(tenant)),
            ("user_id", id),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }
}

/// The names of `LEGACY_REFERENCE` that `reference` lacks.
pub fn missing_reference(reference: &[ReferenceItem]) -> Vec<&'static str> {
    LEGACY_REFERENCE
        .into_iter()
        .filter(|name| !reference.iter().any(|r| r.name == *name))
        .collect()
}

/// One item per old shape, in tenant `t` (ids 901 to 911, far above the
/// counter). `reference` is the tenant's reference data.
///
/// # Panics
///
/// If `reference` lacks one of `LEGACY_REFERENCE` (see `missing_reference`).
pub fn legacy_users(t: u64, reference: &[ReferenceItem]) -> Vec<Legacy> {
    let reference = |name: &str| {
        reference
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("reference data {name:?} of tenant {t}"))
            .id
    };
    let full_org = map(&[
        ("location_id", n(reference("Site A"))),
        ("location", s("Site A")),
        ("department_id", n(reference("Security"))),
        ("department", s("Security")),
        ("designation_id", n(reference("Security Officer"))),
        ("designation", s("Security Officer")),
        ("bu_id", n(reference("Operations"))),
        ("bu", s("Operations")),
        ("reportto", null()),
        ("client", n(t)),
    ]);
    let common = |id: u64, name: &str| -> Vec<(&'static str, AttributeValue)> {
        vec![
            ("entity", s("USER")),
            ("id", n(id)),
            ("tenant_id", n(t)),
            ("username", s(name)),
            ("email", s(format!("{name}@legacy.example"))),
            ("is_admin", b(false)),
            ("is_active", b(true)),
            ("created_at", s("2021-06-01T08:00:00Z")),
        ]
    };
    let with = |mut base: Vec<(&'static str, AttributeValue)>,
                extra: Vec<(&'static str, AttributeValue)>| {
        for (k, v) in extra {
            base.retain(|(name, _)| *name != k);
            base.push((k, v));
        }
        base
    };
    vec![
        // Shape 1 as it was: no onboarding fields, no percentage, no
        // capabilities, no people_extras, no version, no schema_version.
        Legacy {
            id: 901,
            username: "legacy.bare",
            shape: "shape 1: no onboarding fields, capabilities, version or schema_version",
            attrs: with(
                common(901, "legacy.bare"),
                vec![
                    ("full_name", s("Bare Bones")),
                    ("organizational", full_org.clone()),
                    (
                        "profile",
                        map(&[
                            ("dateofbirth", s("1980-02-03")),
                            ("dateofjoin", s("2001-04-05")),
                        ]),
                    ),
                    ("employee_code", s("E-901")),
                ],
            ),
        },
        // capabilities: NULL, an old version number.
        Legacy {
            id: 902,
            username: "legacy.caps.null",
            shape: "capabilities NULL, an old version number",
            attrs: with(
                common(902, "legacy.caps.null"),
                vec![
                    ("capabilities", null()),
                    ("organizational", full_org.clone()),
                    ("profile", map(&[("gender", s("F"))])),
                    ("version", n(4)),
                ],
            ),
        },
        // Partial capabilities, one stored as a string, one unknown.
        Legacy {
            id: 903,
            username: "legacy.caps.partial",
            shape: "partial capabilities, one stored as a string, one unknown",
            attrs: with(
                common(903, "legacy.caps.partial"),
                vec![
                    (
                        "capabilities",
                        map(&[
                            ("canAccessOnboarding", b(true)),
                            ("canAccessReports", s("true")),
                            ("canTeleport", b(true)),
                        ]),
                    ),
                    ("organizational", full_org.clone()),
                    (
                        "profile",
                        map(&[("gender", s("F")), ("dateofbirth", s("1991-09-09"))]),
                    ),
                ],
            ),
        },
        // One-letter gender codes.
        Legacy {
            id: 904,
            username: "legacy.gender",
            shape: "one-letter, lower-case gender code",
            attrs: with(
                common(904, "legacy.gender"),
                vec![
                    ("organizational", full_org.clone()),
                    (
                        "profile",
                        map(&[
                            ("gender", s("m")),
                            ("dateofbirth", s("1975-12-31")),
                            ("dateofjoin", s("2000-01-01")),
                        ]),
                    ),
                ],
            ),
        },
        // people_extras with keys we do not know, and an older onboarding record.
        Legacy {
            id: 905,
            username: "legacy.extras",
            shape: "people_extras with unknown keys and an older onboarding record",
            attrs: with(
                common(905, "legacy.extras"),
                vec![
                    ("capabilities", map(&[("canAccessOnboarding", b(true))])),
                    ("organizational", full_org.clone()),
                    ("profile", map(&[("gender", s("O"))])),
                    (
                        "people_extras",
                        map(&[
                            ("badge_color", s("blue")),
                            ("hr", map(&[("grade", n(7)), ("band", s("B2"))])),
                            (
                                "onboarding",
                                map(&[
                                    ("completed_steps", AttributeValue::L(vec![s("welcome")])),
                                    ("legacy_note", s("imported from v1")),
                                ]),
                            ),
                        ]),
                    ),
                    ("version", n(2)),
                ],
            ),
        },
        // Numbers (and booleans) stored as strings, the version included.
        Legacy {
            id: 906,
            username: "legacy.strings",
            shape: "numbers and booleans stored as strings, the version included",
            attrs: with(
                common(906, "legacy.strings"),
                vec![
                    ("id", s("906")),
                    ("tenant_id", s(t.to_string())),
                    ("is_admin", s("false")),
                    ("is_active", s("true")),
                    ("first_login_completed", s("true")),
                    ("version", s("3")),
                    ("profile_completion_percentage", s("25")),
                    ("profile", map(&[("dateofbirth", s("1979-05-05"))])),
                    (
                        "organizational",
                        map(&[
                            ("location_id", s(reference("Site A").to_string())),
                            ("location", s("Site A")),
                            ("department", s("")),
                            ("reportto", s("901")),
                            ("client", s(t.to_string())),
                        ]),
                    ),
                ],
            ),
        },
        // No organizational map at all.
        Legacy {
            id: 907,
            username: "legacy.org.missing",
            shape: "no organizational map",
            attrs: with(
                common(907, "legacy.org.missing"),
                vec![("profile", map(&[]))],
            ),
        },
        // A partial organizational map with a key we do not know.
        Legacy {
            id: 908,
            username: "legacy.org.partial",
            shape: "partial organizational map with an unknown key, an unknown attribute",
            attrs: with(
                common(908, "legacy.org.partial"),
                vec![
                    (
                        "organizational",
                        map(&[("location", s("Old Site")), ("cost_center", s("CC-1"))]),
                    ),
                    ("profile", map(&[("dateofbirth", s("1988-08-08"))])),
                    (
                        "sso",
                        map(&[("provider", s("okta")), ("subject", s("00u1"))]),
                    ),
                ],
            ),
        },
        // A profile map with keys we do not know.
        Legacy {
            id: 909,
            username: "legacy.profile.extra",
            shape: "profile map with unknown keys",
            attrs: with(
                common(909, "legacy.profile.extra"),
                vec![
                    ("organizational", full_org.clone()),
                    (
                        "profile",
                        map(&[
                            ("gender", s("M")),
                            ("dateofbirth", s("1990-01-15")),
                            ("blood_group", s("O+")),
                            (
                                "emergency",
                                map(&[("name", s("Kim")), ("phone", s("+15550001"))]),
                            ),
                            ("legacy_percent", n(80)),
                        ]),
                    ),
                ],
            ),
        },
        // Onboarded by the old system: a number for a boolean, an offset time.
        Legacy {
            id: 910,
            username: "legacy.onboarded",
            shape: "onboarded by the old system: a number for a boolean, an offset time",
            attrs: with(
                common(910, "legacy.onboarded"),
                vec![
                    ("organizational", full_org.clone()),
                    ("profile", map(&[("dateofjoin", s("2010-10-10"))])),
                    ("first_login_completed", n(1)),
                    ("onboarding_completed_at", s("2024-01-02T03:04:05+02:00")),
                ],
            ),
        },
        // Without id and tenant_id attributes: only the key says who it is.
        Legacy {
            id: 911,
            username: "legacy.noid",
            shape: "no id and tenant_id attributes: only the key says who it is",
            attrs: {
                let mut attrs = common(911, "legacy.noid");
                attrs.retain(|(k, _)| *k != "id" && *k != "tenant_id");
                attrs.push(("profile", map(&[("gender", s("FEMALE"))])));
                attrs
            },
        },
    ]
}

/// The two items that look like users but are not (the migration skips them).
pub fn decoys(t: u64) -> Vec<Item> {
    [
        (format!("ARCHIVE#TENANT#{t}#USER#901"), "PROFILE"),
        (format!("TENANT#{t}#USER#901"), "AVATAR"),
    ]
    .into_iter()
    .map(|(pk, sk)| {
        [("pk", s(pk)), ("sk", s(sk)), ("note", s("not a user item"))]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
    })
    .collect()
}

/// What `seed_legacy` did.
pub struct LegacySeed {
    pub tenant_id: u64,
    pub users: Vec<Legacy>,
    /// False when the legacy users were already there: nothing was written.
    pub written: bool,
}

/// Writes the legacy users of `legacy_users` raw (PutItem) into tenant
/// `tenant_id`, each with its username item, and the two `decoys`.
///
/// Idempotent: nothing is written when the first legacy username
/// (`legacy.bare`) already exists in this tenant; it is written last, so an
/// interrupted run is simply done again. Never overwrites an item that is
/// not its own (another user with the same id or username): that is an
/// error, as are another tenant already holding the legacy users, and a
/// tenant without the reference data the shapes point at.
pub async fn seed_legacy(
    store: &Store,
    tenant_id: u64,
    reference: &[ReferenceItem],
) -> Result<LegacySeed, StoreError> {
    let missing = missing_reference(reference);
    if !missing.is_empty() {
        return Err(StoreError::Other(format!(
            "tenant {tenant_id} lacks the reference data the legacy users point at: {}",
            missing.join(", ")
        )));
    }
    let users = legacy_users(tenant_id, reference);
    let (first, rest) = users.split_first().expect("legacy users");
    if let Some(existing) = store.find_username(first.username).await? {
        if existing.tenant_id != tenant_id {
            return Err(StoreError::Other(format!(
                "the legacy users already exist in tenant {}",
                existing.tenant_id
            )));
        }
        return Ok(LegacySeed {
            tenant_id,
            users,
            written: false,
        });
    }
    let hash = shared::password::hash(LEGACY_PASSWORD);
    for decoy in decoys(tenant_id) {
        let note = decoy["note"].clone();
        put(store, decoy, "note = :own", note).await?;
    }
    for user in rest.iter().chain([first]) {
        put(
            store,
            user.item(tenant_id, &hash),
            "username = :own",
            s(user.username),
        )
        .await?;
    }
    // The username items last, the first user's at the very end: it marks
    // the seed as done.
    for user in rest.iter().chain([first]) {
        let item = user.username_item(tenant_id);
        let id = item["user_id"].clone();
        put(store, item, "user_id = :own", id).await?;
    }
    Ok(LegacySeed {
        tenant_id,
        users,
        written: true,
    })
}

/// PutItem unless another item than ours (`own`, e.g. `username = :own`) is
/// already there.
async fn put(
    store: &Store,
    item: Item,
    own: &str,
    value: AttributeValue,
) -> Result<(), StoreError> {
    let key = format!(
        "{}/{}",
        item["pk"].as_s().map(String::as_str).unwrap_or_default(),
        item["sk"].as_s().map(String::as_str).unwrap_or_default()
    );
    store
        .client()
        .put_item()
        .table_name(store.table())
        .set_item(Some(item))
        .condition_expression(format!("attribute_not_exists(pk) OR {own}"))
        .expression_attribute_values(":own", value)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| match &e {
            SdkError::ServiceError(service)
                if service.err().code() == Some("ConditionalCheckFailedException") =>
            {
                StoreError::Other(format!(
                    "{key} already holds another item; not overwritten (legacy ids are 901 to 911)"
                ))
            }
            SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) => {
                StoreError::Unavailable(format!("writing {key}: {}", DisplayErrorContext(&e)))
            }
            _ => StoreError::Other(format!("writing {key}: {}", DisplayErrorContext(&e))),
        })
}
