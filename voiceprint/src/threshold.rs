//! The verification decision and its policy numbers.

use crate::embedding::Embedding;
use crate::error::VoiceError;

/// Environment variable the API reads the decision threshold from.
pub const THRESHOLD_ENV: &str = "VOICE_VERIFICATION_THRESHOLD";

/// Recommended cosine threshold; see the crate README for how it was chosen.
pub const DEFAULT_THRESHOLD: f32 = 0.80;

/// Speech (after silence trimming) the API asks of every sample.
pub const MIN_SPEECH_SECONDS: f32 = 4.0;

/// `VOICE_VERIFICATION_THRESHOLD` if set, else [`DEFAULT_THRESHOLD`]; a set
/// but unusable value is an error (a typo must not silently change security).
pub fn threshold_from_env() -> Result<f32, VoiceError> {
    match std::env::var(THRESHOLD_ENV) {
        Ok(value) => parse_threshold(&value),
        Err(std::env::VarError::NotPresent) => Ok(DEFAULT_THRESHOLD),
        Err(std::env::VarError::NotUnicode(v)) => Err(VoiceError::InvalidThreshold {
            value: v.to_string_lossy().into_owned(),
        }),
    }
}

/// A threshold in (0, 1).
pub fn parse_threshold(value: &str) -> Result<f32, VoiceError> {
    match value.trim().parse::<f32>() {
        Ok(t) if t > 0.0 && t < 1.0 => Ok(t),
        _ => Err(VoiceError::InvalidThreshold {
            value: value.to_owned(),
        }),
    }
}

/// The outcome of comparing a sample with a voiceprint.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verification {
    /// Cosine similarity of the two embeddings.
    pub score: f32,
    pub threshold: f32,
    /// `score >= threshold`.
    pub accepted: bool,
}

/// Compares a sample's embedding with an enrolled voiceprint.
pub fn verify(voiceprint: &Embedding, sample: &Embedding, threshold: f32) -> Verification {
    let score = voiceprint.cosine(sample);
    Verification {
        score,
        threshold,
        accepted: score >= threshold,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_outside_zero_one_are_refused() {
        assert_eq!(parse_threshold(" 0.75 ").unwrap(), 0.75);
        for bad in ["", "abc", "0", "1", "1.5", "-0.2", "NaN", "inf"] {
            assert!(parse_threshold(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn verify_accepts_at_or_above_the_threshold() {
        let a = Embedding::from_vector(&[1.0; 256]).unwrap();
        let mut v = [1.0; 256];
        v[..128].iter_mut().for_each(|x| *x = 0.0);
        let b = Embedding::from_vector(&v).unwrap();
        let score = a.cosine(&b);
        assert!(verify(&a, &b, score).accepted);
        assert!(!verify(&a, &b, score + 0.01).accepted);
        assert_eq!(verify(&a, &b, 0.5).score, score);
    }
}
