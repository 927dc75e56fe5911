//! Loading and embedding through the public API: a missing or broken model is
//! a clear error, odd speech never panics, and the embedding is a unit vector.

mod common;

use voiceprint::{preprocess, Encoder, Speech, VoiceError, MODEL_FILE};

#[test]
fn a_missing_model_says_how_to_fetch_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let err = Encoder::load(dir.path()).err().expect("no model there");
    assert!(matches!(err, VoiceError::ModelMissing { .. }), "{err:?}");
    assert!(
        err.to_string().contains("python3 models/voiceprint.py"),
        "{err}"
    );
}

#[test]
fn a_broken_model_file_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(MODEL_FILE), b"not safetensors").expect("write");
    let err = Encoder::load(dir.path()).err().expect("broken model");
    assert!(matches!(err, VoiceError::ModelInvalid { .. }), "{err:?}");
}

#[test]
fn embeddings_are_unit_vectors_and_deterministic() {
    let (samples, rate) = common::read_wav("speaker_a_verify.wav");
    let speech = preprocess(&samples, rate).expect("preprocess");
    let first = common::encoder().embed(&speech).expect("embed");
    let norm: f32 = first.as_slice().iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!((norm - 1.0).abs() < 1e-5, "{norm}");
    assert_eq!(first.as_slice().len(), voiceprint::EMBEDDING_DIM);
    assert_eq!(
        common::encoder().embed(&speech).expect("embed again"),
        first
    );
}

#[test]
fn odd_speech_is_an_error_or_an_embedding_never_a_panic() {
    let encoder = common::encoder();
    let empty = Speech {
        samples: vec![],
        seconds: 0.0,
    };
    assert!(matches!(encoder.embed(&empty), Err(VoiceError::NoSpeech)));
    let nan = Speech {
        samples: vec![f32::NAN; 16_000],
        seconds: 1.0,
    };
    assert!(matches!(
        encoder.embed(&nan),
        Err(VoiceError::NonFiniteSamples)
    ));
    // Digital silence reaches the network as all-zero features.
    let silence = Speech {
        samples: vec![0.0; 16_000],
        seconds: 1.0,
    };
    match encoder.embed(&silence) {
        Ok(e) => assert!(e.as_slice().iter().all(|x| x.is_finite())),
        Err(e) => assert!(matches!(e, VoiceError::Inference(_)), "{e:?}"),
    }
    // Extreme but finite samples (clipping far beyond full scale).
    let loud = Speech {
        samples: (0..32_000)
            .map(|i| if i % 2 == 0 { 1e6 } else { -1e6 })
            .collect(),
        seconds: 2.0,
    };
    if let Ok(e) = encoder.embed(&loud) {
        assert!(e.as_slice().iter().all(|x| x.is_finite()));
    }
}

#[test]
fn the_whole_pipeline_survives_hostile_input() {
    let encoder = common::encoder();
    let inputs: Vec<(Vec<f32>, u32)> = vec![
        (vec![], 16_000),
        (vec![0.0; 1], 16_000),
        (vec![1.0; 48_000], 48_000),
        (vec![f32::MAX; 16_000], 16_000),
        (vec![0.5; 10], 8_000),
        (vec![0.0; 16_000], 0),
        (vec![0.0; 16_000], u32::MAX),
        (
            (0..44_100)
                .map(|i| ((i * 7919) % 2001) as f32 / 1000.0 - 1.0)
                .collect(),
            44_100,
        ),
    ];
    for (samples, rate) in inputs {
        if let Ok(speech) = preprocess(&samples, rate) {
            if let Ok(e) = encoder.embed(&speech) {
                assert!(e.as_slice().iter().all(|x| x.is_finite()), "{rate} Hz");
            }
        }
    }
}
