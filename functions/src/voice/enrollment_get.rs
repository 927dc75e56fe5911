//! `GET /api/v2/voice/enrollment/`: where the caller's enrollment stands.

use super::biometrics_user;
use crate::handler::{ok, Answer};
use lambda_http::Request;
use shared::context::Needs;
use shared::contract::voice::VoiceEnrollmentStatus;
use shared::AppContext;

#[cfg(feature = "openapi")]
use super::doc::*;
#[cfg(feature = "openapi")]
use crate::docs::*;

pub const NEEDS: Needs = crate::routes::DB;

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let (principal, _) = biometrics_user(ctx, req).await?;
    let data = ctx.store.voice_data(&principal).await?;
    let in_progress = data.enrollment.samples.len() as u64;
    ok(&VoiceEnrollmentStatus {
        enrolled: data.voiceprint.is_some(),
        samples_collected: match (&data.voiceprint, in_progress) {
            (Some(v), 0) => v.samples,
            _ => in_progress,
        },
        samples_required: ctx.config.voice.samples_required,
        enrolled_at: data.voiceprint.map(|v| v.enrolled_at),
        model: voiceprint::MODEL_NAME.to_string(),
    })
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "getVoiceEnrollment",
    tag: "voice",
    summary: "The caller's voice enrollment",
    description: "Whether the caller has a voiceprint, how many samples the enrollment in \
        progress has (with none in progress, how many the voiceprint was made from), how \
        many it needs, when the voiceprint was made, and the speaker encoder.",
    access: Access::Capability(Capability::UseVoiceBiometrics),
    params: &[],
    request: None,
    responses: &[
        response(
            200,
            "The enrollment.",
            schema_of::<VoiceEnrollmentStatus>,
            &[example(
                "enrolled",
                "Enrolled with three samples",
                r#"{"enrolled": true, "samples_collected": 3, "samples_required": 3, "enrolled_at": "2026-11-30T09:12:44.120Z", "model": "resemblyzer-ge2e-0.1.4"}"#,
            )],
        ),
        R401,
        R403_BIOMETRICS,
        R500,
        R503,
    ],
};
