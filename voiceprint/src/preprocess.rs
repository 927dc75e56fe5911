//! From client audio to the speech the encoder reads: checks, resampling to
//! 16 kHz, volume normalisation and long-silence trimming (resemblyzer's
//! `preprocess_wav`).

use crate::error::VoiceError;
use crate::params::{SAMPLE_RATE, TARGET_DBFS};
use crate::{resample, vad};

/// Input sample rates accepted: telephone quality up to studio rates.
pub const MIN_INPUT_RATE: u32 = 8_000;
pub const MAX_INPUT_RATE: u32 = 384_000;
/// Longest input accepted, which bounds memory and time per request.
pub const MAX_INPUT_SECONDS: f64 = 600.0;

/// Preprocessed speech at 16 kHz, long silences removed.
#[derive(Debug, Clone, PartialEq)]
pub struct Speech {
    pub samples: Vec<f32>,
    /// Duration of the speech kept after trimming, in seconds.
    pub seconds: f32,
}

impl Speech {
    /// Refuses speech shorter than `min_seconds` (see [`crate::MIN_SPEECH_SECONDS`]).
    pub fn require_seconds(&self, min_seconds: f32) -> Result<(), VoiceError> {
        if self.seconds < min_seconds {
            return Err(VoiceError::NotEnoughSpeech {
                seconds: self.seconds,
                required: min_seconds,
            });
        }
        Ok(())
    }
}

/// Mono PCM in [-1, 1] at `sample_rate` to [`Speech`]. Never panics: empty,
/// non-finite, over-long or oddly sampled input is an error; silence gives
/// `Speech` of 0 s (the caller decides how much speech is enough).
pub fn preprocess(samples: &[f32], sample_rate: u32) -> Result<Speech, VoiceError> {
    if !(MIN_INPUT_RATE..=MAX_INPUT_RATE).contains(&sample_rate) {
        return Err(VoiceError::UnsupportedSampleRate(sample_rate));
    }
    if samples.is_empty() {
        return Err(VoiceError::EmptyAudio);
    }
    let seconds = samples.len() as f64 / f64::from(sample_rate);
    if seconds > MAX_INPUT_SECONDS {
        return Err(VoiceError::AudioTooLong {
            seconds,
            max: MAX_INPUT_SECONDS,
        });
    }
    if samples.iter().any(|x| !x.is_finite()) {
        return Err(VoiceError::NonFiniteSamples);
    }
    let mut wav = resample::to_encoder_rate(samples, sample_rate)?;
    raise_volume(&mut wav, TARGET_DBFS);
    let samples = vad::trim_long_silences(&wav);
    let seconds = samples.len() as f32 / SAMPLE_RATE as f32;
    Ok(Speech { samples, seconds })
}

/// Raises quiet audio to `target_dbfs` (RMS, full scale = int16 max); never
/// lowers it. Digital silence is left alone (the original would divide by 0).
fn raise_volume(wav: &mut [f32], target_dbfs: f64) {
    let scale = f64::from(i16::MAX);
    let mean_square = wav
        .iter()
        .map(|&x| (f64::from(x) * scale).powi(2))
        .sum::<f64>()
        / wav.len().max(1) as f64;
    if mean_square <= 0.0 {
        return;
    }
    let dbfs = 20.0 * (mean_square.sqrt() / scale).log10();
    let change = target_dbfs - dbfs;
    if change > 0.0 {
        let gain = 10f64.powf(change / 20.0) as f32;
        wav.iter_mut().for_each(|x| *x *= gain);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rms_dbfs(wav: &[f32]) -> f64 {
        let ms = wav.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>() / wav.len() as f64;
        10.0 * ms.log10()
    }

    #[test]
    fn quiet_audio_is_raised_to_the_target() {
        let mut wav: Vec<f32> = (0..1600).map(|i| 0.001 * (i as f32 * 0.1).sin()).collect();
        raise_volume(&mut wav, -30.0);
        assert!((rms_dbfs(&wav) + 30.0).abs() < 0.01, "{}", rms_dbfs(&wav));
    }

    #[test]
    fn loud_audio_and_silence_are_left_alone() {
        let loud: Vec<f32> = (0..1600).map(|i| 0.5 * (i as f32 * 0.1).sin()).collect();
        let mut copy = loud.clone();
        raise_volume(&mut copy, -30.0);
        assert_eq!(copy, loud);
        let mut silence = vec![0.0; 100];
        raise_volume(&mut silence, -30.0);
        assert_eq!(silence, vec![0.0; 100]);
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        let tone: Vec<f32> = (0..16_000).map(|i| (i as f32 * 0.05).sin()).collect();
        assert!(matches!(
            preprocess(&[], 16_000),
            Err(VoiceError::EmptyAudio)
        ));
        assert!(matches!(
            preprocess(&tone, 0),
            Err(VoiceError::UnsupportedSampleRate(0))
        ));
        assert!(matches!(
            preprocess(&tone, u32::MAX),
            Err(VoiceError::UnsupportedSampleRate(_))
        ));
        let mut nan = tone.clone();
        nan[100] = f32::NAN;
        assert!(matches!(
            preprocess(&nan, 16_000),
            Err(VoiceError::NonFiniteSamples)
        ));
        let mut inf = tone.clone();
        inf[7] = f32::NEG_INFINITY;
        assert!(matches!(
            preprocess(&inf, 16_000),
            Err(VoiceError::NonFiniteSamples)
        ));
        let long = vec![0.0; 8_000 * 601];
        assert!(matches!(
            preprocess(&long, 8_000),
            Err(VoiceError::AudioTooLong { .. })
        ));
    }

    #[test]
    fn silence_gives_no_speech() {
        let speech = preprocess(&vec![0.0; 48_000], 48_000).unwrap();
        assert_eq!(speech.seconds, 0.0);
        assert!(speech.samples.is_empty());
        assert!(matches!(
            speech.require_seconds(4.0),
            Err(VoiceError::NotEnoughSpeech { .. })
        ));
    }

    #[test]
    fn any_rate_in_range_comes_out_at_16_khz() {
        for rate in [8_000, 11_025, 22_050, 44_100, 48_000, 96_000, 12_347] {
            let tone: Vec<f32> = (0..rate as usize)
                .map(|i| 0.3 * (i as f32 * 440.0 * std::f32::consts::TAU / rate as f32).sin())
                .collect();
            let out = resample::to_encoder_rate(&tone, rate).unwrap();
            assert!(out.len().abs_diff(16_000) <= 1, "{rate}: {}", out.len());
        }
    }
}
