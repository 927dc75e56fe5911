//! Any-rate float audio to the model's 16 kHz 16-bit PCM, with rubato.

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{
    Async, FixedAsync, Resampler, SincInterpolationParameters, SincInterpolationType,
    WindowFunction,
};

use crate::recognizer::check_length;
use crate::{SpeechError, SAMPLE_RATE};

const RATES: std::ops::RangeInclusive<u32> = 8_000..=192_000;

/// Mono float samples (-1.0..=1.0; beyond is clipped, NaN is silence) at
/// `sample_rate` to 16 kHz PCM. Refuses over-long clips before any work.
pub fn to_pcm_16k(samples: &[f32], sample_rate: u32) -> Result<Vec<i16>, SpeechError> {
    if !RATES.contains(&sample_rate) {
        return Err(SpeechError::SampleRate(sample_rate));
    }
    check_length(samples.len(), sample_rate)?;
    let resampled = if sample_rate == SAMPLE_RATE || samples.is_empty() {
        samples.to_vec()
    } else {
        resample(samples, sample_rate)?
    };
    Ok(resampled.into_iter().map(to_i16).collect())
}

fn resample(samples: &[f32], sample_rate: u32) -> Result<Vec<f32>, SpeechError> {
    let error = |e: &dyn std::fmt::Display| SpeechError::Resample(e.to_string());
    // A sinc resampler takes any ratio (44.1 kHz, 22.05 kHz, odd device
    // rates); these are rubato's documented balanced-quality settings.
    let parameters = SincInterpolationParameters {
        sinc_len: 128,
        f_cutoff: None,
        interpolation: SincInterpolationType::Linear,
        oversampling_factor: 128,
        window: WindowFunction::BlackmanHarris2,
    };
    let ratio = f64::from(SAMPLE_RATE) / f64::from(sample_rate);
    let mut resampler = Async::<f32>::new_sinc(ratio, 1.0, &parameters, 1024, 1, FixedAsync::Input)
        .map_err(|e| error(&e))?;
    let input = InterleavedSlice::new(samples, 1, samples.len()).map_err(|e| error(&e))?;
    let output = resampler
        .process_all(&input, samples.len(), None)
        .map_err(|e| error(&e))?;
    Ok(output.take_data())
}

fn to_i16(sample: f32) -> i16 {
    // `as` saturates and maps NaN to 0.
    (sample.clamp(-1.0, 1.0) * f32::from(i16::MAX)).round() as i16
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(rate: u32, seconds: f32, hz: f32) -> Vec<f32> {
        let n = (rate as f32 * seconds) as usize;
        (0..n)
            .map(|i| 0.5 * (2.0 * std::f32::consts::PI * hz * i as f32 / rate as f32).sin())
            .collect()
    }

    #[test]
    fn keeps_duration_across_rates() {
        for rate in [8_000, 22_050, 44_100, 48_000] {
            let pcm = to_pcm_16k(&sine(rate, 1.0, 440.0), rate).unwrap();
            assert!(
                (pcm.len() as i64 - 16_000).abs() <= 2,
                "{rate}: {}",
                pcm.len()
            );
            let peak = pcm.iter().map(|s| s.unsigned_abs()).max().unwrap();
            assert!((15_000..=17_500).contains(&peak), "{rate}: peak {peak}");
        }
    }

    #[test]
    fn clips_and_silences_out_of_range_samples() {
        let pcm = to_pcm_16k(&[2.0, -2.0, f32::NAN, 0.5], SAMPLE_RATE).unwrap();
        assert_eq!(pcm, [i16::MAX, -i16::MAX, 0, 16_384]);
    }

    #[test]
    fn refuses_odd_rates_and_long_clips() {
        assert!(matches!(
            to_pcm_16k(&[0.0], 0),
            Err(SpeechError::SampleRate(0))
        ));
        assert!(matches!(
            to_pcm_16k(&[0.0], 1_000_000),
            Err(SpeechError::SampleRate(_))
        ));
        let long = vec![0.0; 8_000 * 31];
        assert!(matches!(
            to_pcm_16k(&long, 8_000),
            Err(SpeechError::TooLong { .. })
        ));
        assert_eq!(to_pcm_16k(&[], 44_100).unwrap(), Vec::<i16>::new());
    }
}
