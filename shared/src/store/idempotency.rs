//! Idempotency records: the first answer to a request sent with an
//! `Idempotency-Key`, so that a mobile app's retry gets that answer again
//! instead of creating a second entry or attachment.
//!
//! One item per user, route and key (`IDEMPOTENCY#TENANT#t#USER#u`,
//! `<route>#<sha256 of the key>`): the key is the client's, so it is scoped
//! to the caller and never stored as sent. While the first request runs the
//! record is `in_progress` and expires after `IN_PROGRESS_SECS` (a request
//! that died with its sandbox does not block the key for a day); once
//! answered it holds the answer for `RETENTION_SECS`, then the table's TTL
//! removes it.

use super::attrs::{get_str, get_u64, n, s};
use super::{classify, Store, StoreError};
use crate::auth::Principal;
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

/// How long an answer is kept for retries: 24 hours.
pub const RETENTION_SECS: u64 = 24 * 60 * 60;
/// How long a request in progress holds its key: above the longest function
/// timeout in template.yaml (30 s).
pub const IN_PROGRESS_SECS: u64 = 60;

/// Which record: the caller, the route, the client's key.
pub struct IdempotencyKey {
    pk: String,
    sk: String,
}

impl IdempotencyKey {
    /// `key_digest` is the SHA-256 (hex) of the header's value.
    pub fn new(who: &Principal, route: &str, key_digest: &str) -> Self {
        IdempotencyKey {
            pk: format!("IDEMPOTENCY#TENANT#{}#USER#{}", who.tenant_id, who.user_id),
            sk: format!("{route}#{key_digest}"),
        }
    }
}

/// A stored answer.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredAnswer {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// What a request with a key may do.
#[derive(Debug, PartialEq)]
pub enum Claim {
    /// First time (or the earlier attempt failed or died): run it.
    Run,
    /// Answered before, for the same request: send this again.
    Replay(StoredAnswer),
    /// The key was used for a different request.
    Mismatch,
    /// The first request with this key is still running.
    InProgress,
}

impl Store {
    /// Claims `key` for a request whose body hashes to `request_digest`.
    pub async fn claim_idempotency(
        &self,
        key: &IdempotencyKey,
        request_digest: &str,
        now: u64,
    ) -> Result<Claim, StoreError> {
        let put = self
            .client
            .put_item()
            .table_name(&self.table)
            .item("pk", s(&key.pk))
            .item("sk", s(&key.sk))
            .item("entity", s("IDEMPOTENCY"))
            .item("state", s("in_progress"))
            .item("request", s(request_digest))
            .item("expires_at", n(now + IN_PROGRESS_SECS))
            .condition_expression("attribute_not_exists(pk) OR expires_at <= :now")
            .expression_attribute_values(":now", n(now))
            .send()
            .await;
        match put.map_err(classify) {
            Ok(_) => return Ok(Claim::Run),
            Err(StoreError::Conflict) => {}
            Err(e) => return Err(e),
        }
        let Some(item) = self.get(key.pk.clone(), &key.sk).await? else {
            // Removed between the two calls (the first attempt failed).
            return Ok(Claim::InProgress);
        };
        if get_str(&item, "request") != Some(request_digest) {
            return Ok(Claim::Mismatch);
        }
        if get_str(&item, "state") != Some("done") {
            return Ok(Claim::InProgress);
        }
        let answer = (|| {
            Some(StoredAnswer {
                status: u16::try_from(get_u64(&item, "status")?).ok()?,
                content_type: get_str(&item, "content_type").map(str::to_string),
                body: item.get("body")?.as_b().ok()?.as_ref().to_vec(),
            })
        })();
        answer
            .map(Claim::Replay)
            .ok_or_else(|| StoreError::Malformed("idempotency record".into()))
    }

    /// Records the answer of the request that claimed `key`.
    pub async fn finish_idempotency(
        &self,
        key: &IdempotencyKey,
        answer: &StoredAnswer,
        now: u64,
    ) -> Result<(), StoreError> {
        let mut update = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(&key.pk))
            .key("sk", s(&key.sk))
            .update_expression(
                "SET #state = :done, #status = :status, body = :body, expires_at = :expires, \
                 content_type = :type",
            )
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_names("#state", "state")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":done", s("done"))
            .expression_attribute_values(":status", n(u64::from(answer.status)))
            .expression_attribute_values(":body", AttributeValue::B(Blob::new(answer.body.clone())))
            .expression_attribute_values(":expires", n(now + RETENTION_SECS));
        update = match &answer.content_type {
            Some(t) => update.expression_attribute_values(":type", s(t)),
            None => update.expression_attribute_values(":type", AttributeValue::Null(true)),
        };
        update.send().await.map_err(classify)?;
        Ok(())
    }

    /// Frees `key` after a request that did not succeed, so that a retry runs.
    pub async fn release_idempotency(&self, key: &IdempotencyKey) -> Result<(), StoreError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .key("pk", s(&key.pk))
            .key("sk", s(&key.sk))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }
}
