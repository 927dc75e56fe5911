//! Every generated answer in tests/fixtures/speech is transcribed to exactly
//! its expected words with its question's grammar.

mod common;

use std::sync::Arc;
use std::thread;

use common::{expect_named, fixtures_dir, manifest, read_wav, recognizer};
use speech::{Expect, Recognizer};

#[test]
fn each_fixture_is_transcribed_exactly() {
    let dir = fixtures_dir();
    let fixtures = manifest(&dir);
    assert!(fixtures.len() >= 15, "manifest lists {}", fixtures.len());
    let mut wrong = Vec::new();
    for fixture in &fixtures {
        let pcm = read_wav(&dir.join(&fixture.file));
        let heard = recognizer()
            .transcribe(&pcm, expect_named(&fixture.expect))
            .unwrap();
        assert!(heard.heard_speech, "{}: no speech detected", fixture.file);
        if heard.text != fixture.expected {
            wrong.push(format!(
                "{} ({}, {}): expected {:?}, heard {:?}",
                fixture.file, fixture.voice, fixture.expect, fixture.expected, heard.text
            ));
        }
    }
    assert!(wrong.is_empty(), "misrecognised:\n{}", wrong.join("\n"));
}

#[test]
fn a_grammar_only_yields_its_own_phrases() {
    // A gender answer asked as a yes/no confirmation can only come out as a
    // command or nothing: never as a word the confirmation cannot hold.
    let dir = fixtures_dir();
    let commands = ["", "skip", "go back", "back", "yes", "no"];
    for fixture in manifest(&dir).iter().filter(|f| f.expect == "gender") {
        let pcm = read_wav(&dir.join(&fixture.file));
        let heard = recognizer().transcribe(&pcm, Expect::Confirmation).unwrap();
        assert!(
            commands.contains(&heard.text.as_str()),
            "{}: {:?}",
            fixture.file,
            heard.text
        );
    }
    let pcm = read_wav(&dir.join("gender_female.wav"));
    let heard = recognizer().transcribe(&pcm, Expect::Date).unwrap();
    assert!(!heard.text.contains("female"), "{:?}", heard.text);
}

#[test]
fn float_audio_at_48_khz_gives_the_same_words() {
    let dir = fixtures_dir();
    let pcm = read_wav(&dir.join("dob_fifteenth_january_1990.wav"));
    let floats: Vec<f32> = pcm.iter().map(|&s| f32::from(s) / 32768.0).collect();
    let at_48k = upsample_3x(&floats);
    let heard = recognizer()
        .transcribe_f32(&at_48k, 48_000, Expect::Date)
        .unwrap();
    assert_eq!(heard.text, "fifteenth of january nineteen ninety");
}

#[test]
fn one_recognizer_serves_threads_at_once() {
    let dir = fixtures_dir();
    let shared: Arc<&'static Recognizer> = Arc::new(recognizer());
    let handles: Vec<_> = [
        ("gender_male.wav", Expect::Gender, "male"),
        (
            "dob_third_march_1991.wav",
            Expect::Date,
            "third of march nineteen ninety one",
        ),
        ("skip_on_date.wav", Expect::Date, "skip"),
    ]
    .into_iter()
    .map(|(file, expect, expected)| {
        let recognizer = Arc::clone(&shared);
        let pcm = read_wav(&dir.join(file));
        thread::spawn(move || {
            let heard = recognizer.transcribe(&pcm, expect).unwrap();
            assert_eq!(heard.text, expected, "{file}");
        })
    })
    .collect();
    for handle in handles {
        handle.join().expect("transcription thread");
    }
}

/// 16 kHz to 48 kHz by repeating each sample three times: crude, but the
/// recognizer's own resampler must then bring it back faithfully.
fn upsample_3x(samples: &[f32]) -> Vec<f32> {
    samples.iter().flat_map(|&s| [s, s, s]).collect()
}
