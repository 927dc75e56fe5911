//! What a client really gets from AWS for a multipart upload of each size:
//! the local gateway enforces API Gateway's 10 MB body limit and Lambda's
//! 6 MB event limit (infra/src/platform_limits.rs, with the sources), so a
//! file too large for a Lambda request never reaches the function.
//! The presigned flow, the way for larger files, is tested in images.rs and
//! journal.rs.

use crate::support::*;
use image::{DynamicImage, ImageFormat, RgbImage};
use rand::{RngCore, SeedableRng};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::io::Cursor;

const PROFILE_IMAGE: &str = "/api/v2/profile/me/image/";
const ENTRIES: &str = "/api/v2/journal/entries/";

/// API Gateway's answer when the body or the event is over its limit.
fn gateway_413() -> Value {
    json!({"message": "Request Entity Too Large"})
}

async fn multipart(
    api: &Api,
    token: &str,
    path: &str,
    fields: &[(&str, &str)],
    file: (&str, Vec<u8>, &str),
) -> Reply {
    let (field, bytes, content_type) = file;
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name("upload.bin")
        .mime_str(content_type)
        .unwrap();
    let res = api
        .http
        .post(api.url(path))
        .bearer_auth(token)
        .multipart(form.part(field.to_string(), part))
        .send()
        .await
        .expect("the gateway answers");
    let status = res.status();
    let headers = res.headers().clone();
    let text = res.text().await.unwrap();
    Reply {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}

/// A PNG of about `bytes` bytes: random pixels do not compress.
fn png_of_about(bytes: usize) -> Vec<u8> {
    let side = ((bytes / 3) as f64).sqrt() as u32;
    let mut pixels = vec![0u8; (side * side * 3) as usize];
    rand::rngs::StdRng::seed_from_u64(7).fill_bytes(&mut pixels);
    let img = RgbImage::from_raw(side, side, pixels).unwrap();
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out
}

/// A 16 kHz 16-bit mono WAV tone of `seconds` (32,000 bytes a second).
fn wav(seconds: u32) -> Vec<u8> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut out = Cursor::new(Vec::new());
    {
        let mut w = hound::WavWriter::new(&mut out, spec).unwrap();
        for i in 0..seconds * 16_000 {
            w.write_sample((((i % 40) as i16) - 20) * 500).unwrap();
        }
        w.finalize().unwrap();
    }
    out.into_inner()
}

async fn journal_entry(api: &Api, token: &str) -> String {
    let reply = api
        .post(
            ENTRIES,
            token,
            json!({"entry_type": "DAILY", "title": "Site visit", "consent_given": true}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    format!("{ENTRIES}{}/media/", reply.body["id"])
}

async fn stored_image_key(api: &Api) -> Option<String> {
    api.record(REGULAR.0).await.profile_str("peopleimg")
}

#[tokio::test]
async fn the_contracts_6_mb_image_is_refused_by_api_gateway() {
    let api = Api::start().await;
    let token = api.token(REGULAR).await;
    // The contract's test: 6,000,000 bytes in the `image` field. Its body is
    // under 10 MB, but base64 in the event makes it about 8 MB: Lambda
    // refuses the invocation, so the client never sees the function's 400.
    let reply = multipart(
        &api,
        &token,
        PROFILE_IMAGE,
        &[],
        ("image", vec![0xAB; 6_000_000], "image/jpeg"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.body, gateway_413());
    assert_eq!(stored_image_key(&api).await, None);
}

#[tokio::test]
async fn the_contracts_51_mb_voice_note_is_refused_by_api_gateway() {
    let api = Api::start().await;
    let token = api.token(ADMIN).await;
    let media = journal_entry(&api, &token).await;
    // The contract's test: 51,000,000 bytes of AUDIO. Over the 10 MB body
    // limit: refused before Lambda, whatever the file is.
    let reply = multipart(
        &api,
        &token,
        &media,
        &[("media_type", "AUDIO")],
        ("file", vec![0xAB; 51_000_000], "audio/mpeg"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.body, gateway_413());
    let listed = api.get(&media, &token).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.body, json!([]), "nothing was attached");
}

#[tokio::test]
async fn a_4_mb_image_reaches_the_function() {
    let api = Api::start().await;
    let token = api.token(REGULAR).await;
    let png = png_of_about(4_000_000);
    assert!(
        png.len() > 3_900_000 && png.len() < 4_100_000,
        "{}",
        png.len()
    );
    let reply = multipart(
        &api,
        &token,
        PROFILE_IMAGE,
        &[],
        ("image", png, "image/png"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body["image_url"].is_string(), "{}", reply.body);
    assert!(stored_image_key(&api).await.is_some());
}

#[tokio::test]
async fn a_4_mb_voice_note_reaches_the_function() {
    let api = Api::start().await;
    let token = api.token(ADMIN).await;
    let media = journal_entry(&api, &token).await;
    let note = wav(125);
    assert_eq!(note.len(), 4_000_044);
    let reply = multipart(
        &api,
        &token,
        &media,
        &[("media_type", "AUDIO"), ("duration", "10")],
        ("file", note, "audio/wav"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    // Measured from the file by the function, not the form's 10.
    assert_eq!(reply.body["duration"], 125);
}

#[tokio::test]
async fn each_size_band_gets_its_answer() {
    let api = Api::start().await;
    let token = api.token(REGULAR).await;
    let send = |n: usize| {
        multipart(
            &api,
            &token,
            PROFILE_IMAGE,
            &[],
            ("image", vec![0xAB; n], "image/png"),
        )
    };
    // Under the 4.4 MB multipart ceiling: the function judges the file.
    let reply = send(1_000_000).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body["error"].is_string(), "{}", reply.body);
    // Over the ceiling, within a 6 MB event: the function's 413 names the
    // presigned flow.
    let reply = send(4_600_000).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        reply.body["error"]
            .as_str()
            .is_some_and(|e| e.contains("/api/v2/profile/me/image/upload-url/")),
        "{}",
        reply.body
    );
    // An event over 6 MB, and a body over 10 MB: API Gateway's 413.
    for n in [4_800_000, 11_000_000] {
        let reply = send(n).await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE, "{n}");
        assert_eq!(reply.body, gateway_413(), "{n}");
    }
}

#[test]
fn the_event_limit_counts_the_base64_body() {
    use base64::Engine;
    use infra::platform_limits::{event_bytes, MAX_EVENT_BYTES};
    // 4.7 MB of body are 6.27 MB once base64-encoded: the last size that fits.
    let event = |n: usize| {
        json!({"version": "2.0", "isBase64Encoded": true,
               "body": base64::engine::general_purpose::STANDARD.encode(vec![0u8; n])})
    };
    assert!(event_bytes(&event(4_700_000)) <= MAX_EVENT_BYTES);
    assert!(event_bytes(&event(4_720_000)) > MAX_EVENT_BYTES);
}
