//! Voice biometrics against the local stack, with the real speaker encoder:
//! enrollment with consent, verification of the same and of another voice,
//! deletion, the rate limit under a burst, tenancy. The recordings are the
//! committed fixtures (tests/fixtures/voice/, made with espeak-ng and flite).

use crate::support::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use shared::capabilities::Capability;

const ENROLL: &str = "/api/v2/voice/enrollment/";
const VERIFY: &str = "/api/v2/voice/verify/";
const DENIED: &str = "You do not have permission to use voice biometric features.";

fn clip(name: &str) -> Vec<u8> {
    fixture_bytes("voice", name)
}

async fn enroll(api: &Api, token: &str, name: &str, consent: bool) -> Reply {
    let fields: &[(&str, &str)] = if consent {
        &[("consent_given", "true")]
    } else {
        &[]
    };
    api.upload(
        ENROLL,
        token,
        fields,
        Some(("audio", clip(name), "audio/wav")),
    )
    .await
}

async fn verify(api: &Api, token: &str, name: &str) -> Reply {
    api.upload(VERIFY, token, &[], Some(("audio", clip(name), "audio/wav")))
        .await
}

/// Enrolls speaker `who` ("a" or "b") with its three clips.
async fn enroll_speaker(api: &Api, token: &str, who: &str) -> Vec<Value> {
    let mut answers = Vec::new();
    for i in 1..=3 {
        let reply = enroll(api, token, &format!("speaker_{who}_enroll_{i}.wav"), i == 1).await;
        assert_eq!(
            reply.status,
            StatusCode::CREATED,
            "sample {i}: {}",
            reply.body
        );
        answers.push(reply.body);
    }
    answers
}

#[tokio::test]
async fn the_gate_and_the_switch_come_before_any_audio() {
    let api = Api::start().await;
    let regular = api.token(REGULAR).await;
    for (method, path) in [
        (Method::POST, ENROLL),
        (Method::GET, ENROLL),
        (Method::DELETE, ENROLL),
        (Method::POST, VERIFY),
    ] {
        let reply = api.call(method.clone(), path, Some(&regular), None).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(reply.body, json!({"detail": DENIED}));
    }
    // Not even a broken upload is looked at.
    let reply = api
        .upload(
            ENROLL,
            &regular,
            &[],
            Some(("audio", b"not audio".to_vec(), "audio/wav")),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    let closed = Api::start_with(&[("VOICE_FEATURES_ENABLED", "false")]).await;
    let admin = closed.token(ADMIN).await;
    let reply = closed.call(Method::GET, ENROLL, Some(&admin), None).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.body, json!({"detail": DENIED}));
}

#[tokio::test]
async fn consent_is_required_and_refused_samples_do_not_count() {
    let api = Api::start().await;
    let token = api.token(ADMIN).await;
    let no_consent = enroll(&api, &token, "speaker_a_enroll_1.wav", false).await;
    assert_eq!(no_consent.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        no_consent.body,
        json!({"errors": {"consent_given": ["Explicit consent is required for voice enrollment."]}})
    );
    for (name, bytes, needle) in [
        (
            "short_speech.wav",
            clip("short_speech.wav"),
            "Recording too short",
        ),
        (
            "noise_only.wav",
            clip("noise_only.wav"),
            "Not enough speech",
        ),
        (
            "text",
            b"this is not audio".to_vec(),
            "Invalid audio file type",
        ),
    ] {
        let reply = api
            .upload(
                ENROLL,
                &token,
                &[("consent_given", "true")],
                Some(("audio", bytes, "audio/wav")),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{name}: {}",
            reply.body
        );
        assert!(
            reply.body["error"].as_str().unwrap().contains(needle),
            "{name}: {}",
            reply.body
        );
    }
    let missing = api
        .upload(ENROLL, &token, &[("consent_given", "true")], None)
        .await;
    assert_eq!(missing.body, json!({"error": "No audio file provided"}));
    let status = api.get(ENROLL, &token).await;
    assert_eq!(status.body["samples_collected"], 0);
    assert_eq!(status.body["enrolled"], false);
}

#[tokio::test]
async fn enroll_verify_delete() {
    let api = Api::start().await;
    let token = api.token(ADMIN).await;
    let answers = enroll_speaker(&api, &token, "a").await;
    for (i, a) in answers.iter().enumerate() {
        assert_eq!(a["samples_collected"], i + 1);
        assert_eq!(a["samples_required"], 3);
        assert!(a["speech_seconds"].as_f64().unwrap() >= 4.0, "{a}");
        assert!(a["sample_id"].as_str().is_some_and(|s| !s.is_empty()));
    }
    assert_eq!(answers[1]["enrolled"], false);
    assert_eq!(answers[1]["enrolled_at"], Value::Null);
    assert_eq!(answers[2]["enrolled"], true);
    assert!(answers[2]["enrolled_at"].as_str().unwrap().ends_with('Z'));

    let status = api.get(ENROLL, &token).await;
    assert_eq!(status.status, StatusCode::OK);
    assert_eq!(status.body["enrolled"], true);
    assert_eq!(status.body["samples_collected"], 3);
    assert_eq!(status.body["model"], voiceprint::MODEL_NAME);

    // The same voice saying another sentence, and another voice.
    let same = verify(&api, &token, "speaker_a_verify.wav").await;
    assert_eq!(same.status, StatusCode::OK, "{}", same.body);
    assert_eq!(same.body["verified"], true, "{}", same.body);
    let threshold = same.body["threshold"].as_f64().unwrap();
    assert!(same.body["score"].as_f64().unwrap() >= threshold);
    let other = verify(&api, &token, "speaker_b_verify.wav").await;
    assert_eq!(other.status, StatusCode::OK);
    assert_eq!(other.body["verified"], false, "{}", other.body);
    assert!(other.body["score"].as_f64().unwrap() < threshold);

    // Only embeddings are stored, on the user's own partition.
    let me = api.principal("admin").await;
    let items = api
        .stack
        .dynamodb_admin()
        .query()
        .table_name(infra::stack::TABLE_NAME)
        .key_condition_expression("pk = :pk AND begins_with(sk, :v)")
        .expression_attribute_values(
            ":pk",
            shared::store::attrs::s(shared::store::user_pk(me.tenant_id, me.user_id)),
        )
        .expression_attribute_values(":v", shared::store::attrs::s("VOICE#"))
        .send()
        .await
        .unwrap();
    let print = items
        .items()
        .iter()
        .find(|i| i["sk"].as_s().unwrap() == "VOICE#PRINT")
        .expect("a voiceprint item");
    assert_eq!(
        print["embedding"].as_b().unwrap().as_ref().len(),
        voiceprint::Embedding::BYTES_LEN
    );

    let deleted = api.call(Method::DELETE, ENROLL, Some(&token), None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let after = verify(&api, &token, "speaker_a_verify.wav").await;
    assert_eq!(after.status, StatusCode::CONFLICT);
    assert_eq!(
        after.body,
        json!({"error": "Voice enrollment is not complete"})
    );
    let status = api.get(ENROLL, &token).await;
    assert_eq!(status.body["enrolled"], false);
    assert_eq!(status.body["samples_collected"], 0);
}

#[tokio::test]
async fn not_enrolled_is_409() {
    let api = Api::start().await;
    api.set_capabilities("new.employee", &[("canUseVoiceBiometrics", true)])
        .await;
    let token = api.token(NEW_EMPLOYEE).await;
    let reply = verify(&api, &token, "speaker_a_verify.wav").await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(
        reply.body,
        json!({"error": "Voice enrollment is not complete"})
    );
}

#[tokio::test]
async fn a_new_enrollment_replaces_the_voiceprint_only_when_complete() {
    let api = Api::start().await;
    let token = api.token(ADMIN).await;
    enroll_speaker(&api, &token, "a").await;
    // A new set has started: the old voiceprint still answers.
    let first_b = enroll(&api, &token, "speaker_b_enroll_1.wav", true).await;
    assert_eq!(first_b.status, StatusCode::CREATED);
    assert_eq!(first_b.body["samples_collected"], 1);
    assert_eq!(first_b.body["enrolled"], true);
    assert_eq!(
        verify(&api, &token, "speaker_a_verify.wav").await.body["verified"],
        true
    );
    for i in 2..=3 {
        let reply = enroll(&api, &token, &format!("speaker_b_enroll_{i}.wav"), false).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
    assert_eq!(
        verify(&api, &token, "speaker_b_verify.wav").await.body["verified"],
        true
    );
    assert_eq!(
        verify(&api, &token, "speaker_a_verify.wav").await.body["verified"],
        false
    );
}

#[tokio::test]
async fn a_burst_of_verifications_gets_no_more_than_the_limit_through() {
    let api = Api::start().await;
    let token = api.token(ADMIN).await;
    enroll_speaker(&api, &token, "a").await;
    let tries = (0..12).map(|_| verify(&api, &token, "speaker_b_verify.wav"));
    let replies = futures::future::join_all(tries).await;
    let compared = replies
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .count();
    let refused = replies
        .iter()
        .filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(
        compared,
        5,
        "{:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert_eq!(refused, 7);
    assert!(replies
        .iter()
        .filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS)
        .all(|r| r.headers.contains_key("retry-after")));
    // Locked: even the right voice is refused for now.
    let right = verify(&api, &token, "speaker_a_verify.wav").await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn another_user_or_tenant_cannot_see_or_delete_a_voiceprint() {
    let api = Api::start().await;
    let admin = api.token(ADMIN).await;
    enroll_speaker(&api, &admin, "a").await;
    api.set_capabilities("new.employee", &[("canUseVoiceBiometrics", true)])
        .await;
    let colleague = api.token(NEW_EMPLOYEE).await;
    let stranger = outsider(&api, &[(Capability::UseVoiceBiometrics, true)]).await;
    for token in [&colleague, &stranger] {
        let status = api.get(ENROLL, token).await;
        assert_eq!(status.body["enrolled"], false);
        let deleted = api.call(Method::DELETE, ENROLL, Some(token), None).await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT);
        // Their own (absent) voiceprint: the admin's is out of reach.
        let reply = verify(&api, token, "speaker_a_verify.wav").await;
        assert_eq!(reply.status, StatusCode::CONFLICT);
    }
    assert_eq!(api.get(ENROLL, &admin).await.body["enrolled"], true);
    assert_eq!(
        verify(&api, &admin, "speaker_a_verify.wav").await.body["verified"],
        true
    );
}
