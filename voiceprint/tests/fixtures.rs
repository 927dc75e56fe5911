//! The committed voice fixtures behave as the API tests expect: speaker A's
//! verification clip matches A's voiceprint, speaker B's does not, the short
//! clip has under 3 s of speech and the noise clip none to speak of.

mod common;

use voiceprint::{preprocess, verify, Embedding, DEFAULT_THRESHOLD, MIN_SPEECH_SECONDS};

/// Distance from the threshold the fixtures must keep, so that they stay
/// useful if the threshold is tuned a little.
const MARGIN: f32 = 0.05;

fn voiceprint_of(speaker: &str) -> Embedding {
    let samples: Vec<Embedding> = (1..=3)
        .map(|i| common::embed_clip(&format!("speaker_{speaker}_enroll_{i}.wav")))
        .collect();
    Embedding::mean(&samples).expect("voiceprint")
}

fn speech_seconds(name: &str) -> f32 {
    let (samples, rate) = common::read_wav(name);
    preprocess(&samples, rate).expect("preprocess").seconds
}

#[test]
fn enrollment_clips_have_enough_speech() {
    for speaker in ["a", "b"] {
        for clip in ["enroll_1", "enroll_2", "enroll_3", "verify"] {
            let name = format!("speaker_{speaker}_{clip}.wav");
            let seconds = speech_seconds(&name);
            println!("{name}: {seconds:.2} s of speech");
            assert!(seconds >= 4.5, "{name}: {seconds} s");
            assert!(seconds >= MIN_SPEECH_SECONDS);
        }
    }
}

#[test]
fn short_and_noise_clips_have_too_little_speech() {
    let short = speech_seconds("short_speech.wav");
    let noise = speech_seconds("noise_only.wav");
    println!("short_speech.wav: {short:.2} s, noise_only.wav: {noise:.2} s");
    assert!(short > 0.5 && short < 3.0, "{short}");
    assert!(noise < 1.0, "{noise}");
}

#[test]
fn speaker_a_is_accepted_and_speaker_b_rejected() {
    let a = voiceprint_of("a");
    let b = voiceprint_of("b");
    let a_verify = common::embed_clip("speaker_a_verify.wav");
    let b_verify = common::embed_clip("speaker_b_verify.wav");
    let scores = [
        (
            "A verify vs A voiceprint",
            verify(&a, &a_verify, DEFAULT_THRESHOLD),
        ),
        (
            "B verify vs A voiceprint",
            verify(&a, &b_verify, DEFAULT_THRESHOLD),
        ),
        (
            "B verify vs B voiceprint",
            verify(&b, &b_verify, DEFAULT_THRESHOLD),
        ),
        (
            "A verify vs B voiceprint",
            verify(&b, &a_verify, DEFAULT_THRESHOLD),
        ),
    ];
    for (label, outcome) in &scores {
        println!(
            "{label}: {:.3} (threshold {DEFAULT_THRESHOLD})",
            outcome.score
        );
    }
    let [same_a, cross_ba, same_b, cross_ab] = scores.map(|(_, o)| o);
    for genuine in [same_a, same_b] {
        assert!(
            genuine.accepted && genuine.score >= DEFAULT_THRESHOLD + MARGIN,
            "{genuine:?}"
        );
    }
    for impostor in [cross_ba, cross_ab] {
        assert!(
            !impostor.accepted && impostor.score <= DEFAULT_THRESHOLD - MARGIN,
            "{impostor:?}"
        );
    }
    // The stored form gives the same decision.
    let stored = Embedding::from_bytes(&a.to_bytes()).expect("round trip");
    assert_eq!(verify(&stored, &a_verify, DEFAULT_THRESHOLD), same_a);
}
