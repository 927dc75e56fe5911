//! `POST /api/v2/voice/enrollment/`: one sample per call (multipart `audio`;
//! on the first sample of an enrollment `consent_given=true`). After
//! `samples_required` accepted samples the user's voiceprint is the mean of
//! their embeddings; a new enrollment replaces an old voiceprint only once
//! its set is complete.

use super::biometrics_user;
use super::sample::{self, Utterance};
use crate::handler::{created, retry, Answer, WriteError};
use lambda_http::Request;
use serde::Deserialize;
use shared::auth::{random_token, Principal};
use shared::context::Needs;
use shared::contract::voice::VoiceSampleResponse;
use shared::errors::FieldErrors;
use shared::request::{self, push, Field, File, FileRef, Files, RequestBody};
use shared::store::voiceprints::{EnrollmentSample, VoiceData, Voiceprint};
use shared::{http, time, ApiError, AppContext};
use voiceprint::Embedding;

#[cfg(feature = "openapi")]
use super::doc::*;
#[cfg(feature = "openapi")]
use crate::docs::*;

pub const NEEDS: Needs = crate::routes::VOICEPRINT;

pub const MSG_CONSENT: &str = "Explicit consent is required for voice enrollment.";

/// The multipart form of `POST /api/v2/voice/enrollment/`.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoiceEnrollmentForm {
    /// A recording of the user speaking: MP3, WAV, M4A, AAC or Ogg, at most
    /// 4 MB, 3 to 30 seconds, at least 4 seconds of speech.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, format = Binary, required = true)
    )]
    pub audio: Field<FileRef>,
    /// `true`: the user consents to their voiceprint being made and kept.
    /// Required on the first sample of an enrollment.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<bool>))]
    pub consent_given: Field<String>,
}

/// A validated enrollment form.
pub struct EnrollmentRequest {
    pub audio: Option<File>,
    /// `Some(true)` only for an explicit `true`.
    pub consent: Option<bool>,
}

impl RequestBody for VoiceEnrollmentForm {
    type Valid = EnrollmentRequest;

    fn validate(self, errors: &mut FieldErrors, files: &mut Files) -> Option<EnrollmentRequest> {
        let consent = match self.consent_given {
            Field::Absent | Field::Null => None,
            Field::Value(v) => match v.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" => Some(true),
                "false" | "0" | "no" | "off" | "" => Some(false),
                _ => {
                    push(errors, "consent_given", "Must be a valid boolean.");
                    None
                }
            },
            Field::Invalid(_) => {
                push(errors, "consent_given", "Must be a valid boolean.");
                None
            }
        };
        let audio = match self.audio {
            Field::Value(r) => files.take(r),
            _ => None,
        };
        Some(EnrollmentRequest { audio, consent })
    }
}

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let (principal, _) = biometrics_user(ctx, req).await?;
    let form = request::form::<VoiceEnrollmentForm>(req)
        .await?
        .unwrap_or(EnrollmentRequest {
            audio: None,
            consent: None,
        });
    let data = ctx.store.voice_data(&principal).await?;
    // No consent, nothing is even computed.
    let consent_at = consent_at(&data, form.consent)?;
    let utterance = sample::embed(ctx, form.audio).await?;
    let required = ctx.config.voice.samples_required;
    let sample = EnrollmentSample {
        sample_id: random_token(12),
        embedding: utterance.embedding.to_bytes(),
        speech_seconds: utterance.speech_seconds,
        created_at: time::iso(time::now()),
    };
    let reload = || async { Ok(ctx.store.voice_data(&principal).await?) };
    let (sample_ref, consent_ref, utterance_ref) = (&sample, &consent_at, &utterance);
    let answer = retry(data, reload, |data| async move {
        // A concurrent call may have started or finished the set meanwhile.
        let consent = match &data.enrollment.consent_at {
            Some(at) if !data.enrollment.samples.is_empty() => at.clone(),
            _ => consent_ref.clone().ok_or_else(consent_required)?,
        };
        store_sample(
            ctx,
            &principal,
            &data,
            &consent,
            sample_ref,
            utterance_ref,
            required,
        )
        .await
    })
    .await?;
    tracing::info!(
        target: "audit",
        event = "voice_enrollment_sample",
        user_id = principal.user_id,
        tenant_id = principal.tenant_id,
        samples_collected = answer.samples_collected,
        enrolled = answer.enrolled,
        request_id = %http::RequestMeta::of(req).request_id,
        "voice enrollment sample accepted"
    );
    created(&answer)
}

fn consent_required() -> ApiError {
    ApiError::field("consent_given", MSG_CONSENT)
}

/// When consent was given for the set this sample belongs to: recorded with
/// the set's first sample, or given now.
fn consent_at(data: &VoiceData, consent: Option<bool>) -> Result<Option<String>, ApiError> {
    let in_progress = !data.enrollment.samples.is_empty();
    match (in_progress, consent) {
        (_, Some(true)) => Ok(Some(time::iso(time::now()))),
        (true, _) => Ok(None),
        (false, _) => Err(consent_required()),
    }
}

async fn store_sample(
    ctx: &AppContext,
    principal: &Principal,
    data: &VoiceData,
    consent_at: &str,
    sample: &EnrollmentSample,
    utterance: &Utterance,
    required: u64,
) -> Result<VoiceSampleResponse, WriteError> {
    let collected = data.enrollment.samples.len() as u64 + 1;
    if collected < required {
        ctx.store
            .add_enrollment_sample(principal, &data.enrollment, consent_at, sample)
            .await?;
        return Ok(VoiceSampleResponse {
            sample_id: sample.sample_id.clone(),
            speech_seconds: round(utterance.speech_seconds),
            samples_collected: collected,
            samples_required: required,
            enrolled: data.voiceprint.is_some(),
            enrolled_at: data.voiceprint.as_ref().map(|v| v.enrolled_at.clone()),
        });
    }
    // The set is complete: its mean is the voiceprint.
    let mut embeddings = Vec::with_capacity(collected as usize);
    for stored in &data.enrollment.samples {
        // A sample from another encoder version cannot be averaged in.
        if let Ok(e) = Embedding::from_bytes(&stored.embedding) {
            embeddings.push(e);
        }
    }
    embeddings.push(utterance.embedding.clone());
    let mean = Embedding::mean(&embeddings).map_err(|e| {
        tracing::error!(error = %e, "averaging the enrollment failed");
        WriteError::Fail(ApiError::Internal)
    })?;
    let voiceprint = Voiceprint {
        embedding: mean.to_bytes(),
        model: voiceprint::MODEL_NAME.to_string(),
        enrolled_at: time::iso(time::now()),
        consent_at: consent_at.to_string(),
        samples: embeddings.len() as u64,
    };
    ctx.store
        .complete_enrollment(principal, &data.enrollment, &voiceprint)
        .await?;
    tracing::info!(
        target: "audit",
        event = "voice_enrolled",
        user_id = principal.user_id,
        tenant_id = principal.tenant_id,
        samples = voiceprint.samples,
        model = voiceprint::MODEL_NAME,
        "voiceprint made"
    );
    Ok(VoiceSampleResponse {
        sample_id: sample.sample_id.clone(),
        speech_seconds: round(utterance.speech_seconds),
        samples_collected: collected,
        samples_required: required,
        enrolled: true,
        enrolled_at: Some(voiceprint.enrolled_at),
    })
}

/// Tenths of a second: what the measure is good for.
fn round(seconds: f64) -> f64 {
    (seconds * 10.0).round() / 10.0
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "enrollVoiceSample",
    tag: "voice",
    summary: "Enroll a voice: one spoken sample",
    description: "Multipart form: `audio` (a recording of the user speaking: MP3, WAV, M4A, \
        AAC or Ogg, sniffed from the bytes; at most 4 MB, 3 to 30 seconds, at least 4 \
        seconds of speech once silence is trimmed) and, on the first sample of an \
        enrollment, `consent_given=true` (biometric data needs explicit consent; without \
        it nothing is stored). Each accepted sample's embedding is kept, never its audio. \
        After `samples_required` samples (default 3) the user's voiceprint is made from \
        them; enrolling again replaces it only once the new set is complete.",
    access: Access::Capability(Capability::UseVoiceBiometrics),
    params: &[],
    request: Some(RequestDoc {
        media_type: "multipart/form-data",
        schema: schema_of::<VoiceEnrollmentForm>,
        required: true,
        examples: &[],
        also: &[],
    }),
    responses: &[
        response(
            201,
            "The sample was accepted.",
            schema_of::<VoiceSampleResponse>,
            &[example(
                "second",
                "The second of three samples",
                r#"{"sample_id": "Q2xhc3NpY2FsIG11c2lj", "speech_seconds": 6.2, "samples_collected": 2, "samples_required": 3, "enrolled": false, "enrolled_at": null}"#,
            )],
        ),
        response(
            400,
            "No consent on the first sample (`{\"errors\": {\"consent_given\": [...]}}`), \
             or the sample was refused (`{\"error\": ...}`); nothing is stored.",
            upload_bad_request,
            &[
                example(
                    "consent",
                    "The first sample without consent",
                    r#"{"errors": {"consent_given": ["Explicit consent is required for voice enrollment."]}}"#,
                ),
                example(
                    "too_little_speech",
                    "Mostly silence",
                    r#"{"error": "Not enough speech: at least 4 seconds of speech are needed, 1.4 were heard. Record again somewhere quiet and keep talking for a little longer."}"#,
                ),
            ],
        ),
        R401,
        R403_BIOMETRICS,
        R409,
        R415_MULTIPART,
        R500,
        R503,
    ],
};
