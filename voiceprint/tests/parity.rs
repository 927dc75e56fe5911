//! Parity with the original resemblyzer 0.1.4: golden outputs made by
//! `tests/golden/make_golden.py` (resemblyzer + torch + librosa + webrtcvad)
//! from the fixture clips, compared step by step with this crate's.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use voiceprint::{mel_spectrogram, partial_slices, preprocess, Embedding};

/// Required agreement between the Rust and the original embeddings.
const MIN_COSINE: f32 = 0.999;
/// Mel frames of identical audio: relative L2 error (f32 FFTs differ in rounding).
const MAX_MEL_ERROR: f32 = 1e-4;

#[derive(Deserialize)]
struct Golden {
    clip: String,
    declared_rate: u32,
    preprocessed_len: usize,
    mel_n_frames: usize,
    mel_frames: BTreeMap<String, Vec<f32>>,
    partial_slices: Vec<[usize; 2]>,
    partial_embeddings: Vec<Vec<f32>>,
    embedding: Vec<f32>,
}

fn goldens() -> Vec<(String, Golden)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut out: Vec<(String, Golden)> = std::fs::read_dir(&dir)
        .expect("tests/golden exists")
        .map(|entry| entry.expect("readable dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable golden");
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let golden = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, golden)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(
        out.len() >= 4,
        "expected the golden files in {}",
        dir.display()
    );
    out
}

fn relative_error(a: &[f32], b: &[f32]) -> f32 {
    let diff: f32 = a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum();
    let base: f32 = b.iter().map(|y| y * y).sum();
    (diff / base.max(f32::MIN_POSITIVE)).sqrt()
}

#[test]
fn embeddings_match_the_original_resemblyzer() {
    let mut failures = Vec::new();
    for (name, golden) in goldens() {
        let (samples, _) = common::read_wav(&golden.clip);
        let speech = preprocess(&samples, golden.declared_rate).expect("preprocess");
        let (embedding, partials) = common::encoder()
            .embed_with_partials(&speech)
            .expect("embed");
        let expected = Embedding::from_vector(&golden.embedding).expect("golden embedding");
        let cosine = embedding.cosine(&expected);
        let partial_cosines: Vec<f32> = partials
            .iter()
            .zip(&golden.partial_embeddings)
            .map(|(p, g)| p.cosine(&Embedding::from_vector(g).expect("golden partial")))
            .collect();
        let worst_partial = partial_cosines.iter().copied().fold(1.0f32, f32::min);
        let max_diff = embedding
            .as_slice()
            .iter()
            .zip(expected.as_slice())
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        println!(
            "{name}: speech {} vs {} samples, {} vs {} partials, cosine {cosine:.6}, \
             worst partial {worst_partial:.6}, largest element difference {max_diff:.1e}",
            speech.samples.len(),
            golden.preprocessed_len,
            partials.len(),
            golden.partial_embeddings.len(),
        );
        if cosine < MIN_COSINE {
            failures.push(format!("{name}: embedding cosine {cosine}"));
        }
        // Partials line up one to one only when the trimmed speech has the same length.
        if partials.len() == golden.partial_embeddings.len() && worst_partial < MIN_COSINE {
            failures.push(format!("{name}: partial cosines {partial_cosines:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// At the encoder's own rate nothing is resampled, so preprocessing (volume,
/// VAD, trimming), the partial slices and the mel features must agree exactly
/// or to rounding.
#[test]
fn preprocessing_and_features_match_at_16_khz() {
    for (name, golden) in goldens()
        .into_iter()
        .filter(|(_, g)| g.declared_rate == 16_000)
    {
        let (samples, _) = common::read_wav(&golden.clip);
        let speech = preprocess(&samples, 16_000).expect("preprocess");
        assert_eq!(
            speech.samples.len(),
            golden.preprocessed_len,
            "{name}: trimmed length"
        );
        let slices: Vec<[usize; 2]> = partial_slices(speech.samples.len())
            .into_iter()
            .map(|r| [r.start * 160, r.end * 160])
            .collect();
        assert_eq!(slices, golden.partial_slices, "{name}: partial slices");
        let mel = mel_spectrogram(&speech.samples);
        assert_eq!(mel.len(), golden.mel_n_frames, "{name}: mel frames");
        for (index, expected) in &golden.mel_frames {
            let index: usize = index.parse().expect("frame index");
            let error = relative_error(&mel[index], expected);
            assert!(
                error < MAX_MEL_ERROR,
                "{name}: mel frame {index} relative error {error}"
            );
        }
    }
}

/// Other input rates go through rubato here and soxr in the original: the
/// trimmed speech may differ by a VAD window or two, the embedding must not.
#[test]
fn resampled_input_keeps_the_same_speech_length() {
    for (name, golden) in goldens()
        .into_iter()
        .filter(|(_, g)| g.declared_rate != 16_000)
    {
        let (samples, _) = common::read_wav(&golden.clip);
        let speech = preprocess(&samples, golden.declared_rate).expect("preprocess");
        let windows = speech.samples.len().abs_diff(golden.preprocessed_len) / 480;
        assert!(
            windows <= 2,
            "{name}: {} vs {} samples",
            speech.samples.len(),
            golden.preprocessed_len
        );
    }
}
