//! Shared by the integration tests: the fixture clips and the encoder.

#![allow(dead_code)] // each test file uses a different part

use std::path::PathBuf;
use std::sync::OnceLock;

use voiceprint::{preprocess, Embedding, Encoder};

/// `tests/fixtures/voice` at the repository root (made by its make.sh).
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/voice")
        .join(name)
}

/// A 16-bit mono WAV as f32 in [-1, 1) (int16 / 32768, as soundfile reads it).
pub fn read_wav(name: &str) -> (Vec<f32>, u32) {
    let path = fixture(name);
    let mut reader =
        hound::WavReader::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let spec = reader.spec();
    assert_eq!((spec.channels, spec.bits_per_sample), (1, 16), "{name}");
    let samples = reader
        .samples::<i16>()
        .map(|s| f32::from(s.expect("readable sample")) / 32768.0)
        .collect();
    (samples, spec.sample_rate)
}

/// The encoder, loaded once per test binary. Fails the test (never skips it)
/// when the model is absent; the message says how to fetch it.
pub fn encoder() -> &'static Encoder {
    static ENCODER: OnceLock<Encoder> = OnceLock::new();
    ENCODER.get_or_init(|| Encoder::from_env().unwrap_or_else(|e| panic!("{e}")))
}

/// Preprocess + embed a fixture clip.
pub fn embed_clip(name: &str) -> Embedding {
    let (samples, rate) = read_wav(name);
    let speech = preprocess(&samples, rate).unwrap_or_else(|e| panic!("{name}: {e}"));
    encoder()
        .embed(&speech)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}
