//! Where the converted model lives.

use std::path::{Path, PathBuf};

/// Overrides the model directory (in Lambda: the layer, under /opt).
pub const MODEL_DIR_ENV: &str = "VOICEPRINT_MODEL_DIR";
/// The weights file `models/voiceprint.py` writes.
pub const MODEL_FILE: &str = "encoder.safetensors";

/// `VOICEPRINT_MODEL_DIR` when set, else [`default_model_dir`].
pub fn model_dir() -> PathBuf {
    match std::env::var_os(MODEL_DIR_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => default_model_dir(),
    }
}

/// `<repository root>/.models/voiceprint`, where `python3 models/voiceprint.py`
/// puts the model (tests and local runs).
pub fn default_model_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(".models")
        .join("voiceprint")
}
