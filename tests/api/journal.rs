//! The journal API (contract section 5, Test Suite 3), tenancy and
//! ownership, pagination, optimistic locking, voice-note checks and delete,
//! against the local stack (embedded DynamoDB and S3).

use crate::support::*;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::io::Cursor;

const ENTRIES: &str = "/api/v2/journal/entries/";

fn entry_path(id: &Value) -> String {
    format!("{ENTRIES}{id}/")
}
fn media_path(id: &Value) -> String {
    format!("{ENTRIES}{id}/media/")
}
fn upload_url_path(id: &Value) -> String {
    format!("{ENTRIES}{id}/media/upload-url/")
}

/// A mono 8 kHz 8-bit PCM WAV of `seconds` (a 301 s one is ~2.4 MB).
fn wav(seconds: u32) -> Vec<u8> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 8000,
        bits_per_sample: 8,
        sample_format: hound::SampleFormat::Int,
    };
    let mut out = Cursor::new(Vec::new());
    {
        let mut w = hound::WavWriter::new(&mut out, spec).unwrap();
        for i in 0..seconds * 8000 {
            w.write_sample(((i % 50) as i8) - 25).unwrap();
        }
        w.finalize().unwrap();
    }
    out.into_inner()
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

async fn create(api: &Api, token: &str, title: &str) -> Value {
    let reply = api
        .post(
            ENTRIES,
            token,
            json!({"entry_type": "DAILY", "title": title, "content": "Test content for journal",
                   "privacy_scope": "PRIVATE", "consent_given": true}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body
}

/// The contract's multipart form.
async fn post_file(
    api: &Api,
    token: &str,
    entry: &Value,
    fields: &[(&str, &str)],
    file: Option<(Vec<u8>, &str)>,
) -> Reply {
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    if let Some((bytes, ct)) = file {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes)
                .file_name("upload.bin")
                .mime_str(ct)
                .unwrap(),
        );
    }
    let res = api
        .http
        .post(api.url(&media_path(entry)))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    into_reply(res).await
}

async fn delete(api: &Api, path: &str, token: &str) -> Reply {
    api.call(Method::DELETE, path, Some(token), None).await
}

/// PUTs `bytes` to a presigned URL with the headers it came with.
async fn put(api: &Api, grant: &Value, bytes: Vec<u8>) -> StatusCode {
    let mut req = api.http.put(grant["upload_url"].as_str().unwrap());
    for (k, v) in grant["headers"].as_object().unwrap() {
        req = req.header(k, v.as_str().unwrap());
    }
    req.body(bytes).send().await.unwrap().status()
}

async fn object_exists(api: &Api, key: &str) -> bool {
    infra::stack::s3_client(&api.stack.s3.url())
        .head_object()
        .bucket(infra::stack::BUCKET_NAME)
        .key(key)
        .send()
        .await
        .is_ok()
}

async fn outsider(api: &Api) -> String {
    crate::support::outsider(
        api,
        &[(shared::capabilities::Capability::UseVoiceFeatures, true)],
    )
    .await
}

// ---------------------------------------------------------------- Test Suite 3

#[tokio::test]
async fn test_create_journal_entry_success() {
    let api = Api::start().await;
    let token = api.token(REGULAR).await;
    let me = api.principal("regular.user").await;
    let reply = api
        .post(
            ENTRIES,
            &token,
            json!({
                "entry_type": "DAILY", "title": "My Day", "content": "Had a productive day today",
                "timestamp": "2025-11-12T20:00:00+02:00",
                "wellbeing_metrics": {"mood_rating": 8, "stress_level": 2, "energy_level": 7, "sleep_hours": 7.5},
                "privacy_scope": "PRIVATE", "consent_given": true
            }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let b = &reply.body;
    let keys: Vec<&str> = b.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "id",
            "entry_type",
            "title",
            "content",
            "timestamp",
            "user_id",
            "tenant_id",
            "wellbeing_metrics",
            "privacy_scope",
            "media_attachments",
            "sync_status",
            "version",
            "created_at"
        ]
    );
    assert!(b["id"].is_u64());
    assert_eq!(b["timestamp"], "2025-11-12T18:00:00.000Z");
    assert_eq!(
        (b["user_id"].as_u64(), b["tenant_id"].as_u64()),
        (Some(me.user_id), Some(me.tenant_id))
    );
    assert_eq!(
        b["wellbeing_metrics"],
        json!({"mood_rating": 8, "stress_level": 2, "energy_level": 7, "sleep_hours": 7.5})
    );
    assert_eq!(b["media_attachments"], json!([]));
    assert_eq!(
        (b["sync_status"].as_str(), b["version"].as_u64()),
        (Some("synced"), Some(1))
    );
    assert!(b["created_at"].as_str().unwrap().ends_with('Z'));
    // The contract's test body (no timestamp, no metrics).
    create(&api, &token, "Test").await;
}

#[tokio::test]
async fn test_add_voice_note_with_capability() {
    let api = Api::start().await;
    let token = api.token(ADMIN).await;
    let entry = create(&api, &token, "Voice").await;
    let reply = post_file(
        &api,
        &token,
        &entry["id"],
        &[
            ("media_type", "AUDIO"),
            ("caption", "Voice note from the field"),
            ("duration", "3"),
        ],
        Some((wav(3), "audio/wav")),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let b = &reply.body;
    assert_eq!(b["media_type"], "AUDIO");
    assert_eq!(b["journal_entry_id"], entry["id"]);
    assert_eq!(b["caption"], "Voice note from the field");
    assert_eq!(b["duration"], 3);
    assert!(b["file_size"].as_u64().unwrap() > 24_000);
    assert!(b["file_url"].as_str().unwrap().starts_with("http"));
    for k in ["id", "created_at"] {
        assert!(!b[k].is_null(), "{k}");
    }
}

#[tokio::test]
async fn test_add_voice_note_without_capability() {
    let api = Api::start().await;
    let token = api.token(REGULAR).await;
    let entry = create(&api, &token, "No voice").await;
    let reply = post_file(
        &api,
        &token,
        &entry["id"],
        &[("media_type", "AUDIO")],
        Some((wav(1), "audio/wav")),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        reply.body,
        json!({"error": "You do not have permission to upload audio files"})
    );
    assert!(reply.body["error"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("do not have permission"));
    // No upload URL either, and nothing attached.
    let reply = api
        .post(
            &upload_url_path(&entry["id"]),
            &token,
            json!({"media_type": "AUDIO", "content_type": "audio/wav", "size": 1000}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        reply.body["error"],
        "You do not have permission to upload audio files"
    );
    assert_eq!(
        api.get(&media_path(&entry["id"]), &token).await.body,
        json!([])
    );
}

#[tokio::test]
async fn test_add_photo_without_voice_capability() {
    let api = Api::start().await;
    let token = api.token(REGULAR).await;
    let entry = create(&api, &token, "Photo").await;
    let reply = post_file(
        &api,
        &token,
        &entry["id"],
        &[("media_type", "PHOTO"), ("caption", "Field photo")],
        Some((jpeg(), "image/jpeg")),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["media_type"], "PHOTO");
    // Photos carry neither duration nor file_size, as in the contract's list.
    assert!(reply.body.get("duration").is_none() && reply.body.get("file_size").is_none());
}

#[tokio::test]
async fn test_cannot_add_media_to_other_users_entry() {
    let api = Api::start().await;
    let owner = api.token(REGULAR).await;
    let entry = create(&api, &owner, "Mine").await;
    let admin = api.token(ADMIN).await;
    let expected = json!({"error": "You can only add media to your own journal entries"});
    let reply = post_file(
        &api,
        &admin,
        &entry["id"],
        &[("media_type", "AUDIO")],
        Some((wav(1), "audio/wav")),
    )
    .await;
    assert_eq!(
        (reply.status, reply.body),
        (StatusCode::FORBIDDEN, expected.clone())
    );
    let reply = api
        .post(
            &upload_url_path(&entry["id"]),
            &admin,
            json!({"media_type": "PHOTO", "content_type": "image/jpeg", "size": 1000}),
        )
        .await;
    assert_eq!(
        (reply.status, reply.body),
        (StatusCode::FORBIDDEN, expected)
    );
    assert_eq!(
        api.get(&media_path(&entry["id"]), &owner).await.body,
        json!([])
    );
}

#[tokio::test]
async fn test_list_journal_media() {
    let api = Api::start().await;
    let token = api.token(ADMIN).await;
    let entry = create(&api, &token, "With media").await;
    for (fields, file) in [
        (
            vec![("media_type", "AUDIO"), ("caption", "Voice note")],
            (wav(2), "audio/wav"),
        ),
        (
            vec![("media_type", "PHOTO"), ("caption", "Field photo")],
            (jpeg(), "image/jpeg"),
        ),
    ] {
        let r = post_file(&api, &token, &entry["id"], &fields, Some(file)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let reply = api.get(&media_path(&entry["id"]), &token).await;
    assert_eq!(reply.status, StatusCode::OK);
    let items = reply.body.as_array().unwrap();
    assert!(!items.is_empty());
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["media_type"], "AUDIO");
    assert_eq!(items[0]["duration"], 2);
    assert!(items[0]["file_size"].is_u64());
    assert_eq!(items[1]["media_type"], "PHOTO");
    assert!(items[1].get("duration").is_none());
    // The presigned URL serves the stored bytes.
    let audio = api
        .http
        .get(items[0]["file_url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(audio.status(), StatusCode::OK);
    assert_eq!(
        audio.bytes().await.unwrap().len() as u64,
        items[0]["file_size"].as_u64().unwrap()
    );
    // The entry shows the same attachments.
    let got = api.get(&entry_path(&entry["id"]), &token).await.body;
    assert_eq!(got["media_attachments"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn test_audio_file_size_validation() {
    let api = Api::start().await;
    let token = api.token(ADMIN).await;
    let entry = create(&api, &token, "Big").await;
    // 51 MB declared is refused before any URL is issued.
    let reply = api
        .post(
            &upload_url_path(&entry["id"]),
            &token,
            json!({"media_type": "AUDIO", "content_type": "audio/mpeg", "size": 51_000_000}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body,
        json!({"error": "Audio file too large. Maximum size is 50MB"})
    );
    assert!(reply.body.get("upload_url").is_none());
    // At the limit, a URL is issued.
    let reply = api
        .post(
            &upload_url_path(&entry["id"]),
            &token,
            json!({"media_type": "AUDIO", "content_type": "audio/mpeg", "size": 50_000_000}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body["upload_url"].is_string());
}

// ---------------------------------------------------------------- voice-note checks

#[tokio::test]
async fn audio_is_measured_sniffed_and_the_measurement_wins() {
    let api = Api::start().await;
    let token = api.token(ADMIN).await;
    let entry = create(&api, &token, "Checks").await;
    // Really 301 s long, the form says 30: refused.
    let reply = post_file(
        &api,
        &token,
        &entry["id"],
        &[("media_type", "AUDIO"), ("duration", "30")],
        Some((wav(301), "audio/wav")),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body["error"],
        "Audio too long. Maximum duration is 300 seconds (this file is 301 seconds)"
    );
    // Not audio at all, declared audio/mpeg: refused, in both flows.
    let junk = b"this is not audio, only text pretending to be an MP3 ".repeat(200);
    let reply = post_file(
        &api,
        &token,
        &entry["id"],
        &[("media_type", "AUDIO")],
        Some((junk.clone(), "audio/mpeg")),
    )
    .await;
    let invalid = json!({"error": "Invalid audio file type. Allowed: audio/mpeg, audio/wav, audio/m4a, audio/aac, audio/ogg"});
    assert_eq!(
        (reply.status, &reply.body),
        (StatusCode::BAD_REQUEST, &invalid)
    );
    let grant = api
        .post(
            &upload_url_path(&entry["id"]),
            &token,
            json!({"media_type": "AUDIO", "content_type": "audio/mpeg", "size": junk.len()}),
        )
        .await;
    assert_eq!(grant.status, StatusCode::OK, "{}", grant.body);
    assert_eq!(put(&api, &grant.body, junk).await, StatusCode::OK);
    let key = grant.body["key"].as_str().unwrap().to_string();
    let reply = api
        .post(
            &media_path(&entry["id"]),
            &token,
            json!({"key": key, "media_type": "AUDIO"}),
        )
        .await;
    assert_eq!(
        (reply.status, &reply.body),
        (StatusCode::BAD_REQUEST, &invalid)
    );
    assert!(!object_exists(&api, &key).await, "a bad upload is dropped");
    // The client says 30 s, the file is 4 s: the measured duration is stored.
    let reply = post_file(
        &api,
        &token,
        &entry["id"],
        &[("media_type", "AUDIO"), ("duration", "30")],
        Some((wav(4), "audio/wav")),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["duration"], 4);
    // Only that one is attached.
    assert_eq!(
        api.get(&media_path(&entry["id"]), &token)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // A bad duration value is a field error.
    let reply = post_file(
        &api,
        &token,
        &entry["id"],
        &[("media_type", "AUDIO"), ("duration", "soon")],
        Some((wav(1), "audio/wav")),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body["errors"]["duration"].is_array());
}

#[tokio::test]
async fn a_voice_note_goes_through_the_presigned_flow() {
    let api = Api::start().await;
    let token = api.token(ADMIN).await;
    let entry = create(&api, &token, "Presigned").await;
    let note = wav(5);
    let grant = api
        .post(
            &upload_url_path(&entry["id"]),
            &token,
            json!({"media_type": "AUDIO", "content_type": "audio/wav", "size": note.len()}),
        )
        .await;
    assert_eq!(grant.status, StatusCode::OK, "{}", grant.body);
    let key = grant.body["key"].as_str().unwrap().to_string();
    assert!(key.contains("/journal/"));
    assert_eq!(put(&api, &grant.body, note).await, StatusCode::OK);
    // Another user of the tenant cannot claim it (403: not their entry).
    let other = api.token(NEW_EMPLOYEE).await;
    let reply = api
        .post(
            &media_path(&entry["id"]),
            &other,
            json!({"key": key, "media_type": "PHOTO"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    // A key outside the entry's upload prefix is not found.
    let reply = api
        .post(
            &media_path(&entry["id"]),
            &token,
            json!({"key": "uploads/1/1/profile-image/abc", "media_type": "AUDIO"}),
        )
        .await;
    assert_eq!(
        (reply.status, reply.body),
        (StatusCode::NOT_FOUND, json!({"error": "Upload not found"}))
    );
    let reply = api
        .post(
            &media_path(&entry["id"]),
            &token,
            json!({"key": key, "media_type": "AUDIO", "caption": "From the field"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["duration"], 5);
    assert!(
        !object_exists(&api, &key).await,
        "the upload is moved into media/"
    );
}

// ---------------------------------------------------------------- tenancy and ownership

#[tokio::test]
async fn other_users_and_tenants_see_nothing() {
    let api = Api::start().await;
    let owner = api.token(REGULAR).await;
    let entry = create(&api, &owner, "Private thoughts").await;
    let attached = post_file(
        &api,
        &owner,
        &entry["id"],
        &[("media_type", "PHOTO")],
        Some((jpeg(), "image/jpeg")),
    )
    .await;
    assert_eq!(attached.status, StatusCode::CREATED);
    let colleague = api.token(NEW_EMPLOYEE).await;
    let stranger = outsider(&api).await;
    let missing = json!(987654321);

    for (who, token) in [("same tenant", &colleague), ("other tenant", &stranger)] {
        // What a truly missing id answers, for this caller.
        let missing_get = api.get(&entry_path(&missing), token).await;
        assert_eq!(missing_get.status, StatusCode::NOT_FOUND);
        let cases: Vec<(Reply, Reply)> = vec![
            (api.get(&entry_path(&entry["id"]), token).await, missing_get),
            (
                api.patch(
                    &entry_path(&entry["id"]),
                    token,
                    json!({"version": 1, "title": "x"}),
                )
                .await,
                api.patch(
                    &entry_path(&missing),
                    token,
                    json!({"version": 1, "title": "x"}),
                )
                .await,
            ),
            (
                delete(&api, &entry_path(&entry["id"]), token).await,
                delete(&api, &entry_path(&missing), token).await,
            ),
            (
                api.get(&media_path(&entry["id"]), token).await,
                api.get(&media_path(&missing), token).await,
            ),
        ];
        for (i, (theirs, absent)) in cases.into_iter().enumerate() {
            assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{who} case {i}");
            assert_eq!(theirs.body, absent.body, "{who} case {i}");
        }
        // Their own listing does not show it.
        let listed = api.get(ENTRIES, token).await;
        assert_eq!(listed.body["results"], json!([]), "{who}");
    }
    // Attaching: the colleague gets the contract's 403, the other tenant a 404
    // that is the missing id's.
    let form = [("media_type", "PHOTO")];
    let r = post_file(
        &api,
        &colleague,
        &entry["id"],
        &form,
        Some((jpeg(), "image/jpeg")),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let theirs = post_file(
        &api,
        &stranger,
        &entry["id"],
        &form,
        Some((jpeg(), "image/jpeg")),
    )
    .await;
    let absent = post_file(
        &api,
        &stranger,
        &missing,
        &form,
        Some((jpeg(), "image/jpeg")),
    )
    .await;
    assert_eq!(
        (theirs.status, &theirs.body),
        (StatusCode::NOT_FOUND, &absent.body)
    );
    let url = json!({"media_type": "PHOTO", "content_type": "image/jpeg", "size": 1000});
    let theirs = api
        .post(&upload_url_path(&entry["id"]), &stranger, url.clone())
        .await;
    let absent = api.post(&upload_url_path(&missing), &stranger, url).await;
    assert_eq!(
        (theirs.status, &theirs.body),
        (StatusCode::NOT_FOUND, &absent.body)
    );

    // The owner's entry is untouched.
    let got = api.get(&entry_path(&entry["id"]), &owner).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(
        (got.body["version"].as_u64(), got.body["title"].as_str()),
        (Some(1), Some("Private thoughts"))
    );
    assert_eq!(got.body["media_attachments"].as_array().unwrap().len(), 1);
}

// ---------------------------------------------------------------- listing

#[tokio::test]
async fn pagination_walks_every_entry_once_newest_first() {
    let api = Api::start().await;
    let token = api.token(REGULAR).await;
    let mut created = Vec::new();
    for i in 0..25 {
        let ts = format!("2025-01-{:02}T08:00:00Z", i + 1);
        let r = api
            .post(
                ENTRIES,
                &token,
                json!({"entry_type": "DAILY", "title": format!("Day {i}"), "timestamp": ts}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
        created.push(r.body["id"].as_u64().unwrap());
    }
    // Someone else's entries never show up.
    let other = api.token(NEW_EMPLOYEE).await;
    create(&api, &other, "Not yours").await;

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("{ENTRIES}?page_size=10&cursor={c}"),
            None => format!("{ENTRIES}?page_size=10"),
        };
        let r = api.get(&path, &token).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        pages += 1;
        let results = r.body["results"].as_array().unwrap();
        assert!(results.len() <= 10);
        seen.extend(results.iter().map(|e| e["id"].as_u64().unwrap()));
        match r.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
        assert!(pages < 10);
    }
    assert_eq!(pages, 3);
    let mut newest_first = created.clone();
    newest_first.reverse();
    assert_eq!(seen, newest_first);

    // Bad page sizes and cursors are 400s.
    for q in ["page_size=0", "page_size=abc", "cursor=bm90LWEtY3Vyc29y"] {
        let r = api.get(&format!("{ENTRIES}?{q}"), &token).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}");
        assert!(r.body["errors"].is_object(), "{q}");
    }
    // The default page is 20.
    let r = api.get(ENTRIES, &token).await;
    assert_eq!(r.body["results"].as_array().unwrap().len(), 20);

    // The page size is capped at 100.
    let store = api.stack.admin_store();
    let me = api.principal("regular.user").await;
    let fields = shared::contract::journal::EntryFields {
        entry_type: Some("OTHER".into()),
        title: Some("bulk".into()),
        ..Default::default()
    };
    for _ in 0..80 {
        store
            .create_journal_entry(&me, &fields, &shared::time::iso(shared::time::now()))
            .await
            .unwrap();
    }
    let r = api.get(&format!("{ENTRIES}?page_size=1000"), &token).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["results"].as_array().unwrap().len(), 100);
    assert!(r.body["next_cursor"].is_string());
}

// ---------------------------------------------------------------- updates

#[tokio::test]
async fn patch_needs_the_current_version_and_validates() {
    let api = Api::start().await;
    let token = api.token(REGULAR).await;
    let entry = create(&api, &token, "Before").await;
    let path = entry_path(&entry["id"]);
    // Validation: nothing written.
    let r = api
        .patch(
            &path,
            &token,
            json!({"title": "", "entry_type": "DIARY", "wellbeing_metrics": {"stress_level": 0}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    for f in [
        "version",
        "title",
        "entry_type",
        "wellbeing_metrics.stress_level",
    ] {
        assert!(r.body["errors"][f].is_array(), "{f}: {}", r.body);
    }
    let r = api
        .patch(
            &path,
            &token,
            json!({"version": 1, "title": "After", "timestamp": "2025-11-12T18:00:00Z",
                                     "wellbeing_metrics": {"mood_rating": 5}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.body["version"].as_u64(), r.body["title"].as_str()),
        (Some(2), Some("After"))
    );
    assert_eq!(r.body["wellbeing_metrics"]["mood_rating"], 5);
    assert_eq!(r.body["timestamp"], "2025-11-12T18:00:00.000Z");
    // A stale version: 409, nothing written.
    let r = api
        .patch(&path, &token, json!({"version": 1, "title": "Lost"}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body["error"].is_string());
    let got = api.get(&path, &token).await.body;
    assert_eq!(
        (got["version"].as_u64(), got["title"].as_str()),
        (Some(2), Some("After"))
    );
    // The listing follows the moved timestamp (one entry, listed once).
    let listed = api.get(ENTRIES, &token).await.body;
    assert_eq!(listed["results"].as_array().unwrap().len(), 1);
    assert_eq!(
        listed["results"][0]["timestamp"],
        "2025-11-12T18:00:00.000Z"
    );
}

#[tokio::test]
async fn concurrent_patches_with_one_version_have_one_winner() {
    let api = Api::start().await;
    let token = api.token(REGULAR).await;
    let entry = create(&api, &token, "Race").await;
    let path = entry_path(&entry["id"]);
    let replies = futures::future::join_all((0..8).map(|i| {
        let api = &api;
        let token = &token;
        let path = &path;
        async move {
            let title = format!("Writer {i}");
            let ts = format!("2025-02-{:02}T10:00:00Z", i + 1);
            let r = api
                .patch(
                    path,
                    token,
                    json!({"version": 1, "title": title, "timestamp": ts}),
                )
                .await;
            (title, r)
        }
    }))
    .await;
    let winners: Vec<_> = replies
        .iter()
        .filter(|(_, r)| r.status == StatusCode::OK)
        .collect();
    assert_eq!(
        winners.len(),
        1,
        "{:?}",
        replies.iter().map(|(_, r)| r.status).collect::<Vec<_>>()
    );
    for (_, r) in replies.iter().filter(|(_, r)| r.status != StatusCode::OK) {
        assert_eq!(r.status, StatusCode::CONFLICT);
    }
    let got = api.get(&path, &token).await.body;
    assert_eq!(got["title"], winners[0].0.as_str());
    assert_eq!(got["version"], 2);
    assert_eq!(got, winners[0].1.body);
    // Exactly one index item: the entry is listed once, at the winner's time.
    let listed = api.get(ENTRIES, &token).await.body;
    assert_eq!(listed["results"].as_array().unwrap().len(), 1);
    assert_eq!(listed["results"][0]["timestamp"], got["timestamp"]);
}

#[tokio::test]
async fn create_validation_writes_nothing() {
    let api = Api::start().await;
    let token = api.token(REGULAR).await;
    let r = api
        .post(
            ENTRIES,
            &token,
            json!({"entry_type": "DIARY", "privacy_scope": "PUBLIC", "timestamp": "yesterday",
                   "wellbeing_metrics": {"mood_rating": 11, "sleep_hours": 25}, "consent_given": "yes",
                   "user_id": 5}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let errors = r.body["errors"].as_object().unwrap();
    for f in [
        "entry_type",
        "privacy_scope",
        "timestamp",
        "wellbeing_metrics.mood_rating",
        "wellbeing_metrics.sleep_hours",
        "consent_given",
        "user_id",
        "title",
    ] {
        assert!(errors.contains_key(f), "{f}");
    }
    assert_eq!(api.get(ENTRIES, &token).await.body["results"], json!([]));
}

// ---------------------------------------------------------------- delete

#[tokio::test]
async fn delete_removes_the_attachments_and_their_objects() {
    let api = Api::start().await;
    let token = api.token(ADMIN).await;
    let entry = create(&api, &token, "Short-lived").await;
    for (fields, file) in [
        (vec![("media_type", "AUDIO")], (wav(2), "audio/wav")),
        (vec![("media_type", "PHOTO")], (jpeg(), "image/jpeg")),
    ] {
        let r = post_file(&api, &token, &entry["id"], &fields, Some(file)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let me = api.principal("admin").await;
    let id = entry["id"].as_u64().unwrap();
    let stored = api
        .stack
        .admin_store()
        .get_journal_entry(me.tenant_id, id)
        .await
        .unwrap()
        .unwrap();
    let keys: Vec<String> = stored.media.iter().map(|m| m.key.clone()).collect();
    assert_eq!(keys.len(), 2);
    for k in &keys {
        assert!(object_exists(&api, k).await, "{k}");
        assert!(k.starts_with(&format!(
            "media/{}/{}/journal/{id}/",
            me.tenant_id, me.user_id
        )));
    }
    let r = delete(&api, &entry_path(&entry["id"]), &token).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    for k in &keys {
        assert!(!object_exists(&api, k).await, "{k} is gone");
    }
    assert!(api
        .stack
        .admin_store()
        .get_journal_entry(me.tenant_id, id)
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        api.get(&entry_path(&entry["id"]), &token).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api.get(&media_path(&entry["id"]), &token).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(api.get(ENTRIES, &token).await.body["results"], json!([]));
    assert_eq!(
        delete(&api, &entry_path(&entry["id"]), &token).await.status,
        StatusCode::NOT_FOUND
    );
}

/// schemathesis found it: a subnormal `sleep_hours` (valid JSON, valid
/// schema) failed the write with a 500, DynamoDB's numbers stopping at
/// 1e-130. It is 0 hours.
#[tokio::test]
async fn a_vanishingly_small_sleep_hours_is_zero_not_a_500() {
    let api = Api::start().await;
    let token = api.token(REGULAR).await;
    let reply = api
        .post(
            ENTRIES,
            &token,
            json!({"entry_type": "DAILY", "title": "Tiny", "wellbeing_metrics": {"sleep_hours": 2.2e-313}}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(
        reply.body["wellbeing_metrics"]["sleep_hours"].as_f64(),
        Some(0.0)
    );
}
