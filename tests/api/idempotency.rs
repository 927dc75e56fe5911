//! `Idempotency-Key` on the POSTs a mobile app retries (journal entry
//! create, media attach, mark-onboarding-complete): a retry gets the first
//! answer, never a duplicate; a key reused for another request is a 422; a
//! failed request keeps nothing; keys are per user.

use crate::support::*;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::io::Cursor;

const ENTRIES: &str = "/api/v2/journal/entries/";
const MARK: &str = "/api/v2/profile/mark-onboarding-complete/";

/// A JSON POST with an `Idempotency-Key`.
async fn post_with_key(api: &Api, path: &str, token: &str, key: &str, body: Value) -> Reply {
    let res = api
        .http
        .request(Method::POST, api.url(path))
        .bearer_auth(token)
        .header("idempotency-key", key)
        .json(&body)
        .send()
        .await
        .unwrap();
    into_reply(res).await
}

fn replayed(r: &Reply) -> bool {
    r.headers
        .get("idempotent-replayed")
        .is_some_and(|v| v == "true")
}

fn entry(title: &str) -> Value {
    json!({"entry_type": "DAILY", "title": title, "content": "Site visit",
           "privacy_scope": "PRIVATE", "consent_given": true})
}

async fn titles(api: &Api, token: &str) -> Vec<String> {
    let list = api.get(&format!("{ENTRIES}?page_size=100"), token).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    list.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap().to_string())
        .collect()
}

fn jpeg() -> Vec<u8> {
    let img = DynamicImage::ImageRgb8(RgbImage::from_fn(320, 240, |x, y| {
        Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    }));
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)
        .unwrap();
    out
}

#[tokio::test]
async fn a_retried_create_gets_the_first_answer_and_no_duplicate() {
    let api = Api::start().await;
    let token = api.token(ADMIN).await;
    let key = "5f0c6a1e-2d44-4a9b-9c1e-7a3f1d2b8e01";

    let first = post_with_key(&api, ENTRIES, &token, key, entry("Retried")).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert!(!replayed(&first));
    let again = post_with_key(&api, ENTRIES, &token, key, entry("Retried")).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    assert!(replayed(&again), "the retry says it is a replay");
    assert_eq!(again.body, first.body, "the first answer, byte for byte");
    assert_eq!(
        again.headers.get("content-type"),
        first.headers.get("content-type")
    );
    assert_eq!(titles(&api, &token).await, vec!["Retried".to_string()]);

    // Without a key every POST is a new entry, as before.
    for _ in 0..2 {
        let r = api.post(ENTRIES, &token, entry("No key")).await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    assert_eq!(titles(&api, &token).await.len(), 3);
}

#[tokio::test]
async fn concurrent_retries_create_one_entry() {
    let api = Api::start().await;
    let token = api.token(ADMIN).await;
    let key = "burst-key-1";
    let replies = futures::future::join_all(
        (0..12).map(|_| post_with_key(&api, ENTRIES, &token, key, entry("Burst"))),
    )
    .await;
    let mut ids = std::collections::BTreeSet::new();
    for r in &replies {
        match r.status {
            StatusCode::CREATED => {
                ids.insert(r.body["id"].to_string());
            }
            StatusCode::CONFLICT => assert_eq!(
                r.body,
                json!({"error": "A request with this Idempotency-Key is still being processed. Retry in a moment."})
            ),
            other => panic!("{other}: {}", r.body),
        }
    }
    assert_eq!(ids.len(), 1, "every 201 is the same entry: {ids:?}");
    assert_eq!(titles(&api, &token).await, vec!["Burst".to_string()]);
}

#[tokio::test]
async fn a_key_reused_for_another_request_is_refused() {
    let api = Api::start().await;
    let token = api.token(ADMIN).await;
    let first = post_with_key(&api, ENTRIES, &token, "k-1", entry("First")).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let other = post_with_key(&api, ENTRIES, &token, "k-1", entry("Second")).await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        other.body,
        json!({"error": "This Idempotency-Key was already used for a different request. Use a new key for a new request."})
    );
    // The same key on another route is another record.
    let mark = post_with_key(
        &api,
        MARK,
        &token,
        "k-1",
        json!({"completed_steps": ["welcome"], "skipped": false}),
    )
    .await;
    assert_eq!(mark.status, StatusCode::OK, "{}", mark.body);
    assert_eq!(titles(&api, &token).await, vec!["First".to_string()]);
}

#[tokio::test]
async fn keys_belong_to_their_user() {
    let api = Api::start().await;
    let admin = api.token(ADMIN).await;
    let regular = api.token(REGULAR).await;
    let a = post_with_key(&api, ENTRIES, &admin, "shared-key", entry("Same")).await;
    let b = post_with_key(&api, ENTRIES, &regular, "shared-key", entry("Same")).await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert_eq!(b.status, StatusCode::CREATED);
    assert!(!replayed(&b), "another user's key is not a retry");
    assert_ne!(a.body["id"], b.body["id"]);
    assert_eq!(
        b.body["user_id"],
        json!(api.principal("regular.user").await.user_id)
    );
}

#[tokio::test]
async fn a_failed_request_keeps_nothing_and_a_bad_key_is_a_400() {
    let api = Api::start().await;
    let token = api.token(ADMIN).await;
    let invalid = post_with_key(&api, ENTRIES, &token, "k-2", json!({"entry_type": "DAILY"})).await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST, "{}", invalid.body);
    // The corrected request with the same key runs (it is not a 422 nor a replay).
    let fixed = post_with_key(&api, ENTRIES, &token, "k-2", entry("Fixed")).await;
    assert_eq!(fixed.status, StatusCode::CREATED, "{}", fixed.body);
    assert!(!replayed(&fixed));

    for bad in ["x".repeat(256), "has space".to_string()] {
        let r = post_with_key(&api, ENTRIES, &token, &bad, entry("Bad key")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad:?}");
        assert!(
            r.body["errors"]["Idempotency-Key"][0].is_string(),
            "{}",
            r.body
        );
    }
    // Without a token the key changes nothing: 401.
    let res = api
        .http
        .post(api.url(ENTRIES))
        .header("idempotency-key", "k-3")
        .json(&entry("Anonymous"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(titles(&api, &token).await, vec!["Fixed".to_string()]);
}

#[tokio::test]
async fn a_retried_attachment_is_attached_once() {
    let api = Api::start().await;
    let token = api.token(ADMIN).await;
    let created = api.post(ENTRIES, &token, entry("With a photo")).await;
    let media = format!("{ENTRIES}{}/media/", created.body["id"]);

    // The multipart form, rebuilt for the retry (a new boundary): still the
    // same request.
    let photo = jpeg();
    let mut answers = Vec::new();
    for _ in 0..2 {
        let form = reqwest::multipart::Form::new()
            .text("media_type", "PHOTO")
            .part(
                "file",
                reqwest::multipart::Part::bytes(photo.clone())
                    .file_name("photo.jpg")
                    .mime_str("image/jpeg")
                    .unwrap(),
            );
        let res = api
            .http
            .post(api.url(&media))
            .bearer_auth(&token)
            .header("idempotency-key", "photo-1")
            .multipart(form)
            .send()
            .await
            .unwrap();
        answers.push(into_reply(res).await);
    }
    assert_eq!(
        answers[0].status,
        StatusCode::CREATED,
        "{}",
        answers[0].body
    );
    assert_eq!(
        answers[1].status,
        StatusCode::CREATED,
        "{}",
        answers[1].body
    );
    assert!(replayed(&answers[1]));
    assert_eq!(answers[0].body["id"], answers[1].body["id"]);

    // The presigned flow: the upload is consumed by the first attach, so a
    // retry without a key would be a 404; with one it gets the answer.
    let grant = api
        .post(
            &format!("{media}upload-url/"),
            &token,
            json!({"media_type": "PHOTO", "content_type": "image/jpeg", "size": photo.len()}),
        )
        .await;
    assert_eq!(grant.status, StatusCode::OK, "{}", grant.body);
    let put = api
        .http
        .put(grant.body["upload_url"].as_str().unwrap())
        .header("content-type", "image/jpeg")
        .body(photo.clone())
        .send()
        .await
        .unwrap();
    assert!(put.status().is_success());
    let attach = json!({"key": grant.body["key"], "media_type": "PHOTO"});
    let first = post_with_key(&api, &media, &token, "photo-2", attach.clone()).await;
    let retry = post_with_key(&api, &media, &token, "photo-2", attach).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(retry.status, StatusCode::CREATED, "{}", retry.body);
    assert_eq!(first.body, retry.body);

    let listed = api.get(&media, &token).await;
    assert_eq!(
        listed.body.as_array().map(Vec::len),
        Some(2),
        "{}",
        listed.body
    );
}

#[tokio::test]
async fn a_retried_mark_complete_answers_as_the_first() {
    let api = Api::start().await;
    let token = api.token(NEW_EMPLOYEE).await;
    let body = json!({"completed_steps": ["welcome", "profile_setup"], "skipped": false});
    let first = post_with_key(&api, MARK, &token, "done-1", body.clone()).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let retry = post_with_key(&api, MARK, &token, "done-1", body).await;
    assert!(replayed(&retry));
    assert_eq!(
        retry.body["onboarding_completed_at"], first.body["onboarding_completed_at"],
        "the retry did not complete onboarding a second time"
    );
    // One completion: no earlier record was moved to the history.
    let record = api.record("new.employee").await;
    let extras = shared::store::attrs::to_json(
        record
            .item
            .get("people_extras")
            .unwrap_or(&shared::store::attrs::AttributeValue::Null(true)),
    );
    assert!(
        extras["onboarding_history"]
            .as_array()
            .is_none_or(|h| h.is_empty()),
        "{extras}"
    );
}
