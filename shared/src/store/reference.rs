//! A tenant's reference data: locations, departments, designations and
//! business units, each with an integer id and a name.

use super::attrs::{get_str, get_u64, n, s, Item};
use super::ids::with_fresh_id;
use super::{classify, Store, StoreError};
use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes};
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RefKind {
    Location,
    Department,
    Designation,
    BusinessUnit,
}

impl RefKind {
    pub const ALL: [RefKind; 4] = [
        RefKind::Location,
        RefKind::Department,
        RefKind::Designation,
        RefKind::BusinessUnit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RefKind::Location => "location",
            RefKind::Department => "department",
            RefKind::Designation => "designation",
            RefKind::BusinessUnit => "bu",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReferenceItem {
    pub kind: RefKind,
    pub id: u64,
    pub name: String,
}

pub fn tenant_pk(tenant_id: u64) -> String {
    format!("TENANT#{tenant_id}")
}

fn ref_sk(kind: RefKind, id: u64) -> String {
    format!("REF#{}#{id}", kind.as_str())
}

impl Store {
    pub async fn create_tenant(&self, name: &str) -> Result<u64, StoreError> {
        with_fresh_id(|id| self.put_tenant(id, name)).await
    }

    async fn put_tenant(&self, id: u64, name: &str) -> Result<u64, StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .item("pk", s(tenant_pk(id)))
            .item("sk", s("TENANT"))
            .item("entity", s("TENANT"))
            .item("id", n(id))
            .item("name", s(name))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await
            .map_err(classify)?;
        Ok(id)
    }

    pub async fn tenant_exists(&self, tenant_id: u64) -> Result<bool, StoreError> {
        Ok(self.get(tenant_pk(tenant_id), "TENANT").await?.is_some())
    }

    pub async fn add_reference(
        &self,
        tenant_id: u64,
        kind: RefKind,
        name: &str,
    ) -> Result<ReferenceItem, StoreError> {
        with_fresh_id(|id| self.put_reference(tenant_id, kind, id, name)).await
    }

    async fn put_reference(
        &self,
        tenant_id: u64,
        kind: RefKind,
        id: u64,
        name: &str,
    ) -> Result<ReferenceItem, StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .item("pk", s(tenant_pk(tenant_id)))
            .item("sk", s(ref_sk(kind, id)))
            .item("entity", s("REFERENCE"))
            .item("kind", s(kind.as_str()))
            .item("id", n(id))
            .item("name", s(name))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await
            .map_err(classify)?;
        Ok(ReferenceItem {
            kind,
            id,
            name: name.to_string(),
        })
    }

    /// Resolves ids to names within one tenant. An id that does not exist in
    /// this tenant is simply absent from the answer.
    pub async fn reference_names(
        &self,
        tenant_id: u64,
        wanted: &[(RefKind, u64)],
    ) -> Result<HashMap<(RefKind, u64), String>, StoreError> {
        let mut found = HashMap::new();
        if wanted.is_empty() {
            return Ok(found);
        }
        let mut keys = KeysAndAttributes::builder().consistent_read(true);
        for (kind, id) in wanted {
            let key: Item = [
                ("pk".to_string(), s(tenant_pk(tenant_id))),
                ("sk".to_string(), s(ref_sk(*kind, *id))),
            ]
            .into();
            keys = keys.keys(key);
        }
        let mut pending = HashMap::from([(
            self.table.clone(),
            keys.build().map_err(|e| StoreError::Other(e.to_string()))?,
        )]);
        // BatchGetItem may hand back part of the keys under load; ask again.
        for attempt in 0..5 {
            let out = self
                .client
                .batch_get_item()
                .set_request_items(Some(pending))
                .send()
                .await
                .map_err(classify)?;
            for item in out
                .responses
                .unwrap_or_default()
                .remove(&self.table)
                .unwrap_or_default()
            {
                let kind = get_str(&item, "kind").and_then(RefKind::parse);
                if let (Some(kind), Some(id), Some(name)) =
                    (kind, get_u64(&item, "id"), get_str(&item, "name"))
                {
                    found.insert((kind, id), name.to_string());
                }
            }
            match out.unprocessed_keys.filter(|u| !u.is_empty()) {
                Some(rest) => {
                    pending = rest;
                    tokio::time::sleep(std::time::Duration::from_millis(20 << attempt)).await;
                }
                None => return Ok(found),
            }
        }
        Err(StoreError::Unavailable(
            "batch get kept returning unprocessed keys".into(),
        ))
    }

    /// Every reference item of a tenant (the ops CLI lists them).
    pub async fn list_references(&self, tenant_id: u64) -> Result<Vec<ReferenceItem>, StoreError> {
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND begins_with(sk, :ref)")
            .expression_attribute_values(":pk", s(tenant_pk(tenant_id)))
            .expression_attribute_values(":ref", AttributeValue::S("REF#".into()))
            .send()
            .await
            .map_err(classify)?;
        Ok(out
            .items
            .unwrap_or_default()
            .iter()
            .filter_map(|item| {
                Some(ReferenceItem {
                    kind: RefKind::parse(get_str(item, "kind")?)?,
                    id: get_u64(item, "id")?,
                    name: get_str(item, "name")?.to_string(),
                })
            })
            .collect())
    }
}
