//! `POST /api/v2/voice/verify/`: is this the enrolled voice? Multipart
//! `audio` (the enrollment's rules). Not enrolled: 409. Every attempt is an
//! audit event; 5 failed verifications in 15 minutes lock verification for
//! the user (429), each attempt reserved before the voice is compared, so a
//! burst of concurrent attempts gets no more than the limit through.

use super::{biometrics_user, sample};
use crate::handler::{now_epoch, ok, Answer};
use lambda_http::Request;
use serde::Deserialize;
use shared::context::Needs;
use shared::contract::voice::VoiceVerification;
use shared::errors::FieldErrors;
use shared::request::{self, Field, File, FileRef, Files, RequestBody};
use shared::store::login_attempts::{AttemptKey, VERIFY_LIMIT};
use shared::{http, ApiError, AppContext};
use voiceprint::Embedding;

#[cfg(feature = "openapi")]
use super::doc::*;
#[cfg(feature = "openapi")]
use crate::docs::*;

pub const NEEDS: Needs = crate::routes::VOICEPRINT;

pub const MSG_NOT_ENROLLED: &str = "Voice enrollment is not complete";
const MSG_LOCKED: &str = "Too many failed voice verifications. Try again later.";

/// The multipart form of `POST /api/v2/voice/verify/`.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoiceVerifyForm {
    /// A recording of the user speaking (any sentence): MP3, WAV, M4A, AAC or
    /// Ogg, at most 4 MB, 3 to 30 seconds, at least 4 seconds of speech.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, format = Binary, required = true)
    )]
    pub audio: Field<FileRef>,
}

impl RequestBody for VoiceVerifyForm {
    type Valid = Option<File>;

    fn validate(self, _: &mut FieldErrors, files: &mut Files) -> Option<Self::Valid> {
        Some(match self.audio {
            Field::Value(r) => files.take(r),
            _ => None,
        })
    }
}

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let (principal, _) = biometrics_user(ctx, req).await?;
    let meta = http::RequestMeta::of(req);
    let data = ctx.store.voice_data(&principal).await?;
    let stored = data
        .voiceprint
        .as_ref()
        .and_then(|v| Embedding::from_bytes(&v.embedding).ok());
    let Some(voiceprint) = stored else {
        return Err(ApiError::Conflict(MSG_NOT_ENROLLED.into()));
    };
    // The attempt is reserved before the voice is compared.
    let key = AttemptKey::Verify(principal);
    let now = now_epoch();
    let slot = match ctx.store.reserve_attempt(&key, VERIFY_LIMIT, now).await? {
        Ok(slot) => slot,
        Err(refused) => {
            tracing::warn!(
                target: "audit",
                event = "voice_verify_locked",
                user_id = principal.user_id,
                tenant_id = principal.tenant_id,
                request_id = %meta.request_id,
                "voice verification refused: too many failures"
            );
            return Err(ApiError::TooManyRequests {
                detail: MSG_LOCKED,
                retry_after_secs: refused.retry_after_secs,
            });
        }
    };
    let file = request::form::<VoiceVerifyForm>(req).await;
    let utterance = match file {
        Ok(file) => sample::embed(ctx, file.flatten()).await,
        Err(e) => Err(e),
    };
    let utterance = match utterance {
        Ok(u) => u,
        Err(e) => {
            // A refused sample compared no voice: it does not count.
            ctx.store.release_attempt(&key).await?;
            return Err(e);
        }
    };
    let threshold = ctx.config.voice.threshold;
    let outcome = voiceprint::verify(&voiceprint, &utterance.embedding, threshold);
    tracing::info!(
        target: "audit",
        event = "voice_verify",
        user_id = principal.user_id,
        tenant_id = principal.tenant_id,
        score = outcome.score,
        threshold,
        verified = outcome.accepted,
        request_id = %meta.request_id,
        "voice verification"
    );
    if outcome.accepted {
        ctx.store.forgive_attempts(&key, now).await?;
    } else if slot.is_last {
        ctx.store.lock_attempts(&key, VERIFY_LIMIT, now).await?;
    }
    ok(&VoiceVerification {
        verified: outcome.accepted,
        score: four_decimals(outcome.score),
        // As configured (0.8), not its f32 neighbour 0.800000011920929.
        threshold: four_decimals(threshold),
    })
}

/// A score or threshold as answered: four decimals are all a cosine says.
fn four_decimals(x: f32) -> f64 {
    (f64::from(x) * 10_000.0).round() / 10_000.0
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "verifyVoice",
    tag: "voice",
    summary: "Verify a voice against the caller's voiceprint",
    description: "Multipart form: `audio` (any sentence; the enrollment's rules: MP3, WAV, \
        M4A, AAC or Ogg, at most 4 MB, 3 to 30 seconds, at least 4 seconds of speech). The \
        answer gives the cosine score and the threshold it was compared with \
        (`VOICE_VERIFICATION_THRESHOLD`). The audio is not kept. After 5 failed \
        verifications in 15 minutes verification is locked for 15 minutes (429 with \
        `Retry-After`); each attempt is counted before the voice is compared.",
    access: Access::Capability(Capability::UseVoiceBiometrics),
    params: &[],
    request: Some(RequestDoc {
        media_type: "multipart/form-data",
        schema: schema_of::<VoiceVerifyForm>,
        required: true,
        examples: &[],
        also: &[],
    }),
    responses: &[
        response(
            200,
            "Compared.",
            schema_of::<VoiceVerification>,
            &[
                example(
                    "same_voice",
                    "The enrolled voice",
                    r#"{"verified": true, "score": 0.9712, "threshold": 0.8}"#,
                ),
                example(
                    "other_voice",
                    "Someone else",
                    r#"{"verified": false, "score": 0.4951, "threshold": 0.8}"#,
                ),
            ],
        ),
        R400_SAMPLE,
        R401,
        R403_BIOMETRICS,
        response(
            409,
            "The caller has no voiceprint (not enrolled, or deleted).",
            schema_of::<ErrorMessage>,
            &[example(
                "not_enrolled",
                "Not enrolled",
                r#"{"error": "Voice enrollment is not complete"}"#,
            )],
        ),
        response(
            429,
            "Too many failed verifications: locked; `Retry-After` gives the seconds left.",
            schema_of::<ErrorDetail>,
            &[example(
                "locked",
                "Locked after 5 failures",
                r#"{"detail": "Too many failed voice verifications. Try again later."}"#,
            )],
        ),
        R415_MULTIPART,
        R500,
        R503,
    ],
};
