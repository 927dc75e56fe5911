//! The contract's "Mobile Test Scenarios" and "Integration Test Scenarios".
//! (Image upload scenarios belong to the profile image work.)

use crate::support::*;
use functions::routes::ROUTES;
use reqwest::{Method, StatusCode};
use serde_json::json;

const STATUS: &str = "/api/v2/profile/completion-status/";
const MARK: &str = "/api/v2/profile/mark-onboarding-complete/";

#[tokio::test]
async fn success_1_and_2_onboarding_apis_open_with_the_capability() {
    let api = Api::start().await;
    let token = api.token(NEW_EMPLOYEE).await;
    assert_eq!(api.get(STATUS, &token).await.status, StatusCode::OK);
    let reply = api
        .post(
            MARK,
            &token,
            json!({"skipped": false, "completed_steps": ["welcome"]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn success_4_and_5_completion_and_missing_fields_are_accurate() {
    let api = Api::start().await;
    let token = api.token(NEW_EMPLOYEE).await;
    let body = api.get(STATUS, &token).await.body;
    assert_eq!(body["completion_percentage"], 0);
    api.patch(
        "/api/v2/profile/me/",
        &token,
        json!({"profile": {"dateofbirth": "1990-01-15", "gender": "OTHER"}}),
    )
    .await;
    let body = api.get(STATUS, &token).await.body;
    assert_eq!(body["completion_percentage"], 50);
    assert_eq!(
        body["missing_fields"],
        json!([
            {"field": "peopleimg", "display_name": "Profile Image"},
            {"field": "dateofjoin", "display_name": "Date of Joining"}
        ])
    );
    assert_eq!(body["can_skip_onboarding"], true);
}

#[tokio::test]
async fn errors_1_and_2_onboarding_apis_closed_without_the_capability() {
    let api = Api::start().await;
    let token = api.token(REGULAR).await;
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
            json!({"skipped": false, "completed_steps": []}),
        )
        .await;
    assert_eq!((mark.status, mark.body), (StatusCode::FORBIDDEN, expected));
    // Denied means nothing written.
    assert!(api
        .record("regular.user")
        .await
        .onboarding_completed_at
        .is_none());
}

#[tokio::test]
async fn error_3_every_protected_route_needs_a_token() {
    let api = Api::start().await;
    for route in ROUTES
        .iter()
        .filter(|r| !r.path.starts_with("/api/v2/auth/"))
    {
        let method = Method::from_bytes(route.method.as_bytes()).unwrap();
        let reply = api.call(method, route.path, None, Some(json!({}))).await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "{} {}",
            route.method,
            route.path
        );
        assert_eq!(
            reply.body,
            json!({"detail": "Authentication credentials were not provided."})
        );
    }
}

#[tokio::test]
async fn integration_users_behave_as_the_contract_expects() {
    let api = Api::start().await;
    // User 1: admin, everything accessible.
    let admin = api.token(ADMIN).await;
    assert_eq!(api.get(STATUS, &admin).await.status, StatusCode::OK);
    let me = api.get("/api/v2/profile/me/", &admin).await.body;
    for key in [
        "canAccessOnboarding",
        "canUseVoiceFeatures",
        "canUseVoiceBiometrics",
    ] {
        assert_eq!(me["capabilities"][key], true, "{key}");
    }
    // User 2: regular user, completion status is 403.
    let regular = api.token(REGULAR).await;
    assert_eq!(
        api.get(STATUS, &regular).await.status,
        StatusCode::FORBIDDEN
    );
    // User 3: new employee, onboarding open, profile incomplete.
    let newbie = api.token(NEW_EMPLOYEE).await;
    let status = api.get(STATUS, &newbie).await.body;
    assert_eq!(status["is_complete"], false);
    assert_eq!(status["first_login_completed"], false);
    // User 4: existing user, onboarding completed.
    let existing = api.token(EXISTING).await;
    let status = api.get(STATUS, &existing).await.body;
    assert_eq!(status["has_completed_onboarding"], true);
    assert!(status["onboarding_completed_at"].is_string());
}
