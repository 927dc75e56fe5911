use std::path::PathBuf;

use crate::model::FETCH_COMMAND;

/// Everything that can go wrong loading the model or transcribing.
#[derive(Debug, thiserror::Error)]
pub enum SpeechError {
    /// The model folder lacks a file: the model pipeline has not run there.
    #[error(
        "speech model not found: {missing} is missing in {dir}; run `{FETCH_COMMAND}` at the \
         workspace root, or set SPEECH_MODEL_DIR to a folder holding en-us/ and cmudict-en-us.dict"
    )]
    ModelMissing { dir: PathBuf, missing: String },
    /// A model file exists but could not be read.
    #[error("could not read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A model path the C library cannot take (not UTF-8, or holding a NUL byte).
    #[error("model path {0} is not valid UTF-8 without NUL bytes")]
    InvalidPath(PathBuf),
    /// A grammar word has no pronunciation in the dictionary.
    #[error("the pronouncing dictionary has no entry for: {0}")]
    WordsNotInDictionary(String),
    /// PocketSphinx returned an error code (`what` says for which call).
    #[error("PocketSphinx failed to {0}")]
    Decoder(String),
    /// More audio than a short answer can hold; refused before any work.
    #[error("audio too long: {seconds:.1} s, at most {max} s")]
    TooLong { seconds: f32, max: u32 },
    /// A sample rate outside what the resampling helper accepts.
    #[error("unsupported sample rate {0} Hz (accepted: 8000 to 192000)")]
    SampleRate(u32),
    /// The resampler refused the input.
    #[error("resampling failed: {0}")]
    Resample(String),
}
