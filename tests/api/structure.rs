//! "One read per read": the two profile reads cost one DynamoDB request each.

use crate::support::*;
use reqwest::StatusCode;

#[tokio::test]
async fn profile_reads_make_exactly_one_dynamodb_request() {
    let api = Api::start().await;
    let token = api.token(EXISTING).await;
    for path in ["/api/v2/profile/me/", "/api/v2/profile/completion-status/"] {
        api.stack.dynamodb_requests.reset();
        let reply = api.get(path, &token).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(
            api.stack.dynamodb_requests.operations(),
            vec!["GetItem"],
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_denied_request_costs_one_read_and_writes_nothing() {
    let api = Api::start().await;
    let token = api.token(REGULAR).await;
    api.stack.dynamodb_requests.reset();
    let reply = api
        .post(
            "/api/v2/profile/mark-onboarding-complete/",
            &token,
            serde_json::json!({"skipped": true, "completed_steps": []}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(api.stack.dynamodb_requests.operations(), vec!["GetItem"]);
}
