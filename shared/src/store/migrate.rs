//! Upgrading stored user items to the current shape, in place.
//!
//! This module is the one place for the upgrade rules. A user item
//! (`TENANT#<t>#USER#<id>` / `PROFILE`) carries `schema_version`; an item
//! without one is shape 1 (written before the onboarding fields existed).
//! Upgrading to shape [`USER_SCHEMA_VERSION`] (2) only *adds* what is absent:
//!
//! | attribute | added as |
//! | --- | --- |
//! | `first_login_completed` | `false` |
//! | `onboarding_completed_at` | `NULL` |
//! | `onboarding_skipped` | `false` |
//! | `people_extras` | `{}` |
//! | `profile_completion_percentage` | computed from the stored profile ([`UserRecord::presence`]) |
//! | `version` | `1` |
//! | `schema_version` | `2` (set; the one attribute that is overwritten when older) |
//!
//! An attribute that is present is left exactly as it is, whatever its value
//! or type (a `NULL`, a number stored as a string, gender `"M"`, keys we do
//! not know): the readers already accept those. Every attribute this code
//! does not know survives, because the write is an `UpdateItem` that sets
//! only the attributes above, each with `if_not_exists`.
//!
//! Each write is conditional on the `version` the Scan returned (or on its
//! absence), so a concurrent API write is never overwritten: the migration's
//! write fails instead, is reported as failed (retryable), and a later run
//! picks the item up again. Runs are idempotent: a second run finds every
//! item already current.
//!
//! Runs are resumable: the Scan goes page by page, and after each page the
//! [`Cursor`] (the Scan's last evaluated key) says where to continue.

use super::attrs::{get_str, get_u64, n, s, AttributeValue, Item};
use super::users::{is_user_key, USER_SCHEMA_VERSION};
use super::{classify, Store, StoreError, UserRecord};
use std::fmt;
use std::str::FromStr;

pub const DEFAULT_PAGE_SIZE: i32 = 100;
/// Scan pages are also capped at 1 MB by DynamoDB; this bounds the writes
/// one page triggers.
pub const MAX_PAGE_SIZE: i32 = 1000;
pub const DEFAULT_CONCURRENCY: usize = 8;
pub const MAX_CONCURRENCY: usize = 64;

/// Where a Scan stopped: the key of the last item evaluated. Printed and
/// parsed as JSON, `{"pk":"TENANT#1#USER#7","sk":"PROFILE"}`; a run that
/// starts after it continues with the next item of the Scan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub pk: String,
    pub sk: String,
}

impl Cursor {
    fn from_key(key: &Item) -> Result<Self, StoreError> {
        match (get_str(key, "pk"), get_str(key, "sk")) {
            (Some(pk), Some(sk)) => Ok(Cursor {
                pk: pk.to_string(),
                sk: sk.to_string(),
            }),
            _ => Err(StoreError::Malformed(format!(
                "scan returned an unexpected last evaluated key: {key:?}"
            ))),
        }
    }

    fn to_key(&self) -> Item {
        [("pk", s(&self.pk)), ("sk", s(&self.sk))]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let json = serde_json::json!({"pk": self.pk, "sk": self.sk});
        write!(f, "{json}")
    }
}

impl FromStr for Cursor {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            pk: String,
            sk: String,
        }
        let raw: Raw = serde_json::from_str(text.trim()).map_err(|e| {
            format!(r#"a cursor is JSON like {{"pk":"TENANT#1#USER#7","sk":"PROFILE"}}: {e}"#)
        })?;
        Ok(Cursor {
            pk: raw.pk,
            sk: raw.sk,
        })
    }
}

/// What an item needs.
#[derive(Clone, Debug, PartialEq)]
pub enum Plan {
    /// Not a user item (tenant, username, token, reference data, ...).
    NotAUser,
    /// A user item in the current shape.
    Current,
    /// A user item written by a newer release (`schema_version` above ours):
    /// left alone.
    Newer(u64),
    /// The attributes to write, in a fixed order.
    Upgrade(Vec<(&'static str, AttributeValue)>),
    /// A user item this code cannot upgrade safely.
    Unreadable(String),
}

/// Defaults of the onboarding-era attributes, added where absent.
fn defaults() -> [(&'static str, AttributeValue); 4] {
    [
        ("first_login_completed", AttributeValue::Bool(false)),
        ("onboarding_completed_at", AttributeValue::Null(true)),
        ("onboarding_skipped", AttributeValue::Bool(false)),
        ("people_extras", AttributeValue::M(Item::new())),
    ]
}

/// The upgrade rules: what `item` needs to be in the current shape.
pub fn plan(item: &Item) -> Plan {
    let (Some(pk), Some(sk)) = (get_str(item, "pk"), get_str(item, "sk")) else {
        return Plan::NotAUser;
    };
    if !is_user_key(pk, sk) {
        return Plan::NotAUser;
    }
    match item.get("version") {
        None | Some(AttributeValue::N(_)) | Some(AttributeValue::S(_)) => {}
        Some(other) => {
            return Plan::Unreadable(format!(
                "its version attribute is neither a number nor a string: {other:?}"
            ))
        }
    }
    let schema = get_u64(item, "schema_version");
    if let Some(v) = schema.filter(|v| *v > USER_SCHEMA_VERSION) {
        return Plan::Newer(v);
    }

    let mut sets = Vec::new();
    for (name, value) in defaults() {
        if !item.contains_key(name) {
            sets.push((name, value));
        }
    }
    if !item.contains_key("profile_completion_percentage") {
        match UserRecord::from_item(item.clone()) {
            Ok(user) => sets.push((
                "profile_completion_percentage",
                n(user.presence().percentage() as u64),
            )),
            Err(e) => return Plan::Unreadable(e.to_string()),
        }
    }
    if !item.contains_key("version") {
        sets.push(("version", n(1)));
    }
    if schema != Some(USER_SCHEMA_VERSION) {
        sets.push(("schema_version", n(USER_SCHEMA_VERSION)));
    }
    if sets.is_empty() {
        Plan::Current
    } else {
        Plan::Upgrade(sets)
    }
}

/// What happened to one item.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Skipped,
    AlreadyCurrent,
    Newer,
    /// Upgraded (or, in a dry run, would be): the attributes added or set.
    Upgraded(Vec<&'static str>),
    Failed(Failure),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub pk: String,
    pub reason: String,
    /// A concurrent write or a throttle: a later run will retry the item.
    pub retryable: bool,
}

/// Plans `item` (as a Scan or GetItem returned it) and, with `apply`, writes
/// the upgrade conditionally on the item's `version` being unchanged.
pub async fn upgrade_item(store: &Store, item: &Item, apply: bool) -> Outcome {
    let pk = get_str(item, "pk").unwrap_or_default().to_string();
    let fail = |reason: String, retryable: bool| {
        Outcome::Failed(Failure {
            pk: pk.clone(),
            reason,
            retryable,
        })
    };
    let sets = match plan(item) {
        Plan::NotAUser => return Outcome::Skipped,
        Plan::Current => return Outcome::AlreadyCurrent,
        Plan::Newer(_) => return Outcome::Newer,
        Plan::Unreadable(reason) => return fail(reason, false),
        Plan::Upgrade(sets) => sets,
    };
    let names: Vec<&'static str> = sets.iter().map(|(name, _)| *name).collect();
    if !apply {
        return Outcome::Upgraded(names);
    }

    let mut req = store
        .client()
        .update_item()
        .table_name(store.table())
        .key("pk", item["pk"].clone())
        .key("sk", item["sk"].clone())
        .expression_attribute_names("#version", "version");
    let mut expr = Vec::with_capacity(sets.len());
    for (i, (name, value)) in sets.into_iter().enumerate() {
        req = req
            .expression_attribute_names(format!("#a{i}"), name)
            .expression_attribute_values(format!(":v{i}"), value);
        // schema_version is ours to raise; everything else only if absent.
        expr.push(if name == "schema_version" {
            format!("#a{i} = :v{i}")
        } else {
            format!("#a{i} = if_not_exists(#a{i}, :v{i})")
        });
    }
    req = req.update_expression(format!("SET {}", expr.join(", ")));
    req = match item.get("version") {
        Some(version) => req
            .condition_expression("attribute_exists(pk) AND #version = :expected")
            .expression_attribute_values(":expected", version.clone()),
        None => req.condition_expression("attribute_exists(pk) AND attribute_not_exists(#version)"),
    };
    match req.send().await.map_err(classify) {
        Ok(_) => Outcome::Upgraded(names),
        Err(StoreError::Conflict) => fail(
            "changed (or deleted) by a concurrent write since it was read; run again to retry"
                .into(),
            true,
        ),
        Err(StoreError::Unavailable(m)) => fail(format!("store unavailable: {m}"), true),
        Err(e) => fail(e.to_string(), false),
    }
}

#[derive(Clone, Debug)]
pub struct Options {
    /// Write the upgrades; without it nothing is written (a dry run).
    pub apply: bool,
    /// Items per Scan page (the Scan's `Limit`), 1 to [`MAX_PAGE_SIZE`].
    pub page_size: i32,
    /// Continue a previous run after this key.
    pub start_after: Option<Cursor>,
    /// Stop after this many pages; the report's `next_cursor` resumes.
    pub max_pages: Option<u32>,
    /// Upgrades written at the same time within a page.
    pub concurrency: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            apply: false,
            page_size: DEFAULT_PAGE_SIZE,
            start_after: None,
            max_pages: None,
            concurrency: DEFAULT_CONCURRENCY,
        }
    }
}

/// Counts of a page or a run. `seen` counts user items only:
/// `seen = upgraded + already_current + newer + failed`; everything else in
/// the table is `skipped`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub seen: u64,
    /// Upgraded, or in a dry run: would be upgraded.
    pub upgraded: u64,
    pub already_current: u64,
    /// Written by a newer release; left alone.
    pub newer: u64,
    pub failed: u64,
    /// Of the failed: a later run will retry them (a concurrent write won).
    pub retryable: u64,
    /// Items that are not users.
    pub skipped: u64,
}

impl Counts {
    fn count(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Skipped => self.skipped += 1,
            other => {
                self.seen += 1;
                match other {
                    Outcome::AlreadyCurrent => self.already_current += 1,
                    Outcome::Newer => self.newer += 1,
                    Outcome::Upgraded(_) => self.upgraded += 1,
                    Outcome::Failed(f) => {
                        self.failed += 1;
                        self.retryable += u64::from(f.retryable);
                    }
                    Outcome::Skipped => unreachable!("matched above"),
                }
            }
        }
    }

    pub fn add(&mut self, other: &Counts) {
        self.seen += other.seen;
        self.upgraded += other.upgraded;
        self.already_current += other.already_current;
        self.newer += other.newer;
        self.failed += other.failed;
        self.retryable += other.retryable;
        self.skipped += other.skipped;
    }
}

/// One Scan page, reported as soon as its writes are done.
#[derive(Clone, Debug)]
pub struct PageReport {
    /// 1-based, within this run.
    pub page: u32,
    /// Items the page held.
    pub items: u64,
    pub counts: Counts,
    /// Where the next page starts; `None` after the last page. Resuming from
    /// it never skips an item whose write was not attempted.
    pub cursor: Option<Cursor>,
}

#[derive(Clone, Debug)]
pub struct Report {
    pub applied: bool,
    pub pages: u32,
    pub counts: Counts,
    pub failures: Vec<Failure>,
    /// `Some` when the run stopped early (`max_pages`): start after it to
    /// continue. `None`: the Scan reached the end of the table.
    pub next_cursor: Option<Cursor>,
}

/// Scans the whole table (or the rest of it after `start_after`) page by
/// page, upgrading user items; `on_page` hears about each page as soon as
/// its writes are done (print it, or save the cursor to resume from).
pub async fn run(
    store: &Store,
    opts: &Options,
    mut on_page: impl FnMut(&PageReport),
) -> Result<Report, StoreError> {
    if !(1..=MAX_PAGE_SIZE).contains(&opts.page_size) {
        return Err(StoreError::Other(format!(
            "page size must be 1 to {MAX_PAGE_SIZE}, got {}",
            opts.page_size
        )));
    }
    if opts.max_pages == Some(0) {
        return Err(StoreError::Other("max pages must be at least 1".into()));
    }
    let concurrency = opts.concurrency.clamp(1, MAX_CONCURRENCY);
    let mut report = Report {
        applied: opts.apply,
        pages: 0,
        counts: Counts::default(),
        failures: Vec::new(),
        next_cursor: None,
    };
    let mut cursor = opts.start_after.clone();
    loop {
        if opts.max_pages.is_some_and(|max| report.pages >= max) {
            report.next_cursor = cursor;
            return Ok(report);
        }
        let page = store
            .client()
            .scan()
            .table_name(store.table())
            .limit(opts.page_size)
            .consistent_read(true)
            .set_exclusive_start_key(cursor.as_ref().map(Cursor::to_key))
            .send()
            .await
            .map_err(classify)?;
        let items = page.items.unwrap_or_default();
        let next = page
            .last_evaluated_key
            .as_ref()
            .filter(|key| !key.is_empty())
            .map(Cursor::from_key)
            .transpose()?;

        let mut counts = Counts::default();
        for outcome in upgrade_all(store, &items, opts.apply, concurrency).await {
            counts.count(&outcome);
            if let Outcome::Failed(failure) = outcome {
                tracing::warn!(pk = %failure.pk, reason = %failure.reason, "user item not migrated");
                report.failures.push(failure);
            }
        }
        report.pages += 1;
        report.counts.add(&counts);
        on_page(&PageReport {
            page: report.pages,
            items: items.len() as u64,
            counts,
            cursor: next.clone(),
        });
        match next {
            Some(next) => cursor = Some(next),
            None => return Ok(report),
        }
    }
}

/// Outcomes in the order of `items`, at most `concurrency` writes at a time.
async fn upgrade_all(
    store: &Store,
    items: &[Item],
    apply: bool,
    concurrency: usize,
) -> Vec<Outcome> {
    let mut outcomes = Vec::with_capacity(items.len());
    for chunk in items.chunks(concurrency) {
        let mut tasks = tokio::task::JoinSet::new();
        for (i, item) in chunk.iter().enumerate() {
            let (store, item) = (store.clone(), item.clone());
            tasks.spawn(async move { (i, upgrade_item(&store, &item, apply).await) });
        }
        let mut done: Vec<(usize, Outcome)> = Vec::with_capacity(chunk.len());
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok(result) => done.push(result),
                // A panicking write is a bug; keep the other results.
                Err(e) => tracing::error!(error = %e, "migration task failed"),
            }
        }
        done.sort_by_key(|(i, _)| *i);
        let mut done = done.into_iter().peekable();
        for (i, item) in chunk.iter().enumerate() {
            match done.next_if(|(j, _)| *j == i) {
                Some((_, outcome)) => outcomes.push(outcome),
                None => outcomes.push(Outcome::Failed(Failure {
                    pk: get_str(item, "pk").unwrap_or_default().to_string(),
                    reason: "the upgrade task panicked".into(),
                    retryable: true,
                })),
            }
        }
    }
    outcomes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(pairs: &[(&str, AttributeValue)]) -> Item {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    fn legacy() -> Item {
        item(&[
            ("pk", s("TENANT#1#USER#7")),
            ("sk", s("PROFILE")),
            ("id", s("7")),
            ("tenant_id", n(1)),
            ("username", s("old.timer")),
            (
                "profile",
                AttributeValue::M(item(&[
                    ("gender", s("M")),
                    ("dateofbirth", s("1970-01-01")),
                    ("shoe_size", n(44)),
                ])),
            ),
            ("badge", s("B-1")),
        ])
    }

    /// What the conditional write does to the stored item.
    fn applied(mut item: Item, sets: &[(&'static str, AttributeValue)]) -> Item {
        for (name, value) in sets {
            if *name == "schema_version" || !item.contains_key(*name) {
                item.insert(name.to_string(), value.clone());
            }
        }
        item
    }

    #[test]
    fn a_shape_1_item_gets_every_missing_attribute_and_keeps_the_rest() {
        let before = legacy();
        let Plan::Upgrade(sets) = plan(&before) else {
            panic!("expected an upgrade");
        };
        assert_eq!(
            sets,
            vec![
                ("first_login_completed", AttributeValue::Bool(false)),
                ("onboarding_completed_at", AttributeValue::Null(true)),
                ("onboarding_skipped", AttributeValue::Bool(false)),
                ("people_extras", AttributeValue::M(Item::new())),
                // gender "M" and a birth date: 2 of 4.
                ("profile_completion_percentage", n(50)),
                ("version", n(1)),
                ("schema_version", n(USER_SCHEMA_VERSION)),
            ]
        );
        let after = applied(before.clone(), &sets);
        for (k, v) in &before {
            assert_eq!(after.get(k), Some(v), "{k} kept");
        }
        assert_eq!(plan(&after), Plan::Current, "idempotent");
    }

    #[test]
    fn present_attributes_are_never_rewritten() {
        let mut before = legacy();
        before.insert("version".into(), s("3"));
        before.insert("people_extras".into(), AttributeValue::Null(true));
        before.insert("profile_completion_percentage".into(), s("25"));
        before.insert("first_login_completed".into(), s("true"));
        let Plan::Upgrade(sets) = plan(&before) else {
            panic!("expected an upgrade");
        };
        let names: Vec<_> = sets.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            names,
            [
                "onboarding_completed_at",
                "onboarding_skipped",
                "schema_version"
            ]
        );
    }

    #[test]
    fn current_newer_and_foreign_items() {
        let current = applied(
            legacy(),
            &match plan(&legacy()) {
                Plan::Upgrade(sets) => sets,
                other => panic!("{other:?}"),
            },
        );
        assert_eq!(plan(&current), Plan::Current);
        let mut older = current.clone();
        older.insert("schema_version".into(), n(1));
        assert_eq!(
            plan(&older),
            Plan::Upgrade(vec![("schema_version", n(USER_SCHEMA_VERSION))])
        );
        let mut newer = current.clone();
        newer.insert("schema_version".into(), n(USER_SCHEMA_VERSION + 1));
        assert_eq!(plan(&newer), Plan::Newer(USER_SCHEMA_VERSION + 1));
        let mut odd_version = current.clone();
        odd_version.insert("version".into(), AttributeValue::Bool(true));
        assert!(matches!(plan(&odd_version), Plan::Unreadable(_)));
        for (pk, sk) in [
            ("TENANT#1", "TENANT"),
            ("TENANT#1", "REF#location#1"),
            ("USERNAME#old.timer", "USERNAME"),
            ("TENANT#1#USER#7", "AVATAR"),
            ("ARCHIVE#TENANT#1#USER#7", "PROFILE"),
        ] {
            let other = item(&[("pk", s(pk)), ("sk", s(sk))]);
            assert_eq!(plan(&other), Plan::NotAUser, "{pk} {sk}");
        }
    }

    #[test]
    fn cursors_round_trip_as_json() {
        let cursor = Cursor {
            pk: "TENANT#1#USER#7".into(),
            sk: "PROFILE".into(),
        };
        let text = cursor.to_string();
        assert_eq!(text, r#"{"pk":"TENANT#1#USER#7","sk":"PROFILE"}"#);
        assert_eq!(text.parse::<Cursor>(), Ok(cursor.clone()));
        assert_eq!(Cursor::from_key(&cursor.to_key()).unwrap(), cursor);
        assert!("TENANT#1#USER#7".parse::<Cursor>().is_err());
    }
}
