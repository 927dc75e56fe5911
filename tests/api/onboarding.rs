//! Completion status (the contract's Examples 1 to 3) and mark-complete.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use shared::store::attrs::{get_map, AttributeValue};

const STATUS: &str = "/api/v2/profile/completion-status/";
const MARK: &str = "/api/v2/profile/mark-onboarding-complete/";

/// Puts the new employee in the backend state of an example.
async fn set_state(
    api: &Api,
    profile: &[(&str, Option<&str>)],
    onboarding: &[(&str, AttributeValue)],
) {
    let mut sets = vec![("profile", profile_map(profile))];
    sets.extend(onboarding.iter().map(|(k, v)| (*k, v.clone())));
    api.put_attributes("new.employee", sets).await;
}

#[tokio::test]
async fn example_1_incomplete_profile() {
    let api = Api::start().await;
    set_state(
        &api,
        &[
            ("peopleimg", None),
            ("dateofbirth", Some("1990-01-15")),
            ("gender", None),
            ("dateofjoin", Some("2025-01-01")),
        ],
        &[],
    )
    .await;
    let token = api.token(NEW_EMPLOYEE).await;
    let reply = api.get(STATUS, &token).await;
    assert_eq!(reply.status, StatusCode::OK);
    // The contract's Example 1, verbatim (tests/fixtures/contract/).
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/contract/completion_status_example_1.json"
    );
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(reply.body, expected);
}

#[tokio::test]
async fn example_2_complete_profile_onboarding_done() {
    let api = Api::start().await;
    set_state(
        &api,
        &[
            ("peopleimg", Some("profiles/123.jpg")),
            ("dateofbirth", Some("1990-01-15")),
            // The legacy one-letter code counts, and reads as MALE.
            ("gender", Some("M")),
            ("dateofjoin", Some("2025-01-01")),
        ],
        &[
            (
                "onboarding_completed_at",
                AttributeValue::S("2025-11-10T14:30:00Z".into()),
            ),
            ("first_login_completed", AttributeValue::Bool(true)),
        ],
    )
    .await;
    let token = api.token(NEW_EMPLOYEE).await;
    let reply = api.get(STATUS, &token).await;
    assert_eq!(
        reply.body,
        json!({
            "is_complete": true,
            "completion_percentage": 100,
            "missing_fields": [],
            "has_completed_onboarding": true,
            "onboarding_completed_at": "2025-11-10T14:30:00.000Z",
            "onboarding_skipped": false,
            "first_login_completed": true,
            "can_skip_onboarding": true,
            "required_documents": [],
            "onboarding_workflow_state": null
        })
    );
    let me = api.get("/api/v2/profile/me/", &token).await.body;
    assert_eq!(me["profile"]["gender"], "MALE");
}

#[tokio::test]
async fn example_3_onboarding_skipped() {
    let api = Api::start().await;
    set_state(
        &api,
        &[("dateofbirth", Some("1990-01-15"))],
        &[
            ("onboarding_skipped", AttributeValue::Bool(true)),
            ("onboarding_completed_at", AttributeValue::Null(true)),
            ("first_login_completed", AttributeValue::Bool(true)),
        ],
    )
    .await;
    let token = api.token(NEW_EMPLOYEE).await;
    let body = api.get(STATUS, &token).await.body;
    assert_eq!(body["is_complete"], false);
    assert_eq!(body["completion_percentage"], 25);
    assert_eq!(body["missing_fields"].as_array().unwrap().len(), 3);
    assert_eq!(body["has_completed_onboarding"], false);
    assert_eq!(body["onboarding_completed_at"], Value::Null);
    assert_eq!(body["onboarding_skipped"], true);
    assert_eq!(body["first_login_completed"], true);
    assert_eq!(body["can_skip_onboarding"], false);
    assert_eq!(body["required_documents"], json!([]));
    assert_eq!(body["onboarding_workflow_state"], Value::Null);
}

fn onboarding_record(user: &shared::store::UserRecord) -> Value {
    let extras = user.people_extras();
    shared::store::attrs::to_json(&AttributeValue::M(
        get_map(&extras, "onboarding").cloned().unwrap_or_default(),
    ))
}

#[tokio::test]
async fn completing_records_steps_in_people_extras() {
    let api = Api::start().await;
    let token = api.token(NEW_EMPLOYEE).await;
    let steps = [
        "welcome",
        "permissions",
        "profile_setup",
        "safety_briefing",
        "feature_tour",
    ];
    let reply = api
        .post(
            MARK,
            &token,
            json!({"skipped": false, "completed_steps": steps}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let at = reply.body["onboarding_completed_at"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(at.ends_with('Z') && chrono::DateTime::parse_from_rfc3339(&at).is_ok());
    assert_eq!(reply.body["onboarding_skipped"], false);
    assert_eq!(reply.body["first_login_completed"], true);

    let user = api.record("new.employee").await;
    assert_eq!(
        onboarding_record(&user),
        json!({"completed_steps": steps, "completed_at": at, "skipped": false, "version": "1.0"})
    );
    let status = api.get(STATUS, &token).await.body;
    assert_eq!(status["has_completed_onboarding"], true);
    assert_eq!(status["onboarding_completed_at"], json!(at));
}

#[tokio::test]
async fn every_call_states_the_outcome_and_keeps_the_earlier_records() {
    let api = Api::start().await;
    let token = api.token(NEW_EMPLOYEE).await;
    let first = api
        .post(
            MARK,
            &token,
            json!({"skipped": false, "completed_steps": ["welcome"]}),
        )
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let again = api
        .post(
            MARK,
            &token,
            json!({"skipped": false, "completed_steps": ["feature_tour", "welcome"]}),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    // A completion is "now", every time.
    assert!(
        again.body["onboarding_completed_at"].as_str()
            > first.body["onboarding_completed_at"].as_str(),
        "{} then {}",
        first.body,
        again.body
    );
    let record = onboarding_record(&api.record("new.employee").await);
    assert_eq!(
        record["completed_steps"],
        json!(["feature_tour", "welcome"])
    );

    // A skip after a completion: the completion is cleared.
    let skip = api
        .post(
            MARK,
            &token,
            json!({"skipped": true, "completed_steps": []}),
        )
        .await;
    assert_eq!(skip.status, StatusCode::OK);
    assert_eq!(
        skip.body,
        json!({"success": true, "onboarding_completed_at": null, "onboarding_skipped": true, "first_login_completed": true})
    );
    let status = api.get(STATUS, &token).await.body;
    assert_eq!(status["onboarding_skipped"], true);
    assert_eq!(status["has_completed_onboarding"], false);

    // Nothing is lost: the two earlier records are in the history.
    let user = api.record("new.employee").await;
    let extras = shared::store::attrs::to_json(&AttributeValue::M(user.people_extras()));
    let history = extras["onboarding_history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["completed_steps"], json!(["welcome"]));
    assert_eq!(
        history[0]["completed_at"],
        first.body["onboarding_completed_at"]
    );
    assert_eq!(
        history[1]["completed_steps"],
        json!(["feature_tour", "welcome"])
    );
    assert_eq!(extras["onboarding"]["skipped"], true);
    assert_eq!(extras["onboarding"]["completed_steps"], json!([]));
}

#[tokio::test]
async fn the_contracts_older_step_name_is_stored_as_profile_setup() {
    let api = Api::start().await;
    let token = api.token(NEW_EMPLOYEE).await;
    // The contract's own sample test.
    let reply = api
        .post(
            MARK,
            &token,
            json!({"skipped": false, "completed_steps": ["welcome", "profile"]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let record = onboarding_record(&api.record("new.employee").await);
    assert_eq!(
        record["completed_steps"],
        json!(["welcome", "profile_setup"])
    );
}

#[tokio::test]
async fn skipping_then_completing() {
    let api = Api::start().await;
    let token = api.token(NEW_EMPLOYEE).await;
    let skip = api
        .post(
            MARK,
            &token,
            json!({"skipped": true, "completed_steps": []}),
        )
        .await;
    assert_eq!(skip.status, StatusCode::OK);
    assert_eq!(
        skip.body,
        json!({"success": true, "onboarding_completed_at": null, "onboarding_skipped": true, "first_login_completed": true})
    );
    let record = onboarding_record(&api.record("new.employee").await);
    assert_eq!(record["skipped"], true);
    assert_eq!(record["version"], "1.0");
    assert_eq!(record["completed_at"], Value::Null);

    let done = api
        .post(
            MARK,
            &token,
            json!({"skipped": false, "completed_steps": ["welcome"]}),
        )
        .await;
    assert_eq!(done.body["onboarding_skipped"], false);
    assert!(done.body["onboarding_completed_at"].is_string());
}

#[tokio::test]
async fn invalid_steps_and_bodies_are_refused_and_nothing_is_written() {
    let api = Api::start().await;
    let token = api.token(NEW_EMPLOYEE).await;
    let before = api.record("new.employee").await;
    let reply = api
        .post(
            MARK,
            &token,
            json!({"skipped": false, "completed_steps": ["welcome", "invalid_step"]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body,
        json!({"errors": {"completed_steps": ["Invalid step: 'invalid_step'"]}})
    );
    // The source's sample step name is not a valid step either.
    let reply = api
        .post(
            MARK,
            &token,
            json!({"skipped": false, "completed_steps": ["profile_settings"]}),
        )
        .await;
    assert_eq!(
        reply.body,
        json!({"errors": {"completed_steps": ["Invalid step: 'profile_settings'"]}})
    );
    for body in [
        json!({}),
        json!({"skipped": "no"}),
        json!({"skipped": false, "completed_steps": "welcome"}),
    ] {
        assert_eq!(
            api.post(MARK, &token, body.clone()).await.status,
            StatusCode::BAD_REQUEST,
            "{body}"
        );
    }
    let after = api.record("new.employee").await;
    assert_eq!(after.version, before.version);
    assert!(!after.first_login_completed);
}

#[tokio::test]
async fn onboarding_module_switched_off_denies_everyone() {
    let api = Api::start_with(&[("ONBOARDING_MODULE_ENABLED", "false")]).await;
    let token = api.token(ADMIN).await;
    let expected = json!({"detail": "You do not have permission to access onboarding features."});
    let status = api.get(STATUS, &token).await;
    assert_eq!(
        (status.status, status.body),
        (StatusCode::FORBIDDEN, expected.clone())
    );
    let mark = api
        .post(
            MARK,
            &token,
            json!({"skipped": true, "completed_steps": []}),
        )
        .await;
    assert_eq!((mark.status, mark.body), (StatusCode::FORBIDDEN, expected));
    // The profile itself stays available.
    assert_eq!(
        api.get("/api/v2/profile/me/", &token).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn mark_complete_racing_profile_patches_loses_nothing() {
    let api = Api::start().await;
    let token = api.token(NEW_EMPLOYEE).await;
    type Call<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Reply> + 'a>>;
    let mut calls: Vec<Call> = Vec::new();
    for (i, day) in ["01", "02", "03", "04", "05"].iter().enumerate() {
        calls.push(Box::pin(api.patch(
            "/api/v2/profile/me/",
            &token,
            json!({"mobno": format!("+44123456{i}0")}),
        )));
        calls.push(Box::pin(api.patch(
            "/api/v2/profile/me/",
            &token,
            json!({"profile": {"dateofjoin": format!("2024-01-{day}")}}),
        )));
        let step = [
            "welcome",
            "permissions",
            "profile_setup",
            "safety_briefing",
            "feature_tour",
        ][i];
        calls.push(Box::pin(api.post(
            MARK,
            &token,
            json!({"skipped": false, "completed_steps": [step]}),
        )));
    }
    for reply in futures::future::join_all(calls).await {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let user = api.record("new.employee").await;
    // Five records: the current one and four in the history, one step each.
    let extras = shared::store::attrs::to_json(&AttributeValue::M(user.people_extras()));
    let mut steps: Vec<String> = extras["onboarding_history"]
        .as_array()
        .unwrap()
        .iter()
        .chain(std::iter::once(&extras["onboarding"]))
        .flat_map(|r| serde_json::from_value::<Vec<String>>(r["completed_steps"].clone()).unwrap())
        .collect();
    steps.sort();
    assert_eq!(
        steps,
        [
            "feature_tour",
            "permissions",
            "profile_setup",
            "safety_briefing",
            "welcome"
        ]
    );
    assert!(user.onboarding_completed_at.is_some());
    assert!(user
        .profile_str("dateofjoin")
        .unwrap()
        .starts_with("2024-01-0"));
    assert!(user.phone.unwrap().starts_with("+44123456"));
    assert_eq!(
        shared::store::attrs::get_u64(&user.item, "profile_completion_percentage"),
        Some(user_percentage(&api).await)
    );
}

async fn user_percentage(api: &Api) -> u64 {
    api.record("new.employee").await.presence().percentage() as u64
}
