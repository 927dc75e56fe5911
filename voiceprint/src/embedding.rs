//! Speaker embeddings (voiceprints): unit vectors compared by cosine, stored
//! as a small tagged binary.

use crate::error::VoiceError;
use crate::params::EMBEDDING_DIM;

/// Binary form: "VP", format version, model id, then 256 little-endian f32.
const MAGIC: &[u8; 2] = b"VP";
const FORMAT_VERSION: u8 = 1;
/// Bumped with the model: embeddings of different encoders are not comparable.
const MODEL_ID: u8 = 1;
const HEADER_LEN: usize = 4;
/// Tolerance on the norm of stored embeddings (f32 round trips are exact; this
/// only rejects bytes that never were an embedding).
const NORM_TOLERANCE: f32 = 1e-3;

/// A 256-float unit-norm speaker embedding.
#[derive(Debug, Clone, PartialEq)]
pub struct Embedding([f32; EMBEDDING_DIM]);

impl Embedding {
    /// Size of [`Embedding::to_bytes`]'s output.
    pub const BYTES_LEN: usize = HEADER_LEN + 4 * EMBEDDING_DIM;

    /// Normalises a raw 256-float vector; an error when it has the wrong
    /// length, a non-finite value or no direction (all zeros).
    pub fn from_vector(values: &[f32]) -> Result<Self, VoiceError> {
        let values: [f32; EMBEDDING_DIM] = values
            .try_into()
            .map_err(|_| VoiceError::InvalidEmbedding("not 256 values"))?;
        let norm = norm(&values);
        if !norm.is_finite() || norm == 0.0 {
            return Err(VoiceError::InvalidEmbedding("zero or non-finite vector"));
        }
        Ok(Embedding(values.map(|x| x / norm)))
    }

    pub fn as_slice(&self) -> &[f32] {
        &self.0
    }

    /// Cosine similarity, in [-1, 1] (in practice [0, 1]: the encoder's
    /// outputs are non-negative). Higher means more alike.
    pub fn cosine(&self, other: &Embedding) -> f32 {
        let dot: f32 = self.0.iter().zip(&other.0).map(|(a, b)| a * b).sum();
        // Both are unit vectors; dividing again guards against rounding drift.
        (dot / (norm(&self.0) * norm(&other.0))).clamp(-1.0, 1.0)
    }

    /// The voiceprint of several samples: their normalised mean (how
    /// resemblyzer's `embed_speaker` and `embed_utterance` combine embeddings).
    pub fn mean(embeddings: &[Embedding]) -> Result<Embedding, VoiceError> {
        if embeddings.is_empty() {
            return Err(VoiceError::NoEmbeddings);
        }
        let mut sum = [0f32; EMBEDDING_DIM];
        for e in embeddings {
            for (s, x) in sum.iter_mut().zip(&e.0) {
                *s += x;
            }
        }
        let n = embeddings.len() as f32;
        Embedding::from_vector(&sum.map(|s| s / n))
    }

    /// 1028 bytes: "VP", format version 1, model id 1, 256 little-endian f32.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(Self::BYTES_LEN);
        out.extend_from_slice(MAGIC);
        out.push(FORMAT_VERSION);
        out.push(MODEL_ID);
        for x in &self.0 {
            out.extend_from_slice(&x.to_le_bytes());
        }
        out
    }

    /// Reads [`Embedding::to_bytes`]'s output back, refusing anything else:
    /// wrong size or tag, another format version or model, a vector that is
    /// not unit-norm.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, VoiceError> {
        if bytes.len() != Self::BYTES_LEN {
            return Err(VoiceError::InvalidEmbedding("wrong length"));
        }
        if &bytes[..2] != MAGIC {
            return Err(VoiceError::InvalidEmbedding("not a voiceprint"));
        }
        if bytes[2] != FORMAT_VERSION {
            return Err(VoiceError::InvalidEmbedding("unknown format version"));
        }
        if bytes[3] != MODEL_ID {
            return Err(VoiceError::InvalidEmbedding(
                "made by another speaker encoder: enroll again",
            ));
        }
        let mut values = [0f32; EMBEDDING_DIM];
        for (v, chunk) in values.iter_mut().zip(bytes[HEADER_LEN..].chunks_exact(4)) {
            *v = f32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        let norm = norm(&values);
        if !norm.is_finite() || (norm - 1.0).abs() > NORM_TOLERANCE {
            return Err(VoiceError::InvalidEmbedding("not a unit vector"));
        }
        Ok(Embedding(values))
    }
}

fn norm(values: &[f32]) -> f32 {
    values.iter().map(|x| x * x).sum::<f32>().sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basis(i: usize) -> Embedding {
        let mut v = [0f32; EMBEDDING_DIM];
        v[i] = 1.0;
        Embedding::from_vector(&v).unwrap()
    }

    fn ramp(offset: f32) -> Embedding {
        let v: Vec<f32> = (0..EMBEDDING_DIM)
            .map(|i| (i as f32 + offset).sin().abs())
            .collect();
        Embedding::from_vector(&v).unwrap()
    }

    #[test]
    fn from_vector_normalises_and_refuses_degenerate_vectors() {
        let e = Embedding::from_vector(&[3.0; EMBEDDING_DIM]).unwrap();
        assert!((norm(e.as_slice()) - 1.0).abs() < 1e-6);
        assert!(Embedding::from_vector(&[0.0; EMBEDDING_DIM]).is_err());
        assert!(Embedding::from_vector(&[1.0; 10]).is_err());
        let mut nan = [1.0; EMBEDDING_DIM];
        nan[3] = f32::NAN;
        assert!(Embedding::from_vector(&nan).is_err());
    }

    #[test]
    fn cosine_of_same_orthogonal_and_opposite() {
        let a = ramp(0.0);
        assert!((a.cosine(&a) - 1.0).abs() < 1e-6);
        assert_eq!(basis(0).cosine(&basis(1)), 0.0);
        let neg =
            Embedding::from_vector(&a.as_slice().iter().map(|x| -x).collect::<Vec<_>>()).unwrap();
        assert!((a.cosine(&neg) + 1.0).abs() < 1e-6);
    }

    #[test]
    fn mean_is_the_normalised_average() {
        let m = Embedding::mean(&[basis(0), basis(1)]).unwrap();
        let h = std::f32::consts::FRAC_1_SQRT_2;
        assert!((m.as_slice()[0] - h).abs() < 1e-6 && (m.as_slice()[1] - h).abs() < 1e-6);
        // One embedding is its own mean (renormalising may move the last bit).
        let single = Embedding::mean(&[ramp(1.0)]).unwrap();
        assert!(single.cosine(&ramp(1.0)) > 1.0 - 1e-6);
        assert!(matches!(
            Embedding::mean(&[]),
            Err(VoiceError::NoEmbeddings)
        ));
    }

    #[test]
    fn bytes_round_trip_exactly() {
        let e = ramp(2.5);
        let bytes = e.to_bytes();
        assert_eq!(bytes.len(), Embedding::BYTES_LEN);
        assert_eq!(&bytes[..4], b"VP\x01\x01");
        assert_eq!(Embedding::from_bytes(&bytes).unwrap(), e);
    }

    #[test]
    fn from_bytes_refuses_anything_else() {
        let good = ramp(0.5).to_bytes();
        assert!(Embedding::from_bytes(&[]).is_err());
        assert!(Embedding::from_bytes(&good[..good.len() - 1]).is_err());
        for at in 0..4 {
            let mut bad = good.clone();
            bad[at] ^= 0xff;
            assert!(Embedding::from_bytes(&bad).is_err(), "header byte {at}");
        }
        let mut scaled = good.clone();
        scaled[4..8].copy_from_slice(&10.0f32.to_le_bytes());
        assert!(Embedding::from_bytes(&scaled).is_err());
        let mut nan = good;
        nan[8..12].copy_from_slice(&f32::NAN.to_le_bytes());
        assert!(Embedding::from_bytes(&nan).is_err());
    }
}
