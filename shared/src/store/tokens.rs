//! Refresh tokens: stored by hash, rotated on every use, and grouped in
//! families so that replaying an already-rotated token revokes the family.

use super::attrs::{get_bool, get_str, get_u64, n, s};
use super::{classify, transaction_error, Store, StoreError};
use crate::auth::Principal;
use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, Put, TransactWriteItem, Update};

#[derive(Clone, Debug)]
pub struct RefreshRecord {
    pub principal: Principal,
    pub family_id: String,
    pub rotated: bool,
    /// When it was rotated (epoch seconds); the grace window starts there.
    pub rotated_at: Option<u64>,
    /// The pair its rotation returned, sealed (`auth::seal_successor`).
    pub successor: Option<Vec<u8>>,
    pub expires_at: u64,
}

/// What a rotation records on the token it uses up.
pub struct Rotation {
    /// Epoch seconds.
    pub at: u64,
    /// `auth::seal_successor` of the pair this rotation returns.
    pub successor: Vec<u8>,
}

pub enum RotateOutcome {
    Rotated,
    /// The token was already used (or its family revoked): treat as theft.
    Reused,
}

fn refresh_pk(hash: &str) -> String {
    format!("REFRESH#{hash}")
}
fn family_pk(family: &str) -> String {
    format!("TOKENFAMILY#{family}")
}

impl Store {
    pub async fn put_refresh_token(
        &self,
        hash: &str,
        principal: &Principal,
        family_id: &str,
        expires_at: u64,
    ) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(refresh_item(hash, principal, family_id, expires_at)))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }

    pub async fn get_refresh_token(&self, hash: &str) -> Result<Option<RefreshRecord>, StoreError> {
        let Some(item) = self.get(refresh_pk(hash), "REFRESH").await? else {
            return Ok(None);
        };
        let parsed = (|| {
            Some(RefreshRecord {
                principal: Principal {
                    tenant_id: get_u64(&item, "tenant_id")?,
                    user_id: get_u64(&item, "user_id")?,
                },
                family_id: get_str(&item, "family_id")?.to_string(),
                rotated: get_bool(&item, "rotated").unwrap_or(false),
                rotated_at: get_u64(&item, "rotated_at"),
                successor: item
                    .get("successor")
                    .and_then(|v| v.as_b().ok())
                    .map(|b| b.as_ref().to_vec()),
                expires_at: get_u64(&item, "expires_at")?,
            })
        })();
        parsed
            .map(Some)
            .ok_or_else(|| StoreError::Malformed("refresh token item".into()))
    }

    pub async fn family_revoked(&self, family_id: &str) -> Result<bool, StoreError> {
        Ok(self
            .get(family_pk(family_id), "FAMILY")
            .await?
            .is_some_and(|item| get_bool(&item, "revoked").unwrap_or(false)))
    }

    pub async fn revoke_family(&self, family_id: &str, expires_at: u64) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .item("pk", s(family_pk(family_id)))
            .item("sk", s("FAMILY"))
            .item("entity", s("TOKENFAMILY"))
            .item("revoked", AttributeValue::Bool(true))
            .item("expires_at", n(expires_at))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }

    /// Marks `old_hash` used (with when, and the sealed pair it returned, for
    /// the grace window) and stores `new_hash` in the same family, in one
    /// transaction that fails if the old token was already used or the family
    /// revoked.
    pub async fn rotate_refresh_token(
        &self,
        old_hash: &str,
        new_hash: &str,
        record: &RefreshRecord,
        new_expires_at: u64,
        rotation: Rotation,
    ) -> Result<RotateOutcome, StoreError> {
        let mark_used = Update::builder()
            .table_name(&self.table)
            .key("pk", s(refresh_pk(old_hash)))
            .key("sk", s("REFRESH"))
            .update_expression("SET rotated = :t, rotated_at = :at, successor = :next")
            .condition_expression("attribute_exists(pk) AND rotated = :f")
            .expression_attribute_values(":t", AttributeValue::Bool(true))
            .expression_attribute_values(":f", AttributeValue::Bool(false))
            .expression_attribute_values(":at", n(rotation.at))
            .expression_attribute_values(
                ":next",
                AttributeValue::B(aws_sdk_dynamodb::primitives::Blob::new(rotation.successor)),
            )
            .build()
            .map_err(|e| StoreError::Other(e.to_string()))?;
        let family_live = ConditionCheck::builder()
            .table_name(&self.table)
            .key("pk", s(family_pk(&record.family_id)))
            .key("sk", s("FAMILY"))
            .condition_expression("attribute_not_exists(revoked) OR revoked = :f")
            .expression_attribute_values(":f", AttributeValue::Bool(false))
            .build()
            .map_err(|e| StoreError::Other(e.to_string()))?;
        let put_new = Put::builder()
            .table_name(&self.table)
            .set_item(Some(refresh_item(
                new_hash,
                &record.principal,
                &record.family_id,
                new_expires_at,
            )))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .map_err(|e| StoreError::Other(e.to_string()))?;
        // The SDK retries a transaction whose answer was lost; with the same
        // request token DynamoDB answers the retry as the first success
        // instead of failing it as a reuse (which would revoke the family).
        let request_token: String = new_hash.chars().take(36).collect();
        let result = self
            .client
            .transact_write_items()
            .client_request_token(request_token)
            .transact_items(TransactWriteItem::builder().update(mark_used).build())
            .transact_items(
                TransactWriteItem::builder()
                    .condition_check(family_live)
                    .build(),
            )
            .transact_items(TransactWriteItem::builder().put(put_new).build())
            .send()
            .await;
        match result.map_err(transaction_error) {
            Ok(_) => Ok(RotateOutcome::Rotated),
            Err(StoreError::Conflict) => Ok(RotateOutcome::Reused),
            Err(e) => Err(e),
        }
    }
}

fn refresh_item(
    hash: &str,
    principal: &Principal,
    family_id: &str,
    expires_at: u64,
) -> super::Item {
    [
        ("pk", s(refresh_pk(hash))),
        ("sk", s("REFRESH")),
        ("entity", s("REFRESH")),
        ("tenant_id", n(principal.tenant_id)),
        ("user_id", n(principal.user_id)),
        ("family_id", s(family_id)),
        ("rotated", AttributeValue::Bool(false)),
        // The table's TTL attribute: DynamoDB removes expired tokens.
        ("expires_at", n(expires_at)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}
