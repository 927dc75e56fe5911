//! The event each function gets, per invocation. Most functions get the
//! filled-in sample event (events/*.json) every time; the ones that decode
//! large inputs or change state get real work each time, prepared before
//! the clock starts: a full-size JPEG uploaded for every confirm, a 5 MB
//! voice note for every attach, a spoken answer for the voice functions,
//! a fresh refresh token, entry or conversation where one is used up.

use crate::stack::{BenchStack, DEMO_PASSWORD, DEMO_USER};
use base64::Engine;
use bytes::Bytes;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::path::Path;

/// The user whose profile the conversation functions fill in.
const NEW_EMPLOYEE: (&str, &str) = ("new.employee", "newbie-pass-1");

pub struct Workloads<'a> {
    stack: &'a BenchStack,
    /// 2048x1536 JPEG (the largest accepted dimension), ~1-2 MB.
    jpeg: Bytes,
    /// 30 s of 44.1 kHz 16-bit stereo WAV, ~5 MB: a voice note.
    voice_note: Bytes,
    /// A real spoken answer (tests/fixtures/speech).
    speech: Bytes,
    /// A voice enrollment sample and a verification attempt of the same
    /// speaker (tests/fixtures/voice, over the 4 s of speech required).
    enroll_sample: Bytes,
    verify_sample: Bytes,
    new_employee_access: String,
}

impl<'a> Workloads<'a> {
    pub async fn new(stack: &'a BenchStack, workspace: &Path) -> Result<Self, String> {
        let fixture = |path: &str| {
            let file = workspace.join("tests/fixtures").join(path);
            std::fs::read(&file)
                .map(Bytes::from)
                .map_err(|e| format!("{}: {e}", file.display()))
        };
        let mut me = Workloads {
            stack,
            jpeg: Bytes::from(jpeg(2048, 1536)?),
            voice_note: Bytes::from(wav(30)?),
            speech: fixture("speech/dob_fifteenth_january_1990.wav")?,
            enroll_sample: fixture("voice/speaker_a_enroll_1.wav")?,
            verify_sample: fixture("voice/speaker_a_verify.wav")?,
            new_employee_access: String::new(),
        };
        let tokens = me.login(NEW_EMPLOYEE.0, NEW_EMPLOYEE.1).await?;
        me.new_employee_access = field(&tokens, "access")?;
        Ok(me)
    }

    pub fn sizes(&self) -> (usize, usize) {
        (self.jpeg.len(), self.voice_note.len())
    }

    fn sample(&self, function: &str) -> Result<Value, String> {
        self.stack
            .samples
            .events
            .iter()
            .find(|(name, _)| *name == function)
            .map(|(_, e)| e.clone())
            .ok_or_else(|| format!("no sample event for {function}"))
    }

    /// The `i`th event for `function` (0 is the cold start's).
    pub async fn event(&self, function: &str, i: usize) -> Result<Value, String> {
        let mut event = self.sample(function)?;
        let (tenant, user) = self.stack.admin_ids();
        match function {
            "refresh" => {
                let tokens = self.login(DEMO_USER, DEMO_PASSWORD).await?;
                set_json(&mut event, &json!({"refresh": field(&tokens, "refresh")?}));
            }
            "profile-image-confirm" => {
                let key = format!("uploads/{tenant}/{user}/profile-image/bench{i}");
                self.put(&key, self.jpeg.clone(), "image/jpeg").await?;
                set_json(&mut event, &json!({"key": key}));
            }
            "profile-image-upload" => {
                let file = Part::file("image", "photo.jpg", "image/jpeg", &self.jpeg);
                set_multipart(&mut event, &[file]);
            }
            "journal-media-add" => {
                let entry = self.new_entry().await?;
                let key = format!("uploads/{tenant}/{user}/journal/{entry}/bench{i}");
                self.put(&key, self.voice_note.clone(), "audio/wav").await?;
                point_at(&mut event, "id", &entry.to_string());
                set_json(&mut event, &json!({"key": key, "media_type": "AUDIO"}));
            }
            "journal-entry-delete" => {
                let entry = self.new_entry().await?;
                point_at(&mut event, "id", &entry.to_string());
            }
            "voice-enroll" => {
                // A finished enrollment is deleted first, so every event
                // runs the encoder; the last three leave one for verify.
                let state = self
                    .call_in_process("voice-enrollment-get", self.sample("voice-enrollment-get")?)
                    .await?;
                if state["enrolled"].as_bool() == Some(true) {
                    let delete = self.sample("voice-enrollment-delete")?;
                    self.call_in_process("voice-enrollment-delete", delete)
                        .await?;
                }
                let consent = Part::text("consent_given", "true");
                let audio = Part::file("audio", "sample.wav", "audio/wav", &self.enroll_sample);
                set_multipart(&mut event, &[consent, audio]);
            }
            "voice-verify" => {
                if i == 0 {
                    self.ensure_enrolled().await?;
                }
                let audio = Part::file("audio", "sample.wav", "audio/wav", &self.verify_sample);
                set_multipart(&mut event, &[audio]);
            }
            "conversation-voice" | "conversation-process" => {
                let id = self.new_conversation().await?;
                authorize(&mut event, &self.new_employee_access);
                point_at(&mut event, "conversation_id", &id);
                if function == "conversation-voice" {
                    let audio = Part::file("audio", "sample.wav", "audio/wav", &self.speech);
                    set_multipart(&mut event, &[audio]);
                }
            }
            _ => {}
        }
        Ok(event)
    }

    /// Completes the admin's voice enrollment in process (verify needs one).
    async fn ensure_enrolled(&self) -> Result<(), String> {
        for _ in 0..=self.stack.ctx.config.voice.samples_required {
            let state = self
                .call_in_process("voice-enrollment-get", self.sample("voice-enrollment-get")?)
                .await?;
            if state["enrolled"].as_bool() == Some(true) {
                return Ok(());
            }
            let mut enroll = self.sample("voice-enroll")?;
            let consent = Part::text("consent_given", "true");
            let audio = Part::file("audio", "sample.wav", "audio/wav", &self.enroll_sample);
            set_multipart(&mut enroll, &[consent, audio]);
            self.call_in_process("voice-enroll", enroll).await?;
        }
        Err("the voice enrollment did not complete".into())
    }

    async fn put(&self, key: &str, body: Bytes, content_type: &str) -> Result<(), String> {
        self.stack
            .s3_client
            .put_object()
            .bucket(infra::stack::BUCKET_NAME)
            .key(key)
            .content_type(content_type)
            .body(body.into())
            .send()
            .await
            .map(|_| ())
            .map_err(|e| format!("upload {key}: {e:?}"))
    }

    async fn login(&self, username: &str, password: &str) -> Result<Value, String> {
        let mut event = self.sample("login")?;
        set_json(
            &mut event,
            &json!({"username": username, "password": password}),
        );
        self.call_in_process("login", event).await
    }

    async fn new_entry(&self) -> Result<u64, String> {
        let entry = self
            .call_in_process(
                "journal-entries-create",
                self.sample("journal-entries-create")?,
            )
            .await?;
        entry["id"]
            .as_u64()
            .ok_or_else(|| format!("no entry id in {entry}"))
    }

    async fn new_conversation(&self) -> Result<String, String> {
        let mut event = self.sample("conversation-start")?;
        authorize(&mut event, &self.new_employee_access);
        let started = self.call_in_process("conversation-start", event).await?;
        field(&started, "conversation_id")
    }

    /// A handler run in the bench's own process (set-up, not measured).
    async fn call_in_process(&self, function: &'static str, event: Value) -> Result<Value, String> {
        let response =
            infra::gateway::invoke(self.stack.ctx.clone(), function, event, "bench-setup").await;
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        if !status.is_success() {
            return Err(format!(
                "set-up call {function} answered {status}: {}",
                String::from_utf8_lossy(&body)
            ));
        }
        if body.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&body).map_err(|e| format!("{function}: {e}"))
    }
}

fn field(v: &Value, key: &str) -> Result<String, String> {
    v[key]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("no {key:?} in {v}"))
}

fn authorize(event: &mut Value, access: &str) {
    event["headers"]["authorization"] = Value::String(format!("Bearer {access}"));
}

fn set_json(event: &mut Value, body: &Value) {
    let text = body.to_string();
    event["headers"]["content-length"] = Value::String(text.len().to_string());
    event["headers"]["content-type"] = Value::String("application/json".into());
    event["body"] = Value::String(text);
    event["isBase64Encoded"] = Value::Bool(false);
}

/// Puts `value` for the `{param}` of the event's route in its path.
fn point_at(event: &mut Value, param: &str, value: &str) {
    let Some(path) = event["routeKey"]
        .as_str()
        .and_then(|k| k.split_once(' '))
        .map(|(_, p)| p.replace(&format!("{{{param}}}"), value))
    else {
        return;
    };
    event["pathParameters"][param] = Value::String(value.to_string());
    event["rawPath"] = Value::String(path.clone());
    event["requestContext"]["http"]["path"] = Value::String(path);
}

struct Part<'b> {
    name: &'b str,
    file: Option<(&'b str, &'b str)>,
    data: &'b [u8],
}

impl<'b> Part<'b> {
    fn text(name: &'b str, value: &'b str) -> Self {
        Part {
            name,
            file: None,
            data: value.as_bytes(),
        }
    }
    fn file(name: &'b str, filename: &'b str, content_type: &'b str, data: &'b [u8]) -> Self {
        Part {
            name,
            file: Some((filename, content_type)),
            data,
        }
    }
}

const BOUNDARY: &str = "----BenchFormBoundary7MA4YWxk";

/// A multipart/form-data body, base64 as API Gateway sends binary bodies.
fn set_multipart(event: &mut Value, parts: &[Part<'_>]) {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match part.file {
            Some((filename, content_type)) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{}\"; filename=\"{filename}\"\r\n\
                     Content-Type: {content_type}\r\n\r\n",
                    part.name
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{}\"\r\n\r\n",
                    part.name
                )
                .as_bytes(),
            ),
        }
        body.extend_from_slice(part.data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    event["headers"]["content-type"] =
        Value::String(format!("multipart/form-data; boundary={BOUNDARY}"));
    event["headers"]["content-length"] = Value::String(body.len().to_string());
    event["body"] = Value::String(base64::engine::general_purpose::STANDARD.encode(&body));
    event["isBase64Encoded"] = Value::Bool(true);
}

/// A photo-like JPEG: smooth gradients with some grain, quality 90.
fn jpeg(width: u32, height: u32) -> Result<Vec<u8>, String> {
    let mut seed = 0x2545_f491_u32;
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let grain = (seed % 24) as u8;
        image::Rgb([
            ((x * 255 / width) as u8).saturating_add(grain),
            ((y * 255 / height) as u8).saturating_add(grain),
            (((x + y) * 255 / (width + height)) as u8).saturating_add(grain),
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&img)
        .map_err(|e| format!("JPEG: {e}"))?;
    Ok(out.into_inner())
}

/// `seconds` of a 440 Hz tone with noise, 44.1 kHz 16-bit stereo.
fn wav(seconds: u32) -> Result<Vec<u8>, String> {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 44_100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut out = std::io::Cursor::new(Vec::new());
    let mut writer = hound::WavWriter::new(&mut out, spec).map_err(|e| e.to_string())?;
    let mut seed = 0x9e37_79b9_u32;
    for n in 0..seconds * spec.sample_rate {
        let t = n as f32 / spec.sample_rate as f32;
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed % 2000) as f32 - 1000.0;
        let sample = ((t * 440.0 * std::f32::consts::TAU).sin() * 8000.0 + noise) as i16;
        for _ in 0..2 {
            writer.write_sample(sample).map_err(|e| e.to_string())?;
        }
    }
    writer.finalize().map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}
