//! Shared by the tests and the bench: the fixture manifest, WAV reading and
//! one recognizer per process.
#![allow(dead_code)] // each test binary uses its own part

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Deserialize;
use speech::{Expect, Recognizer};

/// One answer of tests/fixtures/speech/manifest.json.
#[derive(Debug, Deserialize)]
pub struct Fixture {
    pub file: String,
    pub voice: String,
    pub expect: String,
    pub expected: String,
}

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/speech")
}

pub fn manifest(dir: &Path) -> Vec<Fixture> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn expect_named(name: &str) -> Expect {
    match name {
        "date" => Expect::Date,
        "gender" => Expect::Gender,
        "confirmation" => Expect::Confirmation,
        other => panic!("unknown expectation {other:?} in the manifest"),
    }
}

/// The samples of a 16 kHz mono 16-bit WAV file.
pub fn read_wav(path: &Path) -> Vec<i16> {
    let mut reader =
        hound::WavReader::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let spec = reader.spec();
    assert_eq!(
        (spec.sample_rate, spec.channels, spec.bits_per_sample),
        (speech::SAMPLE_RATE, 1, 16),
        "{}: fixtures are 16 kHz mono 16-bit",
        path.display()
    );
    reader
        .samples::<i16>()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Loaded once per test binary; a missing model fails with the error that
/// names `python3 models/speech.py`.
pub fn recognizer() -> &'static Recognizer {
    static RECOGNIZER: OnceLock<Recognizer> = OnceLock::new();
    RECOGNIZER.get_or_init(|| Recognizer::from_env().unwrap_or_else(|e| panic!("{e}")))
}
