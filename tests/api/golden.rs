//! Golden fixtures: the contract's JSON examples (tests/fixtures/contract)
//! against what the API returns, key by key and type by type; error bodies
//! exactly.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use shared::store::attrs::AttributeValue;
use std::collections::BTreeSet;

/// Fields we add to the documented shapes (DESIGN allows additions).
const DOCUMENTED_EXTRAS: &[&str] = &["profile.dateofreport"];

fn fixture(name: &str) -> Value {
    let path = format!("{}/fixtures/contract/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture exists"))
        .expect("fixture is JSON")
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Every difference in keys or types between `expected` and `actual`.
fn shape_diff(expected: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    if kind(expected) != kind(actual) {
        out.push(format!(
            "{path}: expected {}, got {} ({actual})",
            kind(expected),
            kind(actual)
        ));
        return;
    }
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            // JSON objects are unordered: compare the sets of keys.
            let e_keys: BTreeSet<&String> = e.keys().collect();
            let a_keys: BTreeSet<&String> = a
                .keys()
                .filter(|k| !DOCUMENTED_EXTRAS.contains(&join(path, k).as_str()))
                .collect();
            if e_keys != a_keys {
                out.push(format!("{path}: keys {e_keys:?} != {a_keys:?}"));
            }
            for (k, ev) in e {
                if let Some(av) = a.get(k) {
                    shape_diff(ev, av, &join(path, k), out);
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if let (Some(ev), Some(av)) = (e.first(), a.first()) {
                shape_diff(ev, av, &format!("{path}[]"), out);
            }
        }
        _ => {}
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn assert_same_shape(name: &str, actual: &Value) {
    let mut diffs = Vec::new();
    shape_diff(&fixture(name), actual, "", &mut diffs);
    assert!(
        diffs.is_empty(),
        "{name} differs from the contract:\n{}\nactual: {actual:#}",
        diffs.join("\n")
    );
}

#[tokio::test]
async fn get_profile_me_matches_endpoint_1() {
    let api = Api::start().await;
    // Fill every field the example shows, so nullable ones are not null.
    let boss = api.principal("admin").await.user_id;
    api.put_attributes(
        "existing.user",
        vec![(
            "profile",
            profile_map(&[
                (
                    "peopleimg",
                    Some("https://cdn.example/media/profiles/4.jpg"),
                ),
                ("dateofbirth", Some("1988-07-21")),
                ("dateofjoin", Some("2019-05-13")),
                ("gender", Some("M")),
            ]),
        )],
    )
    .await;
    let token = api.token(EXISTING).await;
    let patched = api
        .patch(
            "/api/v2/profile/me/",
            &token,
            json!({"mobno": "+1234567890", "organizational": {"reportto": boss}}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    let reply = api.get("/api/v2/profile/me/", &token).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_same_shape("profile_me.json", &reply.body);
    // The PATCH answers with the same shape as GET.
    assert_same_shape("profile_me.json", &patched.body);
    let at = reply.body["onboarding_status"]["onboarding_completed_at"]
        .as_str()
        .unwrap();
    assert!(at.ends_with('Z'), "{at}");
}

#[tokio::test]
async fn completion_status_matches_endpoint_4() {
    let api = Api::start().await;
    api.put_attributes(
        "new.employee",
        vec![("first_login_completed", AttributeValue::Bool(true))],
    )
    .await;
    let token = api.token(NEW_EMPLOYEE).await;
    let reply = api.get("/api/v2/profile/completion-status/", &token).await;
    assert_same_shape("completion_status.json", &reply.body);
}

#[tokio::test]
async fn mark_complete_matches_endpoint_5() {
    let api = Api::start().await;
    let token = api.token(NEW_EMPLOYEE).await;
    let reply = api
        .post(
            "/api/v2/profile/mark-onboarding-complete/",
            &token,
            fixture("mark_complete_request.json"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_same_shape("mark_complete_response.json", &reply.body);

    let extras = api.record("new.employee").await.people_extras();
    let extras = shared::store::attrs::to_json(&AttributeValue::M(extras));
    assert_same_shape("people_extras_onboarding.json", &extras);
    assert_eq!(
        extras["onboarding"]["completed_steps"],
        fixture("people_extras_onboarding.json")["onboarding"]["completed_steps"]
    );
}

#[tokio::test]
async fn error_bodies_are_the_contracts_exactly() {
    let api = Api::start().await;
    let regular = api.token(REGULAR).await;
    let reply = api
        .get("/api/v2/profile/completion-status/", &regular)
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.body, fixture("completion_status_403.json"));
    let reply = api
        .post(
            "/api/v2/profile/mark-onboarding-complete/",
            &regular,
            fixture("mark_complete_request.json"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.body, fixture("completion_status_403.json"));

    let newbie = api.token(NEW_EMPLOYEE).await;
    let reply = api
        .post(
            "/api/v2/profile/mark-onboarding-complete/",
            &newbie,
            json!({"skipped": false, "completed_steps": ["invalid_step"]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body, fixture("mark_complete_400.json"));

    let reply = api
        .patch(
            "/api/v2/profile/me/",
            &newbie,
            json!({"profile": {"dateofbirth": "2999-01-15", "dateofjoin": "2025-01-01"}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body, fixture("profile_update_400.json"));
}

#[test]
fn the_shape_check_catches_renames_type_changes_and_removals() {
    let expected = fixture("mark_complete_response.json");
    let mut renamed = expected.clone();
    let v = renamed.as_object_mut().unwrap().remove("success").unwrap();
    renamed["ok"] = v;
    let mut retyped = expected.clone();
    retyped["onboarding_skipped"] = json!("false");
    let mut removed = expected.clone();
    removed
        .as_object_mut()
        .unwrap()
        .remove("first_login_completed");
    for broken in [renamed, retyped, removed] {
        let mut diffs = Vec::new();
        shape_diff(&expected, &broken, "", &mut diffs);
        assert!(!diffs.is_empty(), "{broken}");
    }
}
