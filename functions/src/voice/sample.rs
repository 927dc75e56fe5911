//! A spoken sample, from the multipart `audio` field to an embedding: the
//! voice-note formats sniffed from the bytes (the `audio` crate), at most
//! 4 MB and 3 to 30 seconds long, at least 4 seconds of speech once silence
//! is trimmed (the encoder's voice-activity detector), then embedded by the
//! speaker encoder. The audio is never stored: only the embedding leaves.

use shared::request::File;
use shared::{ApiError, AppContext};
use voiceprint::{Embedding, MIN_SPEECH_SECONDS};

/// A sample fits in a Lambda request (under API Gateway's base64 ceiling).
pub const MAX_SAMPLE_BYTES: u64 = 4_000_000;
pub const MIN_SAMPLE_SECONDS: f64 = 3.0;
pub const MAX_SAMPLE_SECONDS: f64 = 30.0;

/// What a sample gives.
pub struct Utterance {
    pub embedding: Embedding,
    /// Speech heard after trimming silence.
    pub speech_seconds: f64,
}

fn refused(message: impl Into<String>) -> ApiError {
    ApiError::BadRequest(message.into())
}

/// Checks, decodes and embeds `file`. Every refusal is a `400 {"error"}` a
/// person can act on; the CPU work runs on a blocking thread, and a panic in
/// a decoder or the encoder is a 400 for that file, never a lost sandbox.
pub async fn embed(ctx: &AppContext, file: Option<File>) -> Result<Utterance, ApiError> {
    let Some(file) = file.filter(|f| !f.data.is_empty()) else {
        return Err(refused(audio::AudioError::NoFile.message()));
    };
    audio::check_size(file.data.len() as u64, MAX_SAMPLE_BYTES)
        .map_err(|e| refused(e.message()))?;
    let encoder = ctx.voiceprint()?;
    let work = move || -> Result<Utterance, ApiError> {
        let pcm =
            audio::decode_mono(&file.data, MAX_SAMPLE_SECONDS).map_err(|e| refused(e.message()))?;
        if pcm.duration_secs < MIN_SAMPLE_SECONDS {
            return Err(refused(format!(
                "Recording too short: at least {MIN_SAMPLE_SECONDS:.0} seconds are needed \
                 (this one is {:.1} seconds).",
                pcm.duration_secs
            )));
        }
        let speech = voiceprint::preprocess(&pcm.samples, pcm.sample_rate)
            .map_err(|e| refused(format!("The recording could not be used: {e}")))?;
        if speech.seconds < MIN_SPEECH_SECONDS {
            return Err(refused(format!(
                "Not enough speech: at least {MIN_SPEECH_SECONDS:.0} seconds of speech are \
                 needed, {:.1} were heard. Record again somewhere quiet and keep talking \
                 for a little longer.",
                speech.seconds
            )));
        }
        let embedding = encoder
            .embed(&speech)
            .map_err(|e| refused(format!("The recording could not be used: {e}")))?;
        Ok(Utterance {
            embedding,
            speech_seconds: f64::from(speech.seconds),
        })
    };
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(e) if e.is_panic() => {
            tracing::error!("voice sample processing panicked");
            Err(refused(audio::AudioError::InvalidType.message()))
        }
        Err(e) => {
            tracing::error!(error = %e, "voice sample task failed");
            Err(ApiError::Internal)
        }
    }
}
