//! Faults the emulators cannot produce (DynamoDB throttling and internal
//! errors, throttled transactions, S3 failures, requests that never
//! answer), injected under the functions' real SDK clients
//! (`infra::faults`). Every write path answers 503 `{"detail": ...}` with
//! Retry-After, leaves nothing half-written, and works again once the
//! store does.

use crate::support::*;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use infra::faults::Fault;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::io::Cursor;

const ENTRIES: &str = "/api/v2/journal/entries/";
const MARK: &str = "/api/v2/profile/mark-onboarding-complete/";
const PROFILE: &str = "/api/v2/profile/me/";
const PHOTO: &[(&str, &str)] = &[("media_type", "PHOTO")];

/// The answer every failing store gets.
fn assert_unavailable(reply: &Reply, what: &str) {
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{what}: {}",
        reply.body
    );
    assert!(reply.body["detail"].is_string(), "{what}: {}", reply.body);
    assert_eq!(
        reply.body.as_object().map(|o| o.len()),
        Some(1),
        "{what}: only detail, got {}",
        reply.body
    );
    let retry_after = reply
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    assert!(
        retry_after.is_some_and(|s| s > 0),
        "{what}: Retry-After in seconds, got {:?}",
        reply.headers.get("retry-after")
    );
}

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
        Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    }));
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)
        .unwrap();
    out
}

/// Every key in the bucket.
async fn objects(api: &Api) -> Vec<String> {
    let out = infra::stack::s3_client(&api.stack.s3.url())
        .list_objects_v2()
        .bucket(infra::stack::BUCKET_NAME)
        .send()
        .await
        .expect("list the bucket");
    let mut keys: Vec<String> = out
        .contents()
        .iter()
        .filter_map(|o| o.key().map(str::to_string))
        .collect();
    keys.sort();
    keys
}

/// A multipart POST of a JPEG in part `field`, with text `fields`.
async fn multipart(
    api: &Api,
    path: &str,
    token: &str,
    fields: &[(&str, &str)],
    field: &str,
    bytes: Vec<u8>,
) -> Reply {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name("photo.jpg")
        .mime_str("image/jpeg")
        .unwrap();
    let mut form = reqwest::multipart::Form::new().part(field.to_string(), part);
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    let res = api
        .http
        .post(api.url(path))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let text = res.text().await.unwrap();
    Reply {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}

async fn create_entry(api: &Api, token: &str) -> Reply {
    api.post(
        ENTRIES,
        token,
        json!({"entry_type": "DAILY", "title": "Day one", "content": "Met the team",
               "privacy_scope": "PRIVATE", "consent_given": true}),
    )
    .await
}

async fn entry_count(api: &Api, token: &str) -> usize {
    let list = api.get(ENTRIES, token).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    list.body["results"].as_array().expect("results").len()
}

#[tokio::test]
async fn a_failing_store_during_login_is_a_503_that_counts_no_attempt() {
    let api = Api::start().await;
    let faults = &api.stack.faults;
    // The user lookup fails after the attempt was reserved: more failures
    // than the lockout allows, none of them may count.
    faults.fail("dynamodb:GetItem", Fault::Throttle);
    for _ in 0..8 {
        let reply = api.login(("new.employee", "wrong-password")).await;
        assert_unavailable(&reply, "login, lookup throttled");
    }
    faults.clear();
    assert_eq!(api.login(NEW_EMPLOYEE).await.status, StatusCode::OK);

    // The reservation itself fails.
    faults.fail("dynamodb:UpdateItem", Fault::Internal);
    assert_unavailable(&api.login(NEW_EMPLOYEE).await, "login, reservation failing");
    faults.clear();

    // Storing the refresh token fails: no token pair is handed out.
    faults.fail("dynamodb:PutItem", Fault::Throttle);
    let reply = api.login(NEW_EMPLOYEE).await;
    assert_unavailable(&reply, "login, refresh token not stored");
    faults.clear();
    assert_eq!(api.login(NEW_EMPLOYEE).await.status, StatusCode::OK);
    assert!(faults.injected().iter().any(|op| op == "dynamodb:PutItem"));
}

#[tokio::test]
async fn a_throttled_refresh_is_a_503_and_the_token_still_works() {
    let api = Api::start().await;
    let login = api.login(EXISTING).await;
    let refresh = login.body["refresh"].as_str().unwrap().to_string();
    let call = || {
        api.call(
            Method::POST,
            "/api/v2/auth/refresh/",
            None,
            Some(json!({"refresh": refresh})),
        )
    };
    // A transaction cancelled for throttling is not a reuse of the token
    // (409/401 would make the app log the user out): it is a 503.
    for fault in [
        Fault::TransactionThrottled,
        Fault::Throttle,
        Fault::Internal,
    ] {
        api.stack.faults.fail("dynamodb:TransactWriteItems", fault);
        assert_unavailable(&call().await, &format!("refresh, {fault:?}"));
        api.stack.faults.clear();
    }
    let reply = call().await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body["access"].is_string());
}

#[tokio::test]
async fn profile_writes_under_a_failing_store_change_nothing() {
    let api = Api::start().await;
    let token = api.token(NEW_EMPLOYEE).await;
    let before = api.get(PROFILE, &token).await.body;

    api.stack
        .faults
        .fail("dynamodb:UpdateItem", Fault::Internal);
    let patch = json!({"profile": {"gender": "MALE"}});
    assert_unavailable(&api.patch(PROFILE, &token, patch.clone()).await, "PATCH");
    let mark = json!({"skipped": false, "completed_steps": ["welcome", "profile_setup"]});
    assert_unavailable(&api.post(MARK, &token, mark.clone()).await, "mark complete");
    api.stack.faults.clear();

    assert_eq!(api.get(PROFILE, &token).await.body, before);
    let record = api.record("new.employee").await;
    assert!(record.onboarding_completed_at.is_none());

    let r = api.patch(PROFILE, &token, patch).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = api.post(MARK, &token, mark).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn journal_writes_under_a_failing_store_change_nothing() {
    let api = Api::start().await;
    let token = api.token(REGULAR).await;
    let faults = &api.stack.faults;

    faults.fail("dynamodb:TransactWriteItems", Fault::TransactionThrottled);
    assert_unavailable(&create_entry(&api, &token).await, "create");
    faults.clear();
    assert_eq!(entry_count(&api, &token).await, 0);

    let entry = create_entry(&api, &token).await;
    assert_eq!(entry.status, StatusCode::CREATED, "{}", entry.body);
    let path = format!("{ENTRIES}{}/", entry.body["id"]);

    faults.fail("dynamodb:TransactWriteItems", Fault::Throttle);
    let update = json!({"version": 1, "title": "Day two"});
    assert_unavailable(&api.patch(&path, &token, update.clone()).await, "update");
    assert_unavailable(
        &api.call(Method::DELETE, &path, Some(&token), None).await,
        "delete",
    );
    faults.clear();

    let kept = api.get(&path, &token).await;
    assert_eq!(kept.status, StatusCode::OK);
    assert_eq!(
        (kept.body["title"].as_str(), kept.body["version"].as_u64()),
        (Some("Day one"), Some(1))
    );
    assert_eq!(
        api.patch(&path, &token, update).await.status,
        StatusCode::OK
    );
    assert_eq!(
        api.call(Method::DELETE, &path, Some(&token), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn a_media_attach_that_fails_leaves_no_object_and_no_item() {
    let api = Api::start().await;
    let token = api.token(REGULAR).await;
    let entry = create_entry(&api, &token).await;
    let media = format!("{ENTRIES}{}/media/", entry.body["id"]);
    let photo = || jpeg(320, 240);
    let before = objects(&api).await;

    // S3 refuses the object.
    api.stack.faults.fail("s3:PutObject", Fault::Throttle);
    assert_unavailable(
        &multipart(&api, &media, &token, PHOTO, "file", photo()).await,
        "S3 down",
    );
    api.stack.faults.clear();
    // The object is stored but the entry cannot be updated: it is removed.
    api.stack
        .faults
        .fail("dynamodb:UpdateItem", Fault::Internal);
    assert_unavailable(
        &multipart(&api, &media, &token, PHOTO, "file", photo()).await,
        "DynamoDB down",
    );
    api.stack.faults.clear();

    assert_eq!(objects(&api).await, before, "no object left behind");
    let listed = api.get(&media, &token).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(
        listed.body.as_array().map(Vec::len),
        Some(0),
        "{}",
        listed.body
    );

    let r = multipart(&api, &media, &token, PHOTO, "file", photo()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(objects(&api).await.len(), before.len() + 1);
}

#[tokio::test]
async fn a_profile_image_that_fails_keeps_the_profile_and_the_upload() {
    let api = Api::start().await;
    let token = api.token(NEW_EMPLOYEE).await;
    let before = objects(&api).await;

    // Multipart: both objects are stored, then the profile write fails.
    api.stack
        .faults
        .fail("dynamodb:UpdateItem", Fault::Internal);
    let r = multipart(
        &api,
        "/api/v2/profile/me/image/",
        &token,
        &[],
        "image",
        jpeg(400, 400),
    )
    .await;
    assert_unavailable(&r, "multipart image");
    api.stack.faults.clear();
    assert_eq!(objects(&api).await, before, "image and thumbnail removed");
    assert!(api
        .record("new.employee")
        .await
        .profile_str("peopleimg")
        .is_none());

    // Presigned: the upload survives a failed confirm, so a retry works.
    let bytes = jpeg(400, 400);
    let grant = api
        .post(
            "/api/v2/profile/me/image/upload-url/",
            &token,
            json!({"content_type": "image/jpeg", "size": bytes.len()}),
        )
        .await;
    assert_eq!(grant.status, StatusCode::OK, "{}", grant.body);
    let mut put = api.http.put(grant.body["upload_url"].as_str().unwrap());
    for (k, v) in grant.body["headers"].as_object().unwrap() {
        put = put.header(k, v.as_str().unwrap());
    }
    assert_eq!(
        put.body(bytes).send().await.unwrap().status(),
        StatusCode::OK
    );
    let confirm = json!({"key": grant.body["key"]});
    for (op, fault) in [
        ("s3:GetObject", Fault::Internal),
        ("s3:PutObject", Fault::Throttle),
        ("dynamodb:UpdateItem", Fault::Throttle),
    ] {
        api.stack.faults.fail(op, fault);
        let r = api
            .post("/api/v2/profile/me/image/confirm/", &token, confirm.clone())
            .await;
        assert_unavailable(&r, op);
        api.stack.faults.clear();
        assert!(api
            .record("new.employee")
            .await
            .profile_str("peopleimg")
            .is_none());
    }
    let r = api
        .post("/api/v2/profile/me/image/confirm/", &token, confirm)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body["image_url"].is_string());
}

#[tokio::test]
async fn a_store_that_never_answers_is_a_503_not_a_hang() {
    let api = Api::start().await;
    let token = api.token(EXISTING).await;
    api.stack.faults.fail("dynamodb:GetItem", Fault::Hang);
    // The SDK's attempt and operation timeouts end the request well inside
    // the function's own timeout, so the client gets an answer it can act on.
    assert_unavailable(&api.get(PROFILE, &token).await, "profile, DynamoDB hanging");
    api.stack.faults.clear();
    assert_eq!(api.get(PROFILE, &token).await.status, StatusCode::OK);
}
