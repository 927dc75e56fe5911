//! `POST /api/v2/onboarding/conversation/{conversation_id}/voice/`: a spoken
//! answer (multipart `audio`: the voice-note formats, at most 4 MB and 30 s),
//! transcribed here by the offline recognizer, constrained by what the
//! current question expects, then processed exactly like a typed message.
//! Audio with no recognisable speech gets a re-prompt.

use super::{conversation_id, load, onboarding_user, take_turn};
use crate::handler::{ok, Answer};
use dialogue::Field as Asked;
use lambda_http::Request;
use serde::Deserialize;
use shared::context::Needs;
use shared::contract::conversation::ConversationVoiceTurn;
use shared::errors::FieldErrors;
use shared::guards::Guard;
use shared::http::RequestMeta;
use shared::request::{self, Field, File, FileRef, Files, RequestBody};
use shared::{ApiError, AppContext};
use speech::Expect;

#[cfg(feature = "openapi")]
use super::doc::*;
#[cfg(feature = "openapi")]
use crate::docs::*;

pub const NEEDS: Needs = crate::routes::SPEECH;

pub const MAX_ANSWER_BYTES: u64 = 4_000_000;
pub const MAX_ANSWER_SECONDS: f64 = 30.0;

/// The multipart form of `POST .../voice/`.
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationVoiceForm {
    /// The spoken answer: MP3, WAV, M4A, AAC or Ogg, at most 4 MB and 30 s.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = String, format = Binary, required = true)
    )]
    pub audio: Field<FileRef>,
}

impl RequestBody for ConversationVoiceForm {
    type Valid = Option<File>;

    fn validate(self, _: &mut FieldErrors, files: &mut Files) -> Option<Self::Valid> {
        Some(match self.audio {
            Field::Value(r) => files.take(r),
            _ => None,
        })
    }
}

pub async fn run(ctx: &AppContext, req: &Request) -> Answer {
    let (principal, user) = onboarding_user(ctx, req).await?;
    Guard::VoiceFeatures.enforce(
        &ctx.config,
        &principal,
        &user.capabilities,
        &RequestMeta::of(req),
    )?;
    let id = conversation_id(req)?;
    let conversation = load(ctx, &principal, &id).await?.conversation;
    let file = request::form::<ConversationVoiceForm>(req).await?.flatten();
    let expect = match (conversation.pending(), conversation.expecting()) {
        (Some(_), _) => Expect::Date,
        (None, Some(Asked::DateOfBirth | Asked::DateOfJoin)) => Expect::Date,
        (None, Some(Asked::Gender)) => Expect::Gender,
        _ => Expect::Confirmation,
    };
    let transcript = transcribe(ctx, file, expect).await?;
    let turn = take_turn(ctx, principal, user, &id, &transcript, true).await?;
    ok(&ConversationVoiceTurn::new(turn, transcript))
}

/// The words heard, lowercase; `""` when no speech was recognised. The CPU
/// work runs on a blocking thread; a panic there is a 400 for that file.
async fn transcribe(
    ctx: &AppContext,
    file: Option<File>,
    expect: Expect,
) -> Result<String, ApiError> {
    let refused = |m: String| ApiError::BadRequest(m);
    let Some(file) = file.filter(|f| !f.data.is_empty()) else {
        return Err(refused(audio::AudioError::NoFile.message()));
    };
    audio::check_size(file.data.len() as u64, MAX_ANSWER_BYTES)
        .map_err(|e| refused(e.message()))?;
    let recognizer = ctx.speech()?;
    let work = move || -> Result<String, ApiError> {
        let pcm = audio::decode_mono(&file.data, MAX_ANSWER_SECONDS)
            .map_err(|e| ApiError::BadRequest(e.message()))?;
        let transcript = recognizer
            .transcribe_f32(&pcm.samples, pcm.sample_rate, expect)
            .map_err(|e| {
                tracing::warn!(error = %e, "a spoken answer could not be transcribed");
                ApiError::BadRequest(format!("The recording could not be used: {e}"))
            })?;
        Ok(transcript.text)
    };
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(e) if e.is_panic() => {
            tracing::error!("transcription panicked");
            Err(refused(audio::AudioError::InvalidType.message()))
        }
        Err(e) => {
            tracing::error!(error = %e, "transcription task failed");
            Err(ApiError::Internal)
        }
    }
}

#[cfg(feature = "openapi")]
pub const DOC: RouteDoc = RouteDoc {
    operation_id: "speakOnboardingAnswer",
    tag: "onboarding",
    summary: "Answer the conversation by voice",
    description: "Multipart form: `audio` (MP3, WAV, M4A, AAC or Ogg, sniffed from the \
        bytes; at most 4 MB and 30 seconds). The recording is transcribed on the server by \
        an offline recognizer listening for what the current question expects (dates, \
        gender words, skip and go back), then processed exactly like a typed message; \
        the answer adds `transcript`. A recording with no recognisable speech gets a \
        re-prompt. The audio is not kept. Needs `canUseVoiceFeatures` as well.",
    access: Access::Capability(Capability::AccessOnboarding),
    params: &[CONVERSATION_ID],
    request: Some(RequestDoc {
        media_type: "multipart/form-data",
        schema: schema_of::<ConversationVoiceForm>,
        required: true,
        examples: &[],
        also: &[],
    }),
    responses: &[
        response(
            200,
            "Answered.",
            schema_of::<ConversationVoiceTurn>,
            &[example(
                "spoken_date",
                "\"fifteenth of january nineteen ninety\"",
                r#"{"conversation_id": "b3JkZXJpbmdfdHVybnM", "status": "in_progress", "message": "Thanks, I saved your date of birth as 15 January 1990. What is your gender? For example: female.", "expecting": "gender", "completion_percentage": 25, "missing_fields": [{"field": "peopleimg", "display_name": "Profile Image"}, {"field": "dateofjoin", "display_name": "Date of Joining"}, {"field": "gender", "display_name": "Gender"}], "understood": {"dateofbirth": "1990-01-15"}, "transcript": "fifteenth of january nineteen ninety"}"#,
            )],
        ),
        response(
            400,
            "No `audio`, or a recording that is not an accepted audio file, over 4 MB or \
             over 30 seconds.",
            upload_bad_request,
            &[example(
                "not_audio",
                "A text file",
                r#"{"error": "Invalid audio file type. Allowed: audio/mpeg, audio/wav, audio/m4a, audio/aac, audio/ogg"}"#,
            )],
        ),
        R401,
        response(
            403,
            "The caller lacks `canAccessOnboarding` (the onboarding message) or \
             `canUseVoiceFeatures` (`You do not have permission to use voice features.`), \
             or the module is switched off.",
            schema_of::<ErrorDetail>,
            &[
                example(
                    "onboarding",
                    "No onboarding",
                    r#"{"detail": "You do not have permission to access onboarding features."}"#,
                ),
                example(
                    "voice",
                    "No voice features",
                    r#"{"detail": "You do not have permission to use voice features."}"#,
                ),
            ],
        ),
        R404_CONVERSATION,
        R409_MOVED_ON,
        R415_MULTIPART,
        R500,
        R503,
    ],
};
