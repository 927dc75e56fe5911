//! Inputs a client can send that are not answers: nothing panics, silence and
//! noise give empty transcripts, over-long audio is refused.

mod common;

use common::recognizer;
use speech::{Expect, SpeechError, MAX_AUDIO_SECONDS, SAMPLE_RATE};

fn seconds(s: f64) -> usize {
    (s * f64::from(SAMPLE_RATE)) as usize
}

/// Deterministic white noise (xorshift), `amplitude` in sample units.
fn noise(len: usize, amplitude: f64) -> Vec<i16> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let unit = (state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0;
            (unit * amplitude) as i16
        })
        .collect()
}

#[test]
fn empty_and_tiny_inputs_give_empty_transcripts() {
    for pcm in [vec![], vec![0], vec![i16::MAX], vec![0; 479], vec![0; 481]] {
        for expect in Expect::ALL {
            let heard = recognizer().transcribe(&pcm, expect).unwrap();
            assert_eq!(heard.text, "", "{} samples", pcm.len());
            assert!(!heard.heard_speech);
        }
    }
}

#[test]
fn silence_and_faint_noise_give_empty_transcripts() {
    for pcm in [vec![0; seconds(3.0)], noise(seconds(3.0), 100.0)] {
        let heard = recognizer().transcribe(&pcm, Expect::Date).unwrap();
        assert_eq!(heard.text, "");
        assert!(!heard.heard_speech);
    }
}

#[test]
fn loud_garbage_does_not_panic_and_yields_only_grammar_words() {
    let square: Vec<i16> = (0..seconds(2.0))
        .map(|i| {
            if (i / 40) % 2 == 0 {
                i16::MAX
            } else {
                i16::MIN
            }
        })
        .collect();
    for pcm in [noise(seconds(2.0), 30_000.0), square] {
        for expect in Expect::ALL {
            let heard = recognizer().transcribe(&pcm, expect).unwrap();
            let vocabulary = expect.words();
            assert!(
                heard.words().all(|w| vocabulary.contains(w)),
                "{expect:?}: {:?}",
                heard.text
            );
        }
    }
}

#[test]
fn over_long_audio_is_refused_before_decoding() {
    let limit = seconds(f64::from(MAX_AUDIO_SECONDS));
    assert!(recognizer()
        .transcribe(&vec![0; limit], Expect::Date)
        .is_ok());
    let err = recognizer()
        .transcribe(&vec![0; limit + 1], Expect::Date)
        .unwrap_err();
    assert!(matches!(err, SpeechError::TooLong { max, .. } if max == MAX_AUDIO_SECONDS));
}

#[test]
fn a_missing_model_names_the_script_that_fetches_it() {
    let empty = tempfile::tempdir().unwrap();
    let err = speech::Recognizer::load(empty.path())
        .err()
        .expect("loading an empty folder fails");
    assert!(matches!(err, SpeechError::ModelMissing { .. }));
    assert!(
        err.to_string().contains("python3 models/speech.py"),
        "{err}"
    );
}
