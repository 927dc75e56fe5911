//! Every way the engine can refuse an input or fail to load.

use std::path::PathBuf;

/// Errors of the voiceprint engine. The messages are meant for logs and, for
/// the input errors, for the client.
#[derive(Debug, thiserror::Error)]
pub enum VoiceError {
    #[error(
        "voiceprint model not found at {}: run `python3 models/voiceprint.py` at the repository \
         root, or set VOICEPRINT_MODEL_DIR to a directory holding encoder.safetensors",
        path.display()
    )]
    ModelMissing { path: PathBuf },
    #[error("voiceprint model at {} could not be loaded: {reason}", path.display())]
    ModelInvalid { path: PathBuf, reason: String },
    #[error("the audio is empty")]
    EmptyAudio,
    #[error("unsupported sample rate {0} Hz (accepted: 8000 to 384000 Hz)")]
    UnsupportedSampleRate(u32),
    #[error("the audio is too long: {seconds:.0} s (at most {max:.0} s)")]
    AudioTooLong { seconds: f64, max: f64 },
    #[error("the audio contains samples that are not numbers (NaN or infinite)")]
    NonFiniteSamples,
    #[error("no speech was found in the audio")]
    NoSpeech,
    #[error("not enough speech: {seconds:.1} s found, at least {required:.1} s needed")]
    NotEnoughSpeech { seconds: f32, required: f32 },
    #[error("resampling failed: {0}")]
    Resample(String),
    #[error("the encoder failed: {0}")]
    Inference(String),
    #[error("invalid voiceprint bytes: {0}")]
    InvalidEmbedding(&'static str),
    #[error("no embeddings to average")]
    NoEmbeddings,
    #[error("invalid VOICE_VERIFICATION_THRESHOLD {value:?}: expected a number between 0 and 1")]
    InvalidThreshold { value: String },
}

impl From<candle_core::Error> for VoiceError {
    fn from(e: candle_core::Error) -> Self {
        VoiceError::Inference(e.to_string())
    }
}
