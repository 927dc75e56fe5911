//! Offline recognition of short spoken onboarding answers (dates, gender,
//! "skip", "go back", "yes", "no"), in process, with PocketSphinx 5 and
//! grammars generated from word lists, so only phrases the current question
//! allows can come out.
//!
//! ```no_run
//! use speech::{Expect, Recognizer};
//! let recognizer = Recognizer::from_env()?; // SPEECH_MODEL_DIR or .models/speech
//! let pcm: Vec<i16> = vec![]; // 16 kHz mono
//! let heard = recognizer.transcribe(&pcm, Expect::Date)?;
//! println!("{}", heard.text); // e.g. "fifteenth of january nineteen ninety"
//! # Ok::<(), speech::SpeechError>(())
//! ```
//!
//! The model comes from `python3 models/speech.py`; see the crate README.

mod decoder;
mod dictionary;
mod endpoint;
mod error;
mod expect;
mod grammar;
mod model;
mod recognizer;
mod resample;

pub use error::SpeechError;
pub use expect::Expect;
pub use model::{default_model_dir, FETCH_COMMAND, MODEL_DIR_ENV};
pub use recognizer::{Recognizer, Transcript, MAX_AUDIO_SECONDS, SAMPLE_RATE};
pub use resample::to_pcm_16k;

#[cfg(test)]
mod tests {
    use super::*;

    // The type must be shareable from a static or an Arc in a Lambda handler.
    #[test]
    fn recognizer_is_send_and_sync() {
        fn shareable<T: Send + Sync + 'static>() {}
        shareable::<Recognizer>();
    }
}
