//! Journal entries and their attachments.
//!
//! Keys (see the table in mod.rs):
//! - the entry: pk `TENANT#<t>#JOURNAL#<id>`, sk `ENTRY`: a direct GetItem by
//!   id within the caller's tenant (another tenant's id is simply missing);
//!   the owner is an attribute, checked by the handlers.
//! - its attachments are a map on the entry item (`media`, at most
//!   `MAX_ATTACHMENTS_PER_ENTRY` of them, a few hundred bytes each), so one
//!   GetItem answers an entry with its media, the media list, and the delete
//!   knows every S3 object to remove; `media_count` guards the bound and makes
//!   a delete that raced an attach retry instead of orphaning an object.
//! - the owner's listing: one index item per entry, pk
//!   `TENANT#<t>#USER#<u>#JOURNAL`, sk `<timestamp UTC>#<id, 20 digits>`,
//!   written in the same TransactWriteItems as the entry (create, a PATCH that
//!   moves the timestamp, delete). A per-user index item rather than a GSI:
//!   the listing is a strongly consistent Query (an entry just created is
//!   listed at once, which a GSI does not promise), and the table's schema,
//!   and every existing table, stay as they are.

use super::attrs::{get_bool, get_map, get_str, get_u64, n, s, Item};
use super::ids::with_fresh_id;
use super::{classify, transaction_error, Store, StoreError};
use crate::auth::Principal;
use crate::contract::journal::{EntryFields, WellbeingMetrics, MAX_ATTACHMENTS_PER_ENTRY};
use aws_sdk_dynamodb::types::{
    AttributeValue, Delete, KeysAndAttributes, Put, TransactWriteItem, Update,
};
use std::collections::HashMap;

pub fn journal_pk(tenant_id: u64, entry_id: u64) -> String {
    format!("TENANT#{tenant_id}#JOURNAL#{entry_id}")
}
pub const JOURNAL_SK: &str = "ENTRY";

pub fn journal_index_pk(who: &Principal) -> String {
    format!("TENANT#{}#USER#{}#JOURNAL", who.tenant_id, who.user_id)
}

pub fn journal_index_sk(timestamp: &str, entry_id: u64) -> String {
    format!("{timestamp}#{entry_id:020}")
}

/// Whether `sk` has the shape of an index sort key (a listing cursor).
pub fn is_journal_index_sk(sk: &str) -> bool {
    sk.rsplit_once('#').is_some_and(|(ts, id)| {
        id.len() == 20
            && id.bytes().all(|b| b.is_ascii_digit())
            && chrono::DateTime::parse_from_rfc3339(ts).is_ok()
    })
}

/// An attachment as stored on its entry.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredMedia {
    pub id: u64,
    pub media_type: String,
    /// The S3 key of the checked object.
    pub key: String,
    pub content_type: String,
    pub caption: Option<String>,
    /// Whole seconds (audio: measured; video: as the client reported it).
    pub duration: Option<u64>,
    pub file_size: u64,
    pub created_at: String,
}

#[derive(Clone, Debug)]
pub struct JournalEntry {
    pub id: u64,
    pub tenant_id: u64,
    pub user_id: u64,
    pub entry_type: String,
    pub title: String,
    pub content: String,
    pub timestamp: String,
    pub wellbeing_metrics: WellbeingMetrics,
    pub privacy_scope: String,
    pub consent_given: bool,
    pub version: u64,
    pub created_at: String,
    pub updated_at: String,
    /// Ordered by id.
    pub media: Vec<StoredMedia>,
    pub media_count: u64,
}

impl JournalEntry {
    pub fn owner(&self) -> Principal {
        Principal {
            tenant_id: self.tenant_id,
            user_id: self.user_id,
        }
    }

    fn from_item(item: &Item) -> Result<Self, StoreError> {
        let bad = || StoreError::Malformed("journal entry item".into());
        let text = |k: &str| get_str(item, k).map(str::to_string);
        let mut media: Vec<StoredMedia> = get_map(item, "media")
            .map(|m| {
                m.values()
                    .filter_map(|v| v.as_m().ok())
                    .map(media_from)
                    .collect()
            })
            .unwrap_or_default();
        media.sort_by_key(|m| m.id);
        Ok(JournalEntry {
            id: get_u64(item, "id").ok_or_else(bad)?,
            tenant_id: get_u64(item, "tenant_id").ok_or_else(bad)?,
            user_id: get_u64(item, "user_id").ok_or_else(bad)?,
            entry_type: text("entry_type").ok_or_else(bad)?,
            title: text("title").unwrap_or_default(),
            content: text("content").unwrap_or_default(),
            timestamp: text("timestamp").ok_or_else(bad)?,
            wellbeing_metrics: get_map(item, "wellbeing_metrics")
                .map(metrics_from)
                .unwrap_or_default(),
            privacy_scope: text("privacy_scope").unwrap_or_else(|| "PRIVATE".into()),
            consent_given: get_bool(item, "consent_given").unwrap_or(false),
            version: get_u64(item, "version").unwrap_or(1),
            created_at: text("created_at").unwrap_or_default(),
            updated_at: text("updated_at").unwrap_or_default(),
            media_count: get_u64(item, "media_count").unwrap_or(media.len() as u64),
            media,
        })
    }
}

fn media_from(m: &Item) -> StoredMedia {
    StoredMedia {
        id: get_u64(m, "id").unwrap_or_default(),
        media_type: get_str(m, "media_type").unwrap_or_default().to_string(),
        key: get_str(m, "key").unwrap_or_default().to_string(),
        content_type: get_str(m, "content_type").unwrap_or_default().to_string(),
        caption: get_str(m, "caption").map(str::to_string),
        duration: get_u64(m, "duration"),
        file_size: get_u64(m, "file_size").unwrap_or_default(),
        created_at: get_str(m, "created_at").unwrap_or_default().to_string(),
    }
}

fn media_item(m: &StoredMedia) -> AttributeValue {
    let mut item: Item = [
        ("id", n(m.id)),
        ("media_type", s(&m.media_type)),
        ("key", s(&m.key)),
        ("content_type", s(&m.content_type)),
        ("file_size", n(m.file_size)),
        ("created_at", s(&m.created_at)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    if let Some(c) = &m.caption {
        item.insert("caption".into(), s(c));
    }
    if let Some(d) = m.duration {
        item.insert("duration".into(), n(d));
    }
    AttributeValue::M(item)
}

fn metrics_from(m: &Item) -> WellbeingMetrics {
    let small = |k: &str| get_u64(m, k).and_then(|v| u8::try_from(v).ok());
    WellbeingMetrics {
        mood_rating: small("mood_rating"),
        stress_level: small("stress_level"),
        energy_level: small("energy_level"),
        sleep_hours: m
            .get("sleep_hours")
            .and_then(|v| v.as_n().ok())
            .and_then(|v| v.parse().ok()),
    }
}

fn metrics_item(w: &WellbeingMetrics) -> AttributeValue {
    let mut m = Item::new();
    for (k, v) in [
        ("mood_rating", w.mood_rating),
        ("stress_level", w.stress_level),
        ("energy_level", w.energy_level),
    ] {
        if let Some(v) = v {
            m.insert(k.into(), n(u64::from(v)));
        }
    }
    if let Some(h) = w.sleep_hours {
        m.insert("sleep_hours".into(), AttributeValue::N(h.to_string()));
    }
    AttributeValue::M(m)
}

fn build<T, E: std::fmt::Display>(r: Result<T, E>) -> Result<T, StoreError> {
    r.map_err(|e| StoreError::Other(e.to_string()))
}

fn index_item(who: &Principal, timestamp: &str, entry_id: u64) -> Item {
    [
        ("pk", s(journal_index_pk(who))),
        ("sk", s(journal_index_sk(timestamp, entry_id))),
        ("entity", s("JOURNAL_INDEX")),
        ("entry_id", n(entry_id)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

impl Store {
    /// Creates an entry (version 1, no media) and its index item, together.
    pub async fn create_journal_entry(
        &self,
        who: &Principal,
        fields: &EntryFields,
        now: &str,
    ) -> Result<JournalEntry, StoreError> {
        with_fresh_id(|id| self.put_journal_entry(who, fields, now, id)).await
    }

    /// The create with this id: `Conflict` if the id is taken.
    async fn put_journal_entry(
        &self,
        who: &Principal,
        fields: &EntryFields,
        now: &str,
        id: u64,
    ) -> Result<JournalEntry, StoreError> {
        let timestamp = fields
            .timestamp
            .map(crate::time::iso)
            .unwrap_or_else(|| now.to_string());
        let metrics = fields
            .wellbeing_metrics
            .clone()
            .flatten()
            .unwrap_or_default();
        let item: Item = [
            ("pk", s(journal_pk(who.tenant_id, id))),
            ("sk", s(JOURNAL_SK)),
            ("entity", s("JOURNAL_ENTRY")),
            ("id", n(id)),
            ("tenant_id", n(who.tenant_id)),
            ("user_id", n(who.user_id)),
            (
                "entry_type",
                s(fields.entry_type.clone().unwrap_or_default()),
            ),
            ("title", s(fields.title.clone().unwrap_or_default())),
            ("content", s(fields.content.clone().unwrap_or_default())),
            ("timestamp", s(&timestamp)),
            ("wellbeing_metrics", metrics_item(&metrics)),
            (
                "privacy_scope",
                s(fields
                    .privacy_scope
                    .clone()
                    .unwrap_or_else(|| "PRIVATE".into())),
            ),
            (
                "consent_given",
                AttributeValue::Bool(fields.consent_given.unwrap_or(false)),
            ),
            ("version", n(1)),
            ("created_at", s(now)),
            ("updated_at", s(now)),
            ("media", AttributeValue::M(Item::new())),
            ("media_count", n(0)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let entry = JournalEntry::from_item(&item)?;
        let put_entry = build(
            Put::builder()
                .table_name(&self.table)
                .set_item(Some(item))
                .condition_expression("attribute_not_exists(pk)")
                .build(),
        )?;
        let put_index = build(
            Put::builder()
                .table_name(&self.table)
                .set_item(Some(index_item(who, &timestamp, id)))
                .build(),
        )?;
        // A retried transaction whose answer was lost succeeds again instead
        // of failing its own "id is free" condition.
        self.client
            .transact_write_items()
            .client_request_token(format!("journal-entry-{id}"))
            .transact_items(TransactWriteItem::builder().put(put_entry).build())
            .transact_items(TransactWriteItem::builder().put(put_index).build())
            .send()
            .await
            .map_err(transaction_error)?;
        Ok(entry)
    }

    /// The entry with this id in this tenant, whoever owns it.
    pub async fn get_journal_entry(
        &self,
        tenant_id: u64,
        id: u64,
    ) -> Result<Option<JournalEntry>, StoreError> {
        match self.get(journal_pk(tenant_id, id), JOURNAL_SK).await? {
            Some(item) => Ok(Some(JournalEntry::from_item(&item)?)),
            None => Ok(None),
        }
    }

    /// Applies `fields` if the stored version is still `expected_version`
    /// (else `Conflict`, nothing written); the version goes up by one. A new
    /// timestamp moves the index item in the same transaction.
    pub async fn update_journal_entry(
        &self,
        current: &JournalEntry,
        expected_version: u64,
        fields: &EntryFields,
        now: &str,
    ) -> Result<JournalEntry, StoreError> {
        let mut sets: Vec<(&str, AttributeValue)> = Vec::new();
        if let Some(v) = &fields.entry_type {
            sets.push(("entry_type", s(v)));
        }
        if let Some(v) = &fields.title {
            sets.push(("title", s(v)));
        }
        if let Some(v) = &fields.content {
            sets.push(("content", s(v)));
        }
        let new_timestamp = fields.timestamp.map(crate::time::iso);
        if let Some(v) = &new_timestamp {
            sets.push(("timestamp", s(v)));
        }
        if let Some(v) = &fields.wellbeing_metrics {
            sets.push((
                "wellbeing_metrics",
                metrics_item(&v.clone().unwrap_or_default()),
            ));
        }
        if let Some(v) = &fields.privacy_scope {
            sets.push(("privacy_scope", s(v)));
        }
        if let Some(v) = fields.consent_given {
            sets.push(("consent_given", AttributeValue::Bool(v)));
        }
        sets.push(("updated_at", s(now)));
        sets.push(("version", n(expected_version + 1)));
        let mut expr = Vec::new();
        let mut update = Update::builder()
            .table_name(&self.table)
            .key("pk", s(journal_pk(current.tenant_id, current.id)))
            .key("sk", s(JOURNAL_SK))
            .condition_expression("attribute_exists(pk) AND #version = :expected")
            .expression_attribute_values(":expected", n(expected_version));
        for (i, (name, value)) in sets.into_iter().enumerate() {
            expr.push(format!("#a{i} = :v{i}"));
            update = update
                .expression_attribute_names(format!("#a{i}"), name)
                .expression_attribute_values(format!(":v{i}"), value);
        }
        let update = build(
            update
                .expression_attribute_names("#version", "version")
                .update_expression(format!("SET {}", expr.join(", ")))
                .build(),
        )?;
        let mut tx = self
            .client
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().update(update).build());
        if let Some(ts) = new_timestamp.filter(|ts| *ts != current.timestamp) {
            let owner = current.owner();
            let old = build(
                Delete::builder()
                    .table_name(&self.table)
                    .key("pk", s(journal_index_pk(&owner)))
                    .key("sk", s(journal_index_sk(&current.timestamp, current.id)))
                    .build(),
            )?;
            let new = build(
                Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(index_item(&owner, &ts, current.id)))
                    .build(),
            )?;
            tx = tx
                .transact_items(TransactWriteItem::builder().delete(old).build())
                .transact_items(TransactWriteItem::builder().put(new).build());
        }
        tx.send().await.map_err(transaction_error)?;
        self.get_journal_entry(current.tenant_id, current.id)
            .await?
            .ok_or(StoreError::Conflict)
    }

    /// Removes the entry and its index item if nothing changed since
    /// `current` was read (no new version, no new attachment); `Conflict`
    /// otherwise (re-read and retry). The S3 objects are the caller's.
    pub async fn delete_journal_entry(&self, current: &JournalEntry) -> Result<(), StoreError> {
        let entry = build(
            Delete::builder()
                .table_name(&self.table)
                .key("pk", s(journal_pk(current.tenant_id, current.id)))
                .key("sk", s(JOURNAL_SK))
                .condition_expression("#version = :v AND media_count = :m")
                .expression_attribute_names("#version", "version")
                .expression_attribute_values(":v", n(current.version))
                .expression_attribute_values(":m", n(current.media_count))
                .build(),
        )?;
        let index = build(
            Delete::builder()
                .table_name(&self.table)
                .key("pk", s(journal_index_pk(&current.owner())))
                .key("sk", s(journal_index_sk(&current.timestamp, current.id)))
                .build(),
        )?;
        self.client
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().delete(entry).build())
            .transact_items(TransactWriteItem::builder().delete(index).build())
            .send()
            .await
            .map_err(transaction_error)?;
        Ok(())
    }

    /// Attaches `media` to the entry if it still exists and has room
    /// (`Conflict` otherwise: nothing written).
    pub async fn add_journal_media(
        &self,
        tenant_id: u64,
        entry_id: u64,
        media: &StoredMedia,
    ) -> Result<(), StoreError> {
        self.client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(journal_pk(tenant_id, entry_id)))
            .key("sk", s(JOURNAL_SK))
            .update_expression("SET #media.#id = :m, media_count = media_count + :one")
            .condition_expression(
                "attribute_exists(pk) AND media_count < :max AND attribute_not_exists(#media.#id)",
            )
            .expression_attribute_names("#media", "media")
            .expression_attribute_names("#id", media.id.to_string())
            .expression_attribute_values(":m", media_item(media))
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":max", n(MAX_ATTACHMENTS_PER_ENTRY))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }

    /// One page of the owner's entries, newest `timestamp` first (then
    /// highest id), after the index sort key `after`; the second value is the
    /// sort key to continue from, if there are more.
    pub async fn list_journal_entries(
        &self,
        who: &Principal,
        page_size: usize,
        after: Option<&str>,
    ) -> Result<(Vec<JournalEntry>, Option<String>), StoreError> {
        let mut query = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", s(journal_index_pk(who)))
            .scan_index_forward(false)
            .consistent_read(true)
            .limit(page_size as i32 + 1);
        if let Some(after) = after {
            query = query
                .exclusive_start_key("pk", s(journal_index_pk(who)))
                .exclusive_start_key("sk", s(after));
        }
        let out = query.send().await.map_err(classify)?;
        let mut index: Vec<(String, u64)> = out
            .items()
            .iter()
            .filter_map(|i| Some((get_str(i, "sk")?.to_string(), get_u64(i, "entry_id")?)))
            .collect();
        let next = if index.len() > page_size {
            index.truncate(page_size);
            index.last().map(|(sk, _)| sk.clone())
        } else {
            None
        };
        let ids: Vec<u64> = index.iter().map(|(_, id)| *id).collect();
        let mut found: HashMap<u64, JournalEntry> = HashMap::new();
        let mut keys: Vec<Item> = ids
            .iter()
            .map(|id| {
                HashMap::from([
                    ("pk".to_string(), s(journal_pk(who.tenant_id, *id))),
                    ("sk".to_string(), s(JOURNAL_SK)),
                ])
            })
            .collect();
        let mut rounds = 0;
        while !keys.is_empty() {
            rounds += 1;
            if rounds > 10 {
                return Err(StoreError::Unavailable(
                    "batch get kept unprocessed keys".into(),
                ));
            }
            let request = build(
                KeysAndAttributes::builder()
                    .set_keys(Some(std::mem::take(&mut keys)))
                    .consistent_read(true)
                    .build(),
            )?;
            let out = self
                .client
                .batch_get_item()
                .request_items(&self.table, request)
                .send()
                .await
                .map_err(classify)?;
            for item in out
                .responses()
                .and_then(|r| r.get(&self.table))
                .into_iter()
                .flatten()
            {
                let entry = JournalEntry::from_item(item)?;
                found.insert(entry.id, entry);
            }
            if let Some(rest) = out.unprocessed_keys().and_then(|u| u.get(&self.table)) {
                keys = rest.keys().to_vec();
                tokio::time::sleep(std::time::Duration::from_millis(20 * rounds)).await;
            }
        }
        // Only the owner's own entries, in index order.
        let entries = ids
            .iter()
            .filter_map(|id| found.remove(id))
            .filter(|e| e.owner() == *who)
            .collect();
        Ok((entries, next))
    }
}
