//! Voice biometrics, behind `canUseVoiceBiometrics` (and
//! `VOICE_FEATURES_ENABLED`): enroll a voice with a few spoken samples,
//! verify a sample against it, see and delete the enrollment. Biometric data
//! is a special category of personal data: enrolling needs recorded consent,
//! raw audio is never kept (only embeddings), and deleting removes
//! everything. Every step is an audit event.

pub mod enroll;
pub mod enrollment_delete;
pub mod enrollment_get;
mod sample;
pub mod verify;

use crate::handler::authenticated_user;
use lambda_http::Request;
use shared::auth::Principal;
use shared::guards::Guard;
use shared::http::RequestMeta;
use shared::store::UserRecord;
use shared::{ApiError, AppContext};

/// The caller, if voice biometrics is open to them. Checked before any
/// audio is read.
pub async fn biometrics_user(
    ctx: &AppContext,
    req: &Request,
) -> Result<(Principal, UserRecord), ApiError> {
    let (principal, user) = authenticated_user(ctx, req).await?;
    Guard::VoiceBiometrics.enforce(
        &ctx.config,
        &principal,
        &user.capabilities,
        &RequestMeta::of(req),
    )?;
    Ok((principal, user))
}

#[cfg(feature = "openapi")]
pub(crate) mod doc {
    use crate::docs::*;

    /// The 403 of the voice biometrics routes.
    pub const R403_BIOMETRICS: ResponseDoc = response(
        403,
        "The caller lacks `canUseVoiceBiometrics`, or voice features are switched off \
         (`VOICE_FEATURES_ENABLED=false`). Checked before any audio is read.",
        schema_of::<ErrorDetail>,
        &[example(
            "denied",
            "No voice biometrics",
            r#"{"detail": "You do not have permission to use voice biometric features."}"#,
        )],
    );

    /// The 400 of a refused sample.
    pub const R400_SAMPLE: ResponseDoc = response(
        400,
        "The sample was refused (nothing is stored): no `audio`, not an accepted audio \
         format, over 4 MB, shorter than 3 or longer than 30 seconds, or less than 4 \
         seconds of speech once silence is trimmed.",
        upload_bad_request,
        &[
            example(
                "too_little_speech",
                "Mostly silence",
                r#"{"error": "Not enough speech: at least 4 seconds of speech are needed, 1.4 were heard. Record again somewhere quiet and keep talking for a little longer."}"#,
            ),
            example(
                "not_audio",
                "A text file",
                r#"{"error": "Invalid audio file type. Allowed: audio/mpeg, audio/wav, audio/m4a, audio/aac, audio/ogg"}"#,
            ),
        ],
    );
}
