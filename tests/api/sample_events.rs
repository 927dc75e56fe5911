//! `opsctl sample-events`: the committed events/ templates, filled in for a
//! user of a running stack, are accepted by every function as written (what
//! `cargo lambda invoke <function> --data-file` sends).

use crate::support::*;
use http_body_util::BodyExt;
use infra::sample_events::{generate, read_templates};
use serde_json::Value;
use std::path::PathBuf;

fn templates() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("events")
}

#[tokio::test]
async fn filled_in_events_work_as_written() {
    let api = Api::start().await;
    let samples = generate(
        api.stack.ctx.clone(),
        read_templates(&templates()).unwrap(),
        ADMIN.0,
        ADMIN.1,
    )
    .await
    .expect("sample events");
    assert_ne!(samples.entry_id, samples.entry_to_delete);

    // What each function answers; the two confirm-style events name an
    // upload that only a real upload-url call creates, the multipart image
    // sample is a 1x1 PNG and the voice samples carry a placeholder where the
    // recording goes (and nobody is enrolled): their answers come from the
    // function too.
    let expected = [
        ("completion-status", 200),
        ("journal-entries-create", 201),
        ("journal-entries-list", 200),
        ("journal-entry-delete", 204),
        ("journal-entry-get", 200),
        ("journal-entry-update", 200),
        ("journal-media-add", 404),
        ("journal-media-list", 200),
        ("journal-media-upload-url", 200),
        ("login", 200),
        ("mark-onboarding-complete", 200),
        ("profile-get", 200),
        ("profile-image-confirm", 404),
        ("profile-image-upload", 400),
        ("profile-image-upload-url", 200),
        ("profile-update", 200),
        ("refresh", 200),
        ("voice-enroll", 400),
        ("voice-enrollment-get", 200),
        ("voice-enrollment-delete", 204),
        ("voice-verify", 409),
        ("conversation-start", 201),
        ("conversation-process", 200),
        ("conversation-voice", 400),
        ("conversation-get", 200),
    ];
    assert_eq!(samples.events.len(), expected.len());
    for (name, event) in samples.events.clone() {
        let response = infra::gateway::invoke(api.stack.ctx.clone(), name, event, "test").await;
        let status = response.status().as_u16();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let want = expected.iter().find(|(n, _)| *n == name).unwrap().1;
        assert_eq!(status, want, "{name}: {body}");
    }

    // The entry the journal events point at still exists; the other is gone.
    let token = api.token(ADMIN).await;
    let path = |id: u64| format!("/api/v2/journal/entries/{id}/");
    assert_eq!(api.get(&path(samples.entry_id), &token).await.status, 200);
    assert_eq!(
        api.get(&path(samples.entry_to_delete), &token).await.status,
        404
    );
}

#[test]
fn the_committed_events_carry_no_live_token() {
    for (name, event) in read_templates(&templates()).unwrap() {
        if let Some(auth) = event["headers"]["authorization"].as_str() {
            assert_eq!(auth, "Bearer <replace-with-access-token>", "{name}");
        }
    }
}
