//! The user item: People, PeopleProfile, organizational data, onboarding
//! state and `people_extras`, denormalized so one GetItem answers a read.

use super::attrs::{self, as_bool, get_bool, get_map, get_nonempty, get_str, get_u64, n, s, Item};
use super::ids::with_fresh_id;
use super::{classify, transaction_error, Store, StoreError};
use crate::auth::Principal;
use crate::capabilities::Capabilities;
use crate::profile::{Gender, RequiredPresence};
use aws_sdk_dynamodb::types::{AttributeValue, Put, ReturnValue, TransactWriteItem, Update};
use std::collections::HashMap;

/// Shape version written on every user item. Items without one predate the
/// onboarding fields (shape 1).
pub const USER_SCHEMA_VERSION: u64 = 2;

pub fn user_pk(tenant_id: u64, user_id: u64) -> String {
    format!("TENANT#{tenant_id}#USER#{user_id}")
}
pub const USER_SK: &str = "PROFILE";

/// `(tenant_id, user_id)` of a user item's key, `TENANT#<t>#USER#<id>`.
pub fn parse_user_pk(pk: &str) -> Option<(u64, u64)> {
    let rest = pk.strip_prefix("TENANT#")?;
    let (tenant, user) = rest.split_once("#USER#")?;
    Some((tenant.parse().ok()?, user.parse().ok()?))
}

/// Whether a key is a user item's (`TENANT#...#USER#...`, `PROFILE`); every
/// other item in the table is something else.
pub fn is_user_key(pk: &str, sk: &str) -> bool {
    sk == USER_SK && pk.starts_with("TENANT#") && pk.contains("#USER#")
}

pub fn username_pk(username: &str) -> String {
    format!("USERNAME#{}", username.trim().to_lowercase())
}
const USERNAME_SK: &str = "USERNAME";

/// Organizational placement: ids as the PATCH sends them, names as GET shows them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Organizational {
    pub location_id: Option<u64>,
    pub location: Option<String>,
    pub department_id: Option<u64>,
    pub department: Option<String>,
    pub designation_id: Option<u64>,
    pub designation: Option<String>,
    pub bu_id: Option<u64>,
    pub bu: Option<String>,
    pub reportto: Option<u64>,
    pub client: Option<u64>,
}

impl Organizational {
    fn from_item(m: &Item) -> Self {
        Organizational {
            location_id: get_u64(m, "location_id"),
            location: get_nonempty(m, "location"),
            department_id: get_u64(m, "department_id"),
            department: get_nonempty(m, "department"),
            designation_id: get_u64(m, "designation_id"),
            designation: get_nonempty(m, "designation"),
            bu_id: get_u64(m, "bu_id"),
            bu: get_nonempty(m, "bu"),
            reportto: get_u64(m, "reportto"),
            client: get_u64(m, "client"),
        }
    }

    /// Writes over `base`, so attributes we do not know survive.
    pub fn write_into(&self, base: &mut Item) {
        self.write_fields_into(
            base,
            &[
                "location",
                "department",
                "designation",
                "bu",
                "reportto",
                "client",
            ],
        );
    }

    /// Writes only the named fields (`location`, `department`, `designation`,
    /// `bu`: id and name; `reportto`, `client`: the id) over `base`, so that
    /// the fields a change did not touch keep their stored value and type
    /// (legacy items hold ids as strings, names as "").
    pub fn write_fields_into(&self, base: &mut Item, fields: &[&str]) {
        let num = |v: Option<u64>| v.map(n).unwrap_or(AttributeValue::Null(true));
        for field in fields {
            let (id, name) = match *field {
                "location" => (self.location_id, Some(&self.location)),
                "department" => (self.department_id, Some(&self.department)),
                "designation" => (self.designation_id, Some(&self.designation)),
                "bu" => (self.bu_id, Some(&self.bu)),
                "reportto" => (self.reportto, None),
                "client" => (self.client, None),
                _ => continue,
            };
            match name {
                Some(name) => {
                    base.insert(format!("{field}_id"), num(id));
                    base.insert(field.to_string(), attrs::opt_s(name.clone()));
                }
                None => {
                    base.insert(field.to_string(), num(id));
                }
            }
        }
    }
}

/// A user as stored, parsed, with the raw item kept so that writes can
/// preserve every attribute this code does not know about.
#[derive(Clone, Debug)]
pub struct UserRecord {
    pub item: Item,
    pub id: u64,
    pub tenant_id: u64,
    pub username: String,
    pub email: Option<String>,
    pub full_name: Option<String>,
    pub phone: Option<String>,
    pub is_admin: bool,
    pub is_active: bool,
    pub password_hash: Option<String>,
    pub capabilities: Capabilities,
    /// `None`: the profile part was never created ("not fully initialized").
    pub profile: Option<Item>,
    pub organizational: Organizational,
    pub first_login_completed: bool,
    pub onboarding_completed_at: Option<String>,
    pub onboarding_skipped: bool,
    pub version: u64,
}

impl UserRecord {
    pub fn from_item(item: Item) -> Result<Self, StoreError> {
        // Legacy items may lack the id attributes; the key always has them.
        let from_key = get_str(&item, "pk").and_then(parse_user_pk);
        let id = get_u64(&item, "id")
            .or(from_key.map(|(_, id)| id))
            .ok_or_else(|| StoreError::Malformed("user without id".into()))?;
        let tenant_id = get_u64(&item, "tenant_id")
            .or(from_key.map(|(tenant, _)| tenant))
            .ok_or_else(|| StoreError::Malformed(format!("user {id} without tenant_id")))?;
        // Missing, NULL or partial: the role's defaults fill the gaps; values
        // written by legacy tools as strings or numbers count too.
        let stored_caps = get_map(&item, "capabilities").map(|m| {
            m.iter()
                .filter_map(|(k, v)| as_bool(v).map(|b| (k.clone(), b)))
                .collect::<HashMap<_, _>>()
        });
        let is_admin = get_bool(&item, "is_admin").unwrap_or(false);
        Ok(UserRecord {
            id,
            tenant_id,
            username: get_str(&item, "username").unwrap_or_default().to_string(),
            email: get_nonempty(&item, "email"),
            full_name: get_nonempty(&item, "full_name"),
            phone: get_nonempty(&item, "phone"),
            is_admin,
            is_active: get_bool(&item, "is_active").unwrap_or(true),
            password_hash: get_nonempty(&item, "password_hash"),
            capabilities: Capabilities::resolve(is_admin, stored_caps.as_ref()),
            profile: get_map(&item, "profile").cloned(),
            organizational: get_map(&item, "organizational")
                .map(Organizational::from_item)
                .unwrap_or_default(),
            first_login_completed: get_bool(&item, "first_login_completed").unwrap_or(false),
            onboarding_completed_at: get_nonempty(&item, "onboarding_completed_at"),
            onboarding_skipped: get_bool(&item, "onboarding_skipped").unwrap_or(false),
            version: get_u64(&item, "version").unwrap_or(0),
            item,
        })
    }

    /// The flags as clients see them: the stored ones with the module
    /// switches applied (`guards::effective`).
    pub fn effective_capabilities(&self, cfg: &crate::config::Config) -> Capabilities {
        crate::guards::effective(self.capabilities, cfg)
    }

    pub fn principal(&self) -> Principal {
        Principal {
            tenant_id: self.tenant_id,
            user_id: self.id,
        }
    }

    pub fn profile_str(&self, key: &str) -> Option<String> {
        self.profile.as_ref().and_then(|p| get_nonempty(p, key))
    }

    pub fn gender(&self) -> Option<Gender> {
        self.profile_str("gender")
            .and_then(|g| Gender::from_stored(&g))
    }

    pub fn presence(&self) -> RequiredPresence {
        RequiredPresence {
            peopleimg: self.profile_str("peopleimg").is_some(),
            dateofbirth: self.profile_str("dateofbirth").is_some(),
            dateofjoin: self.profile_str("dateofjoin").is_some(),
            gender: self.gender().is_some(),
        }
    }

    pub fn people_extras(&self) -> Item {
        get_map(&self.item, "people_extras")
            .cloned()
            .unwrap_or_default()
    }
}

/// What the ops CLI and the seeding give to create a user.
#[derive(Clone, Debug, Default)]
pub struct NewUser {
    pub tenant_id: u64,
    pub username: String,
    pub password_hash: String,
    pub email: Option<String>,
    pub full_name: Option<String>,
    pub phone: Option<String>,
    pub is_admin: bool,
    pub capabilities: Option<HashMap<String, bool>>,
    /// `None` leaves the profile part uncreated.
    pub profile: Option<Item>,
    pub organizational: Organizational,
    pub first_login_completed: bool,
    pub onboarding_completed_at: Option<String>,
    pub onboarding_skipped: bool,
}

impl Store {
    pub async fn get_user(&self, principal: &Principal) -> Result<Option<UserRecord>, StoreError> {
        self.get(user_pk(principal.tenant_id, principal.user_id), USER_SK)
            .await?
            .map(UserRecord::from_item)
            .transpose()
    }

    /// The (tenant, user) a login name belongs to.
    pub async fn find_username(&self, username: &str) -> Result<Option<Principal>, StoreError> {
        let Some(item) = self.get(username_pk(username), USERNAME_SK).await? else {
            return Ok(None);
        };
        match (get_u64(&item, "tenant_id"), get_u64(&item, "user_id")) {
            (Some(tenant_id), Some(user_id)) => Ok(Some(Principal { tenant_id, user_id })),
            _ => Err(StoreError::Malformed(format!(
                "username item for {username}"
            ))),
        }
    }

    /// Creates the user and claims its username in one transaction.
    pub async fn create_user(&self, new: NewUser) -> Result<UserRecord, StoreError> {
        if self.find_username(&new.username).await?.is_some() {
            return Err(StoreError::UsernameTaken);
        }
        with_fresh_id(|id| self.put_new_user(&new, id)).await
    }

    /// The create with this id: `UsernameTaken` if the name was claimed
    /// meanwhile, `Conflict` if the id is taken.
    async fn put_new_user(&self, new: &NewUser, id: u64) -> Result<UserRecord, StoreError> {
        let new = new.clone();
        let now = crate::time::iso(crate::time::now());
        let mut org = Item::new();
        new.organizational.write_into(&mut org);
        let mut item: Item = [
            ("pk", s(user_pk(new.tenant_id, id))),
            ("sk", s(USER_SK)),
            ("entity", s("USER")),
            ("schema_version", n(USER_SCHEMA_VERSION)),
            ("id", n(id)),
            ("tenant_id", n(new.tenant_id)),
            ("username", s(new.username.trim())),
            ("password_hash", s(new.password_hash)),
            ("email", attrs::opt_s(new.email)),
            ("full_name", attrs::opt_s(new.full_name)),
            ("phone", attrs::opt_s(new.phone)),
            ("is_admin", AttributeValue::Bool(new.is_admin)),
            ("is_active", AttributeValue::Bool(true)),
            ("organizational", AttributeValue::M(org)),
            (
                "first_login_completed",
                AttributeValue::Bool(new.first_login_completed),
            ),
            (
                "onboarding_completed_at",
                attrs::opt_s(new.onboarding_completed_at),
            ),
            (
                "onboarding_skipped",
                AttributeValue::Bool(new.onboarding_skipped),
            ),
            ("people_extras", AttributeValue::M(Item::new())),
            ("version", n(1)),
            ("created_at", s(now.clone())),
            ("updated_at", s(now)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        if let Some(caps) = new.capabilities {
            item.insert(
                "capabilities".into(),
                AttributeValue::M(
                    caps.into_iter()
                        .map(|(k, v)| (k, AttributeValue::Bool(v)))
                        .collect(),
                ),
            );
        }
        if let Some(profile) = new.profile {
            item.insert("profile".into(), AttributeValue::M(profile));
        }
        let record = UserRecord::from_item(item.clone())?;
        let percent = record.presence().percentage();
        item.insert("profile_completion_percentage".into(), n(percent as u64));

        let username_item: Item = [
            ("pk", s(username_pk(&record.username))),
            ("sk", s(USERNAME_SK)),
            ("entity", s("USERNAME")),
            ("tenant_id", n(new.tenant_id)),
            ("user_id", n(id)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let put = |item: Item| {
            TransactWriteItem::builder()
                .put(
                    Put::builder()
                        .table_name(&self.table)
                        .set_item(Some(item))
                        .condition_expression("attribute_not_exists(pk)")
                        .build()
                        .expect("table, item and condition are set"),
                )
                .build()
        };
        let result = self
            .client
            .transact_write_items()
            .transact_items(put(username_item))
            .transact_items(put(item.clone()))
            .send()
            .await;
        match result.map_err(transaction_error) {
            Ok(_) => UserRecord::from_item(item),
            Err(StoreError::Conflict) => match self.find_username(&record.username).await? {
                Some(_) => Err(StoreError::UsernameTaken),
                None => Err(StoreError::Conflict),
            },
            Err(e) => Err(e),
        }
    }

    /// Sets top-level attributes of a user item if, and only if, nobody wrote
    /// it since `expected_version` was read; bumps the version; returns the
    /// new item. A lost race is `StoreError::Conflict`.
    pub async fn update_user(
        &self,
        principal: &Principal,
        expected_version: u64,
        sets: Vec<(&str, AttributeValue)>,
    ) -> Result<UserRecord, StoreError> {
        let write = UserWrite::new(principal, expected_version, sets);
        let req = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(write.key()))
            .update_expression(&write.update)
            .condition_expression(&write.condition)
            .set_expression_attribute_names(Some(write.names.clone()))
            .set_expression_attribute_values(Some(write.values.clone()))
            .return_values(ReturnValue::AllNew);
        let out = req.send().await.map_err(classify)?;
        UserRecord::from_item(out.attributes.unwrap_or_default())
    }

    /// The same conditional write as [`Store::update_user`], as one item of a
    /// transaction (the conversational onboarding writes a turn and the
    /// profile together).
    pub fn user_update(
        &self,
        principal: &Principal,
        expected_version: u64,
        sets: Vec<(&str, AttributeValue)>,
    ) -> Result<Update, StoreError> {
        let write = UserWrite::new(principal, expected_version, sets);
        Update::builder()
            .table_name(&self.table)
            .set_key(Some(write.key()))
            .update_expression(write.update)
            .condition_expression(write.condition)
            .set_expression_attribute_names(Some(write.names))
            .set_expression_attribute_values(Some(write.values))
            .build()
            .map_err(|e| StoreError::Other(e.to_string()))
    }
}

/// The parts of a version-conditional write of a user item.
struct UserWrite {
    pk: String,
    update: String,
    condition: String,
    names: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
}

impl UserWrite {
    fn new(
        principal: &Principal,
        expected_version: u64,
        sets: Vec<(&str, AttributeValue)>,
    ) -> Self {
        let mut names = HashMap::from([
            ("#version".to_string(), "version".to_string()),
            ("#updated_at".to_string(), "updated_at".to_string()),
        ]);
        let mut values = HashMap::from([
            (":next".to_string(), n(expected_version + 1)),
            (":now".to_string(), s(crate::time::iso(crate::time::now()))),
            (":expected".to_string(), n(expected_version)),
            (":expected_s".to_string(), s(expected_version.to_string())),
        ]);
        let mut expr = Vec::with_capacity(sets.len() + 2);
        for (i, (name, value)) in sets.into_iter().enumerate() {
            names.insert(format!("#a{i}"), name.to_string());
            values.insert(format!(":v{i}"), value);
            expr.push(format!("#a{i} = :v{i}"));
        }
        expr.push("#version = :next".into());
        expr.push("#updated_at = :now".into());
        // `version` as this code writes it (a number) or as legacy writers
        // stored it (a numeric string, read by `get_u64` as the same version).
        let condition = if expected_version == 0 {
            "attribute_exists(pk) AND (attribute_not_exists(#version) \
             OR #version = :expected OR #version = :expected_s)"
        } else {
            "attribute_exists(pk) AND (#version = :expected OR #version = :expected_s)"
        };
        UserWrite {
            pk: user_pk(principal.tenant_id, principal.user_id),
            update: format!("SET {}", expr.join(", ")),
            condition: condition.to_string(),
            names,
            values,
        }
    }

    fn key(&self) -> HashMap<String, AttributeValue> {
        HashMap::from([
            ("pk".to_string(), s(self.pk.clone())),
            ("sk".to_string(), s(USER_SK)),
        ])
    }
}
