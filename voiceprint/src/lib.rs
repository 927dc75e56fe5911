//! Speaker verification with the GE2E speaker encoder of resemblyzer 0.1.4,
//! reimplemented in Rust (candle, CPU) and checked against the original.
//!
//! ```no_run
//! use voiceprint::{preprocess, verify, Embedding, Encoder, MIN_SPEECH_SECONDS};
//! # fn main() -> Result<(), voiceprint::VoiceError> {
//! # let (pcm, rate): (Vec<f32>, u32) = (vec![], 16_000);
//! let encoder = Encoder::from_env()?; // once, at cold start
//!
//! // Enrollment: one embedding per sample, the voiceprint is their mean.
//! let speech = preprocess(&pcm, rate)?;
//! speech.require_seconds(MIN_SPEECH_SECONDS)?;
//! let voiceprint = Embedding::mean(&[encoder.embed(&speech)?])?;
//! let stored: Vec<u8> = voiceprint.to_bytes();
//!
//! // Verification.
//! let sample = encoder.embed(&preprocess(&pcm, rate)?)?;
//! let outcome = verify(&Embedding::from_bytes(&stored)?, &sample, voiceprint::threshold_from_env()?);
//! # let _ = outcome.accepted; Ok(()) }
//! ```

mod embedding;
mod encoder;
mod error;
mod mel;
mod model_dir;
mod params;
mod partials;
mod preprocess;
mod resample;
mod threshold;
mod vad;

pub use embedding::Embedding;
pub use encoder::Encoder;
pub use error::VoiceError;
pub use mel::{mel_spectrogram, MelFrame};
pub use model_dir::{default_model_dir, model_dir, MODEL_DIR_ENV, MODEL_FILE};
pub use params::{EMBEDDING_DIM, SAMPLE_RATE};
pub use partials::partial_slices;
pub use preprocess::{preprocess, Speech, MAX_INPUT_RATE, MAX_INPUT_SECONDS, MIN_INPUT_RATE};
pub use threshold::{
    parse_threshold, threshold_from_env, verify, Verification, DEFAULT_THRESHOLD,
    MIN_SPEECH_SECONDS, THRESHOLD_ENV,
};

/// The encoder and its version. Voiceprints made by one encoder cannot be
/// compared with another's: store this name next to them.
pub const MODEL_NAME: &str = "resemblyzer-ge2e-0.1.4";

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn encoder_can_be_shared_across_threads() {
        assert_send_sync::<Encoder>();
        assert_send_sync::<Embedding>();
    }
}
