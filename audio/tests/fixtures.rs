//! Real files of every accepted format (see `fixtures/README.md`): each is
//! sniffed, measured and decoded to the sine it holds.

use std::path::Path;

const MAX: u64 = 50 * audio::MB;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(name),
    )
    .unwrap()
}

/// A sine of amplitude 1/8 has an RMS of 0.088; ffmpeg's mono-to-stereo
/// upmix (the Ogg file) lowers both channels by 3 dB, to 0.0624 (what
/// `ffmpeg -af astats` reports for it).
const MONO_RMS: f32 = 0.088;
const UPMIXED_RMS: f32 = 0.0624;

/// (file, sniffed type, extension, sample rate, RMS of the mono mix)
const FILES: [(&str, &str, &str, u32, f32); 5] = [
    ("tone.wav", "audio/wav", "wav", 8000, MONO_RMS),
    ("tone.mp3", "audio/mpeg", "mp3", 16000, MONO_RMS),
    ("tone.ogg", "audio/ogg", "ogg", 22050, UPMIXED_RMS),
    ("tone.m4a", "audio/m4a", "m4a", 16000, MONO_RMS),
    ("tone.aac", "audio/aac", "aac", 16000, MONO_RMS),
];

#[test]
fn every_format_is_sniffed_and_measured() {
    for (name, content_type, extension, rate, _) in FILES {
        let c = audio::check(&fixture(name), MAX).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(c.content_type, content_type, "{name}");
        assert_eq!(c.extension, extension, "{name}");
        assert_eq!(c.sample_rate, Some(rate), "{name}");
        // Encoders pad to whole frames: within a few frames of 1.5 s.
        assert!(
            (c.duration_secs - 1.5).abs() < 0.15,
            "{name}: {}",
            c.duration_secs
        );
    }
}

#[test]
fn every_format_decodes_to_its_sine() {
    for (name, _, _, rate, expected_rms) in FILES {
        let pcm =
            audio::decode_mono(&fixture(name), 10.0).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(pcm.sample_rate, rate, "{name}");
        assert!(
            (pcm.duration_secs - 1.5).abs() < 0.15,
            "{name}: {}",
            pcm.duration_secs
        );
        let rms =
            (pcm.samples.iter().map(|s| s * s).sum::<f32>() / pcm.samples.len() as f32).sqrt();
        assert!((rms - expected_rms).abs() < 0.01, "{name}: rms {rms}");
        // 440 Hz crosses zero 880 times a second.
        let crossings = pcm
            .samples
            .windows(2)
            .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
            .count() as f64;
        let expected = 880.0 * pcm.duration_secs;
        assert!(
            (crossings - expected).abs() < expected * 0.1,
            "{name}: {crossings} crossings"
        );
    }
}

#[test]
fn decode_mono_refuses_before_decoding_past_the_limit() {
    for (name, ..) in FILES {
        assert!(
            matches!(
                audio::decode_mono(&fixture(name), 1.0),
                Err(audio::AudioError::TooLong { max_secs: 1, .. })
            ),
            "{name}"
        );
    }
}
