//! The people store on DynamoDB: one table, the tenant in every key.
//!
//! | item                 | pk                              | sk         |
//! |----------------------|---------------------------------|------------|
//! | user (profile, org, onboarding, extras) | `TENANT#<t>#USER#<id>` | `PROFILE` |
//! | username -> user     | `USERNAME#<lowercase name>`     | `USERNAME` |
//! | tenant               | `TENANT#<t>`                    | `TENANT`   |
//! | reference data       | `TENANT#<t>`                    | `REF#<kind>#<id>` |
//! | refresh token        | `REFRESH#<sha256>`              | `REFRESH`  |
//! | refresh token family | `TOKENFAMILY#<id>`              | `FAMILY`   |
//! | password checks per name | `LOGIN#<lowercase name>`     | `ATTEMPTS` |
//! | password checks per client | `LOGINCLIENT#<source ip>`  | `ATTEMPTS` |
//! | journal entry (with its attachments as a map) | `TENANT#<t>#JOURNAL#<id>` | `ENTRY` |
//! | onboarding conversation (TTL 24 h) | `TENANT#<t>#USER#<id>` | `CONVERSATION#<random id>` |
//! | voiceprint, voice enrollment in progress | `TENANT#<t>#USER#<id>` | `VOICE#PRINT`, `VOICE#ENROLLMENT` |
//! | voice verifications per user | `VOICEVERIFY#TENANT#<t>#USER#<id>` | `ATTEMPTS` |
//! | journal listing index (one per entry) | `TENANT#<t>#USER#<u>#JOURNAL` | `<timestamp UTC>#<id, 20 digits>` |
//!
//! Usernames are unique across tenants because login names no tenant.
//! Ids come from the clock and random bits, not from counter items: store/ids.rs.
//! Journal keys and why the listing uses an index item: store/journal_entries.rs.

pub mod attrs;
pub mod conversations;
pub mod ids;
mod journal_entries;
pub mod login_attempts;
pub mod migrate;
mod reference;
pub mod table;
mod tokens;
mod users;
pub mod voiceprints;

pub use attrs::Item;
pub use journal_entries::{is_journal_index_sk, journal_pk, JournalEntry, StoredMedia};
pub use reference::{RefKind, ReferenceItem};
pub use tokens::{RefreshRecord, RotateOutcome, Rotation};
pub use users::{
    is_user_key, parse_user_pk, user_pk, NewUser, Organizational, UserRecord, USER_SCHEMA_VERSION,
};

use crate::errors::ApiError;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::Client;

#[derive(Clone)]
pub struct Store {
    client: Client,
    table: String,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A conditional write lost a race (or its precondition was false).
    #[error("conditional check failed")]
    Conflict,
    #[error("username already taken")]
    UsernameTaken,
    /// Throttling, timeouts, connection failures: retrying later is safe.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    #[error("store error: {0}")]
    Other(String),
    #[error("stored item is malformed: {0}")]
    Malformed(String),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(ref m) => {
                tracing::warn!(error = %m, "store unavailable");
                ApiError::Unavailable
            }
            StoreError::Conflict => ApiError::Conflict(
                "The record was changed by another request. Please retry.".to_string(),
            ),
            other => {
                tracing::error!(error = %other, "store failure");
                ApiError::Internal
            }
        }
    }
}

const THROTTLING: &[&str] = &[
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "TransactionInProgressException",
];

/// Cancellation reasons of a transaction that throttling cancelled.
const THROTTLED_ITEM: &[&str] = &["ThrottlingError", "ProvisionedThroughputExceeded"];

/// Sorts an SDK failure into what a caller can act on.
pub(crate) fn classify<E, R>(err: SdkError<E, R>) -> StoreError
where
    E: ProvideErrorMetadata + std::fmt::Debug,
    R: std::fmt::Debug,
{
    match &err {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) => {
            StoreError::Unavailable(format!("{err:?}"))
        }
        SdkError::ServiceError(service) => {
            let code = service.err().code().unwrap_or_default();
            if code == "ConditionalCheckFailedException" {
                StoreError::Conflict
            } else if THROTTLING.contains(&code) {
                StoreError::Unavailable(code.to_string())
            } else {
                StoreError::Other(format!(
                    "{code}: {}",
                    service.err().message().unwrap_or_default()
                ))
            }
        }
        _ => StoreError::Other(format!("{err:?}")),
    }
}

/// A failed `TransactWriteItems`: a condition that did not hold (or a
/// concurrent transaction on the same item) is a lost race; anything else is
/// classified as usual.
pub(crate) fn transaction_error<R>(
    err: SdkError<aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError, R>,
) -> StoreError
where
    R: std::fmt::Debug,
{
    use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
    if let Some(TransactWriteItemsError::TransactionCanceledException(cancelled)) =
        err.as_service_error()
    {
        let lost_race = cancelled.cancellation_reasons().iter().any(|r| {
            matches!(
                r.code(),
                Some("ConditionalCheckFailed") | Some("TransactionConflict")
            )
        });
        if lost_race {
            return StoreError::Conflict;
        }
        // Cancelled because an item was throttled: nothing was written.
        if let Some(code) = cancelled
            .cancellation_reasons()
            .iter()
            .filter_map(|r| r.code())
            .find(|c| THROTTLED_ITEM.contains(c))
        {
            return StoreError::Unavailable(format!("transaction cancelled: {code}"));
        }
    }
    classify(err)
}

impl Store {
    pub fn new(client: Client, table: String) -> Self {
        Store { client, table }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    pub(crate) async fn get(&self, pk: String, sk: &str) -> Result<Option<Item>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", AttributeValue::S(pk))
            .key("sk", AttributeValue::S(sk.to_string()))
            .consistent_read(true)
            .send()
            .await
            .map_err(classify)?;
        Ok(out.item)
    }
}
