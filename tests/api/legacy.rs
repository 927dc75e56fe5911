//! Legacy user items: every older shape is served by every endpoint, a PATCH
//! or mark-complete keeps what it does not touch, and `migrate` upgrades them
//! in place without losing anything (dry run, apply, resume, races).

use crate::support::*;
use infra::legacy::{self, map, Legacy, LEGACY_PASSWORD};
use reqwest::StatusCode;
use serde_json::{json, Value};
use shared::capabilities::Capabilities;
use shared::store::attrs::{get_u64, n, s, to_json, AttributeValue, Item};
use shared::store::migrate::{self, Counts, Outcome};
use shared::store::{is_user_key, Store, UserRecord, USER_SCHEMA_VERSION};
use std::collections::{BTreeMap, HashMap};

const ME: &str = "/api/v2/profile/me/";
const STATUS: &str = "/api/v2/profile/completion-status/";
const MARK: &str = "/api/v2/profile/mark-onboarding-complete/";

/// `(pk, sk)` -> item: a whole table, read raw.
pub type Table = BTreeMap<(String, String), Item>;

fn b(v: bool) -> AttributeValue {
    AttributeValue::Bool(v)
}

fn null() -> AttributeValue {
    AttributeValue::Null(true)
}

/// Writes the legacy users (one item per old shape, in the demo tenant, ids
/// far above the counter) raw (PutItem), each with its username item, and
/// two items that look like users but are not.
pub async fn seed_legacy(api: &Api) -> Vec<Legacy> {
    let demo = api.stack.demo.as_ref().expect("demo tenant");
    let seed = legacy::seed_legacy(&api.stack.admin_store(), demo.tenant_id, &demo.reference)
        .await
        .expect("legacy users written");
    assert!(seed.written, "the legacy users were not there yet");
    seed.users
}

pub async fn scan_all(api: &Api) -> Table {
    let client = api.stack.dynamodb_admin();
    let mut table = Table::new();
    let mut start = None;
    loop {
        let page = client
            .scan()
            .table_name(infra::stack::TABLE_NAME)
            .consistent_read(true)
            .set_exclusive_start_key(start)
            .send()
            .await
            .expect("scan");
        for item in page.items.unwrap_or_default() {
            let key = (
                item["pk"].as_s().unwrap().clone(),
                item["sk"].as_s().unwrap().clone(),
            );
            table.insert(key, item);
        }
        start = page.last_evaluated_key.filter(|k| !k.is_empty());
        if start.is_none() {
            return table;
        }
    }
}

pub async fn raw_user(api: &Api, pk: &str) -> Item {
    api.stack
        .dynamodb_admin()
        .get_item()
        .table_name(infra::stack::TABLE_NAME)
        .key("pk", s(pk))
        .key("sk", s("PROFILE"))
        .consistent_read(true)
        .send()
        .await
        .expect("get")
        .item
        .expect("user item exists")
}

/// Every attribute of `before` has an equal value in `after`, looking into
/// maps; `except` names the dotted paths a write was allowed to change.
pub fn assert_kept(label: &str, before: &Item, after: &Item, except: &[&str]) {
    fn walk(label: &str, prefix: &str, before: &Item, after: &Item, except: &[&str]) {
        for (key, old) in before {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            if except.contains(&path.as_str()) {
                continue;
            }
            let new = after
                .get(key)
                .unwrap_or_else(|| panic!("{label}: {path} was lost"));
            match (old, new) {
                (AttributeValue::M(old), AttributeValue::M(new)) => {
                    walk(label, &path, old, new, except)
                }
                _ => assert_eq!(old, new, "{label}: {path} changed"),
            }
        }
    }
    walk(label, "", before, after, except);
}

pub async fn legacy_token(api: &Api, username: &str) -> String {
    api.token((username, LEGACY_PASSWORD)).await
}

fn options(apply: bool) -> migrate::Options {
    migrate::Options {
        apply,
        page_size: 7,
        ..migrate::Options::default()
    }
}

async fn migrate(store: &Store, opts: &migrate::Options) -> migrate::Report {
    migrate::run(store, opts, |_| {})
        .await
        .expect("migration runs")
}

fn user_count(table: &Table) -> u64 {
    table.keys().filter(|(pk, sk)| is_user_key(pk, sk)).count() as u64
}

fn caps_json(is_admin: bool, stored: &[(&str, bool)]) -> Value {
    let stored: HashMap<String, bool> = stored.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    serde_json::to_value(Capabilities::resolve(is_admin, Some(&stored))).unwrap()
}

#[tokio::test]
async fn legacy_items_are_served_kept_and_migrated_without_loss() {
    let api = Api::start().await;
    let users = seed_legacy(&api).await;
    let t = api.stack.demo.as_ref().unwrap().tenant_id;
    let seeded = scan_all(&api).await;
    let pk = |name: &str| users.iter().find(|u| u.username == name).unwrap().pk(t);

    // --- Every endpoint reads every old shape. ---
    let mut tokens = HashMap::new();
    for user in &users {
        let reply = api.login((user.username, LEGACY_PASSWORD)).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "{}: {}",
            user.username,
            reply.body
        );
        assert_eq!(reply.body["user"]["id"], user.id, "{}", user.username);
        assert_eq!(reply.body["user"]["username"], user.username);
        tokens.insert(
            user.username,
            reply.body["access"].as_str().unwrap().to_string(),
        );
    }
    let mut me = HashMap::new();
    for user in &users {
        let reply = api.get(ME, &tokens[user.username]).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "{}: {}",
            user.username,
            reply.body
        );
        assert_eq!(reply.body["id"], user.id);
        assert_eq!(reply.body["tenant_id"], t);
        let record =
            UserRecord::from_item(seeded[&(user.pk(t), "PROFILE".into())].clone()).unwrap();
        assert_eq!(
            reply.body["profile"]["profile_completion_percentage"],
            record.presence().percentage(),
            "{}",
            user.username
        );
        me.insert(user.username, reply.body);
    }
    // Defaults for what shape 1 lacks.
    let bare = &me["legacy.bare"];
    assert_eq!(
        bare["onboarding_status"],
        json!({"first_login_completed": false, "onboarding_completed_at": null, "onboarding_skipped": false})
    );
    assert_eq!(bare["capabilities"], caps_json(false, &[]));
    assert_eq!(bare["profile"]["profile_completion_percentage"], 50);
    assert_eq!(bare["organizational"]["location"], "Site A");
    assert_eq!(
        me["legacy.caps.null"]["capabilities"],
        caps_json(false, &[])
    );
    assert_eq!(
        me["legacy.caps.partial"]["capabilities"],
        caps_json(
            false,
            &[("canAccessOnboarding", true), ("canAccessReports", true)]
        )
    );
    // One-letter (and lower-case) codes read as the long form.
    assert_eq!(me["legacy.gender"]["profile"]["gender"], "MALE");
    assert_eq!(me["legacy.caps.null"]["profile"]["gender"], "FEMALE");
    assert_eq!(me["legacy.extras"]["profile"]["gender"], "OTHER");
    // Strings for numbers and booleans.
    let strings = &me["legacy.strings"];
    assert_eq!(strings["onboarding_status"]["first_login_completed"], true);
    assert_eq!(strings["organizational"]["reportto"], 901);
    assert_eq!(strings["organizational"]["client"], t);
    assert_eq!(strings["organizational"]["department"], Value::Null);
    assert_eq!(strings["profile"]["profile_completion_percentage"], 25);
    // Missing or partial organizational data.
    let missing = &me["legacy.org.missing"]["organizational"];
    for field in ["location", "department", "designation", "reportto", "bu"] {
        assert_eq!(missing[field], Value::Null, "{field}");
    }
    assert_eq!(missing["client"], t);
    assert_eq!(
        me["legacy.org.partial"]["organizational"]["location"],
        "Old Site"
    );
    let onboarded = &me["legacy.onboarded"]["onboarding_status"];
    assert_eq!(onboarded["first_login_completed"], true);
    assert_eq!(
        onboarded["onboarding_completed_at"],
        "2024-01-02T01:04:05.000Z"
    );
    assert_eq!(me["legacy.noid"]["profile"]["gender"], "FEMALE");

    // Completion status for a legacy user with canAccessOnboarding.
    let status = api.get(STATUS, &tokens["legacy.caps.partial"]).await;
    assert_eq!(status.status, StatusCode::OK, "{}", status.body);
    assert_eq!(status.body["completion_percentage"], 50);
    assert_eq!(status.body["has_completed_onboarding"], false);
    assert_eq!(status.body["first_login_completed"], false);
    assert_eq!(
        api.get(STATUS, &tokens["legacy.bare"]).await.status,
        StatusCode::FORBIDDEN,
        "the defaults do not grant onboarding"
    );

    // --- Writes keep everything they do not touch. ---
    let security = api
        .stack
        .demo
        .as_ref()
        .unwrap()
        .reference
        .iter()
        .find(|r| r.name == "Security")
        .unwrap()
        .id;
    let site_b = api
        .stack
        .demo
        .as_ref()
        .unwrap()
        .reference
        .iter()
        .find(|r| r.name == "Site B")
        .unwrap()
        .id;
    // A string-typed version, string ids, an empty department name.
    let reply = api
        .patch(
            ME,
            &tokens["legacy.strings"],
            json!({"mobno": "+15550009060", "organizational": {"department": security}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["phone"], "+15550009060");
    assert_eq!(reply.body["organizational"]["department"], "Security");
    assert_eq!(reply.body["organizational"]["reportto"], 901);
    let reply = api
        .patch(
            ME,
            &tokens["legacy.org.partial"],
            json!({"organizational": {"location": site_b}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["organizational"]["location"], "Site B");
    let reply = api
        .patch(
            ME,
            &tokens["legacy.profile.extra"],
            json!({"profile": {"dateofjoin": "2015-03-01"}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["profile"]["gender"], "MALE");
    assert_eq!(reply.body["profile"]["profile_completion_percentage"], 75);
    let reply = api
        .post(
            MARK,
            &tokens["legacy.extras"],
            json!({"skipped": false, "completed_steps": ["permissions", "welcome"]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["first_login_completed"], true);

    let after_api = scan_all(&api).await;
    let written: HashMap<&str, Vec<&str>> = HashMap::from([
        (
            "legacy.strings",
            vec![
                "phone",
                "organizational.department",
                "organizational.department_id",
                "profile_completion_percentage",
            ],
        ),
        (
            "legacy.org.partial",
            vec![
                "organizational.location",
                "organizational.location_id",
                "profile_completion_percentage",
            ],
        ),
        (
            "legacy.profile.extra",
            vec![
                "profile.dateofjoin",
                "profile.profile_completion_percentage",
                "profile_completion_percentage",
            ],
        ),
        (
            "legacy.extras",
            vec![
                "first_login_completed",
                "onboarding_completed_at",
                "onboarding_skipped",
                // Replaced by the call's record; the old one is checked
                // in the history below.
                "people_extras.onboarding",
                "profile_completion_percentage",
            ],
        ),
    ]);
    for (key, before) in &seeded {
        let name = users
            .iter()
            .find(|u| u.pk(t) == key.0 && key.1 == "PROFILE")
            .map(|u| u.username);
        let mut except = vec![];
        if let Some(fields) = name.and_then(|n| written.get(n)) {
            except.extend(["version", "updated_at"]);
            except.extend(fields.iter().copied());
        }
        assert_kept(
            &format!("{key:?} after the API"),
            before,
            &after_api[key],
            &except,
        );
    }
    let strings = &after_api[&(pk("legacy.strings"), "PROFILE".into())];
    assert_eq!(get_u64(strings, "version"), Some(4));
    let org = strings["organizational"].as_m().unwrap();
    assert_eq!(
        org["location_id"],
        seeded[&(pk("legacy.strings"), "PROFILE".into())]["organizational"]
            .as_m()
            .unwrap()["location_id"]
    );
    assert_eq!(org["department"], s("Security"));
    assert_eq!(org["department_id"], n(security));
    let extras = to_json(&after_api[&(pk("legacy.extras"), "PROFILE".into())]["people_extras"]);
    assert_eq!(extras["badge_color"], "blue");
    assert_eq!(extras["hr"], json!({"grade": 7, "band": "B2"}));
    // The call's record replaced the legacy one, which is kept, as it was
    // stored, in the history.
    assert_eq!(
        extras["onboarding"]["completed_steps"],
        json!(["permissions", "welcome"])
    );
    assert_eq!(
        extras["onboarding_history"],
        json!([{"completed_steps": ["welcome"], "legacy_note": "imported from v1"}])
    );
    let profile = to_json(&after_api[&(pk("legacy.profile.extra"), "PROFILE".into())]["profile"]);
    assert_eq!(profile["dateofjoin"], "2015-03-01");
    assert_eq!(profile["gender"], "M", "the stored code is left as it was");
    for user in &users {
        let item = &after_api[&(user.pk(t), "PROFILE".into())];
        if let Some(stored) = item
            .get("profile_completion_percentage")
            .and_then(|v| v.as_n().ok())
        {
            let record = UserRecord::from_item(item.clone()).unwrap();
            assert_eq!(
                stored,
                &record.presence().percentage().to_string(),
                "{}: a stored number matches the fields",
                user.username
            );
        }
    }
    // What the API answers now, to compare after the migration.
    let mut me_before = HashMap::new();
    for user in &users {
        me_before.insert(
            user.username,
            api.get(ME, &tokens[user.username]).await.body,
        );
    }

    // --- The migration: a dry run writes nothing. ---
    let store = api.stack.admin_store();
    let users_in_table = user_count(&after_api);
    let legacy = users.len() as u64;
    assert!(users_in_table >= legacy + 4, "demo users and legacy users");
    let expected = Counts {
        seen: users_in_table,
        upgraded: legacy,
        already_current: users_in_table - legacy,
        newer: 0,
        failed: 0,
        retryable: 0,
        skipped: after_api.len() as u64 - users_in_table,
    };
    let dry = migrate(&store, &options(false)).await;
    assert!(!dry.applied);
    assert_eq!(dry.counts, expected);
    assert!(dry.failures.is_empty() && dry.next_cursor.is_none());
    assert_eq!(scan_all(&api).await, after_api, "a dry run writes nothing");

    // --- Apply. ---
    let applied = migrate(&store, &options(true)).await;
    assert!(applied.applied);
    assert_eq!(applied.counts, expected);
    let migrated = scan_all(&api).await;
    assert_eq!(migrated.len(), after_api.len(), "no item added or removed");
    for (key, before) in &after_api {
        assert_kept(
            &format!("{key:?} after migrating"),
            before,
            &migrated[key],
            &[],
        );
        if !is_user_key(&key.0, &key.1) {
            assert_eq!(&migrated[key], before, "{key:?} is not a user: untouched");
        }
    }
    for user in &users {
        let key = (user.pk(t), "PROFILE".to_string());
        let (before, after) = (&after_api[&key], &migrated[&key]);
        assert_eq!(
            after["schema_version"],
            n(USER_SCHEMA_VERSION),
            "{}",
            user.username
        );
        let defaults = [
            ("first_login_completed", b(false)),
            ("onboarding_completed_at", null()),
            ("onboarding_skipped", b(false)),
            ("people_extras", map(&[])),
            ("version", n(1)),
        ];
        for (name, value) in defaults {
            if !before.contains_key(name) {
                assert_eq!(after[name], value, "{}: {name} added", user.username);
            }
        }
        if !before.contains_key("profile_completion_percentage") {
            let record = UserRecord::from_item(after.clone()).unwrap();
            assert_eq!(
                after["profile_completion_percentage"],
                n(record.presence().percentage() as u64),
                "{}",
                user.username
            );
        }
    }
    // Gender "M" is still "M"; the string percentage is still a string.
    assert_eq!(
        to_json(&migrated[&(pk("legacy.profile.extra"), "PROFILE".into())]["profile"])["gender"],
        "M"
    );
    assert_eq!(
        migrated[&(pk("legacy.onboarded"), "PROFILE".into())]["first_login_completed"],
        n(1)
    );

    // --- Read again: the same answers. ---
    for user in &users {
        let token = legacy_token(&api, user.username).await;
        let reply = api.get(ME, &token).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.body, me_before[user.username], "{}", user.username);
    }
    let status = api.get(STATUS, &tokens["legacy.caps.partial"]).await;
    assert_eq!(status.body["completion_percentage"], 50);
    // A migrated item takes writes as before.
    let reply = api
        .patch(
            ME,
            &tokens["legacy.bare"],
            json!({"profile": {"gender": "OTHER"}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["profile"]["profile_completion_percentage"], 75);

    // --- A second run changes nothing. ---
    let before_second = scan_all(&api).await;
    let again = migrate(&store, &options(true)).await;
    assert_eq!(
        again.counts,
        Counts {
            upgraded: 0,
            already_current: users_in_table,
            // The logins since stored refresh tokens.
            skipped: before_second.len() as u64 - users_in_table,
            ..expected
        }
    );
    assert_eq!(scan_all(&api).await, before_second);
}

#[tokio::test]
async fn the_migration_resumes_where_it_stopped() {
    let api = Api::start().await;
    seed_legacy(&api).await;
    let store = api.stack.admin_store();
    let full = migrate(&store, &options(false)).await.counts;
    assert!(full.upgraded >= 11 && full.skipped > 0);

    // Stop after the first page, then resume from the cursor.
    let small = |start_after, max_pages| migrate::Options {
        apply: true,
        page_size: 3,
        start_after,
        max_pages,
        concurrency: 2,
    };
    let mut pages = Vec::new();
    let first = migrate::run(&store, &small(None, Some(1)), |p| pages.push(p.clone()))
        .await
        .unwrap();
    assert_eq!(first.pages, 1);
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].items, 3);
    let cursor = first
        .next_cursor
        .clone()
        .expect("stopped early with a cursor");
    assert_eq!(pages[0].cursor.as_ref(), Some(&cursor));
    // The cursor survives being printed and typed back in.
    let cursor: migrate::Cursor = cursor.to_string().parse().unwrap();
    let rest = migrate(&store, &small(Some(cursor), None)).await;
    assert!(rest.next_cursor.is_none());
    let mut total = first.counts;
    total.add(&rest.counts);
    assert_eq!(total, full, "two halves count what one full run counts");

    // Page by page, one run per page: everything is current now.
    let mut cursor = None;
    let mut sum = Counts::default();
    let mut runs = 0;
    loop {
        let one = migrate(&store, &small(cursor, Some(1))).await;
        sum.add(&one.counts);
        runs += 1;
        cursor = one.next_cursor;
        if cursor.is_none() {
            break;
        }
        assert!(runs < 1000);
    }
    assert!(runs > 5);
    assert_eq!(
        sum,
        Counts {
            upgraded: 0,
            already_current: full.seen,
            ..full
        }
    );
}

#[tokio::test]
async fn a_migration_racing_a_patch_never_loses_it() {
    let api = Api::start().await;
    let users = seed_legacy(&api).await;
    let t = api.stack.demo.as_ref().unwrap().tenant_id;
    let store = api.stack.admin_store();

    // Deterministic: the migration read the item, then the API wrote it.
    // With and without a stored version.
    for name in ["legacy.bare", "legacy.caps.null", "legacy.strings"] {
        let user = users.iter().find(|u| u.username == name).unwrap();
        let stale = raw_user(&api, &user.pk(t)).await;
        let token = legacy_token(&api, name).await;
        let reply = api
            .patch(
                ME,
                &token,
                json!({"mobno": "+15550101010", "profile": {"dateofjoin": "2012-12-12"}}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{name}: {}", reply.body);
        let patched = raw_user(&api, &user.pk(t)).await;
        match migrate::upgrade_item(&store, &stale, true).await {
            Outcome::Failed(failure) => {
                assert!(failure.retryable, "{name}: {failure:?}");
                assert_eq!(failure.pk, user.pk(t));
            }
            other => panic!("{name}: a stale upgrade must not be written: {other:?}"),
        }
        assert_eq!(
            raw_user(&api, &user.pk(t)).await,
            patched,
            "{name}: nothing overwritten"
        );
        // The next run upgrades it, PATCH and all.
        assert!(matches!(
            migrate::upgrade_item(&store, &patched, true).await,
            Outcome::Upgraded(_)
        ));
        let after = raw_user(&api, &user.pk(t)).await;
        assert_kept(name, &patched, &after, &[]);
        assert_eq!(after["phone"], s("+15550101010"));
        assert_eq!(to_json(&after["profile"])["dateofjoin"], "2012-12-12");
        assert_eq!(after["schema_version"], n(USER_SCHEMA_VERSION));
    }

    // Concurrent: a slow migration (one item per page) while every legacy
    // user PATCHes its phone number several times.
    let mut tokens = Vec::new();
    for user in &users {
        tokens.push((user, legacy_token(&api, user.username).await));
    }
    let migration = async {
        let opts = migrate::Options {
            apply: true,
            page_size: 1,
            concurrency: 1,
            ..migrate::Options::default()
        };
        migrate(&store, &opts).await
    };
    let patches = futures::future::join_all(tokens.iter().map(|(user, token)| {
        let api = &api;
        async move {
            let mut last = String::new();
            for round in 0..4 {
                last = format!("+1555{:03}{:04}", user.id % 1000, round);
                let reply = api.patch(ME, token, json!({"mobno": last})).await;
                assert_eq!(
                    reply.status,
                    StatusCode::OK,
                    "{}: {}",
                    user.username,
                    reply.body
                );
            }
            (user.pk(t), last)
        }
    }));
    let (report, lasts) = tokio::join!(migration, patches);
    eprintln!("migration racing PATCHes: {:?}", report.counts);
    assert_eq!(
        report.counts.failed, report.counts.retryable,
        "only races fail"
    );
    // Runs until none is left (each run only fails items a write raced).
    let mut runs = 0;
    loop {
        let again = migrate(&store, &options(true)).await;
        if again.counts.failed == 0 {
            break;
        }
        runs += 1;
        assert!(runs < 5, "{:?}", again.failures);
    }
    for (pk, last) in lasts {
        let item = raw_user(&api, &pk).await;
        assert_eq!(item["phone"], s(&last), "{pk}: the last PATCH is kept");
        assert_eq!(item["schema_version"], n(USER_SCHEMA_VERSION), "{pk}");
        let record = UserRecord::from_item(item.clone()).unwrap();
        assert_eq!(
            get_u64(&item, "profile_completion_percentage"),
            Some(record.presence().percentage() as u64),
            "{pk}"
        );
    }
    let final_run = migrate(&store, &options(false)).await;
    assert_eq!(final_run.counts.upgraded, 0);
}
