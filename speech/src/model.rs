//! Where the model lives and what it must hold (see models/README.md).

use std::env;
use std::path::{Path, PathBuf};

use crate::SpeechError;

/// The variable naming the model folder (in Lambda: the layer, e.g. /opt/speech).
pub const MODEL_DIR_ENV: &str = "SPEECH_MODEL_DIR";
/// What writes the model folder, named in every "model missing" error.
pub const FETCH_COMMAND: &str = "python3 models/speech.py";

const ACOUSTIC_DIR: &str = "en-us";
const ACOUSTIC_FILES: [&str; 7] = [
    "feat.params",
    "mdef",
    "means",
    "noisedict",
    "sendump",
    "transition_matrices",
    "variances",
];
const DICTIONARY: &str = "cmudict-en-us.dict";

/// `$SPEECH_MODEL_DIR`, else `<workspace root>/.models/speech` (where
/// `models/speech.py` writes it).
pub fn default_model_dir() -> PathBuf {
    env::var_os(MODEL_DIR_ENV)
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join(".models")
                .join("speech")
        })
}

/// The checked paths of a model folder.
#[derive(Debug)]
pub(crate) struct ModelFiles {
    pub acoustic: PathBuf,
    pub dictionary: PathBuf,
}

impl ModelFiles {
    pub fn locate(dir: &Path) -> Result<Self, SpeechError> {
        let acoustic = dir.join(ACOUSTIC_DIR);
        let dictionary = dir.join(DICTIONARY);
        let required = ACOUSTIC_FILES
            .iter()
            .map(|file| acoustic.join(file))
            .chain([dictionary.clone()]);
        for path in required {
            if !path.is_file() {
                let missing = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                return Err(SpeechError::ModelMissing {
                    dir: dir.to_path_buf(),
                    missing,
                });
            }
        }
        Ok(Self {
            acoustic,
            dictionary,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_model_names_the_file_and_the_script() {
        let empty = std::env::temp_dir().join("speech-model-dir-that-does-not-exist");
        let err = ModelFiles::locate(&empty).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("en-us/feat.params"), "{message}");
        assert!(message.contains("python3 models/speech.py"), "{message}");
        assert!(message.contains("SPEECH_MODEL_DIR"), "{message}");
    }
}
