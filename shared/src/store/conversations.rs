//! Onboarding conversations, on the user's own partition
//! (`TENANT#<t>#USER#<u>`, sk `CONVERSATION#<id>`), so another user's or
//! tenant's conversation is not even addressable. They expire after 24 hours
//! (the table's TTL). Each turn is one conditional write on the
//! conversation's version, together with the profile write it carries.

use super::attrs::{get_str, get_u64, n, s, Item};
use super::users::user_pk;
use super::{classify, transaction_error, Store, StoreError};
use crate::auth::Principal;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem, Update};

/// How long a conversation lives.
pub const CONVERSATION_TTL_SECS: u64 = 24 * 3600;

/// A conversation as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredConversation {
    pub id: String,
    /// The dialogue's state, JSON (`dialogue::Conversation`).
    pub state: String,
    /// The turns so far, JSON (a list of turns).
    pub turns: String,
    /// 1 on creation, +1 per turn.
    pub version: u64,
    pub created_at: String,
    /// Epoch seconds; DynamoDB removes the item after it.
    pub expires_at: u64,
}

fn sk(id: &str) -> String {
    format!("CONVERSATION#{id}")
}

fn item(principal: &Principal, c: &StoredConversation) -> Item {
    [
        ("pk", s(user_pk(principal.tenant_id, principal.user_id))),
        ("sk", s(sk(&c.id))),
        ("entity", s("CONVERSATION")),
        ("tenant_id", n(principal.tenant_id)),
        ("user_id", n(principal.user_id)),
        ("conversation_id", s(c.id.clone())),
        ("state", s(c.state.clone())),
        ("turns", s(c.turns.clone())),
        ("version", n(c.version)),
        ("created_at", s(c.created_at.clone())),
        ("expires_at", n(c.expires_at)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

impl Store {
    /// The caller's conversation `id`, if it exists and has not expired
    /// (TTL deletion can lag: an expired item is treated as gone).
    pub async fn get_conversation(
        &self,
        principal: &Principal,
        id: &str,
        now: u64,
    ) -> Result<Option<StoredConversation>, StoreError> {
        let Some(item) = self
            .get(user_pk(principal.tenant_id, principal.user_id), &sk(id))
            .await?
        else {
            return Ok(None);
        };
        let parsed = StoredConversation {
            id: id.to_string(),
            state: get_str(&item, "state").unwrap_or_default().to_string(),
            turns: get_str(&item, "turns").unwrap_or("[]").to_string(),
            version: get_u64(&item, "version").unwrap_or(0),
            created_at: get_str(&item, "created_at").unwrap_or_default().to_string(),
            expires_at: get_u64(&item, "expires_at").unwrap_or(0),
        };
        Ok((parsed.expires_at > now).then_some(parsed))
    }

    /// Stores a new conversation (its id must be new).
    pub async fn create_conversation(
        &self,
        principal: &Principal,
        c: &StoredConversation,
    ) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item(principal, c)))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }

    /// Writes a turn: the conversation as `next` if it is still at
    /// `expected_version`, and the profile write the turn carries (a
    /// version-conditional user update), in one transaction. Either
    /// condition failing is `StoreError::Conflict`.
    pub async fn write_turn(
        &self,
        principal: &Principal,
        expected_version: u64,
        next: &StoredConversation,
        profile: Option<Update>,
    ) -> Result<(), StoreError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item(principal, next)))
            .condition_expression("attribute_exists(pk) AND version = :v")
            .expression_attribute_values(":v", n(expected_version))
            .build()
            .map_err(|e| StoreError::Other(e.to_string()))?;
        let mut tx = self
            .client
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().put(put).build());
        if let Some(update) = profile {
            tx = tx.transact_items(TransactWriteItem::builder().update(update).build());
        }
        tx.send().await.map_err(transaction_error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversations_live_on_their_users_partition() {
        let c = StoredConversation {
            id: "abc".into(),
            state: "{}".into(),
            turns: "[]".into(),
            version: 1,
            created_at: "2026-01-01T00:00:00.000Z".into(),
            expires_at: 10,
        };
        let it = item(
            &Principal {
                tenant_id: 3,
                user_id: 9,
            },
            &c,
        );
        assert_eq!(it["pk"], s("TENANT#3#USER#9"));
        assert_eq!(it["sk"], s("CONVERSATION#abc"));
        assert!(!crate::store::is_user_key(
            "TENANT#3#USER#9",
            "CONVERSATION#abc"
        ));
    }
}
