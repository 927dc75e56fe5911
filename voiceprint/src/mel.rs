//! Mel power spectrogram as resemblyzer's `wav_to_mel_spectrogram` makes it
//! with librosa's defaults: centred frames (zero padding), periodic Hann
//! window, |STFT|^2, Slaney mel filterbank (`librosa.filters.mel`, via the
//! mel_filter crate). Not logarithmic: the encoder was trained on power.

use std::sync::{Arc, OnceLock};

use mel_filter::{mel, NormalizationFactor};
use realfft::{RealFftPlanner, RealToComplex};

use crate::params::{MEL_BANDS, MEL_HOP, MEL_WINDOW, SAMPLE_RATE};

/// One frame of mel energies.
pub type MelFrame = [f32; MEL_BANDS];

struct MelBasis {
    fft: Arc<dyn RealToComplex<f32>>,
    window: Vec<f32>,
    /// `MEL_BANDS` rows of `MEL_WINDOW / 2 + 1` weights.
    filters: Vec<Vec<f32>>,
}

fn basis() -> &'static MelBasis {
    static BASIS: OnceLock<MelBasis> = OnceLock::new();
    BASIS.get_or_init(|| {
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(MEL_WINDOW);
        // scipy's periodic Hann (get_window("hann", n, fftbins=True)).
        let window = (0..MEL_WINDOW)
            .map(|n| {
                let phase = std::f64::consts::TAU * n as f64 / MEL_WINDOW as f64;
                (0.5 - 0.5 * phase.cos()) as f32
            })
            .collect();
        let filters = mel::<f64>(
            SAMPLE_RATE as usize,
            MEL_WINDOW,
            Some(MEL_BANDS),
            None,
            None,
            false,
            NormalizationFactor::One,
        )
        .into_iter()
        .map(|row| row.into_iter().map(|w| w as f32).collect())
        .collect();
        MelBasis {
            fft,
            window,
            filters,
        }
    })
}

/// Mel spectrogram of 16 kHz audio: `1 + len / 160` frames of 40 bands.
pub fn mel_spectrogram(wav: &[f32]) -> Vec<MelFrame> {
    let basis = basis();
    let half = MEL_WINDOW / 2;
    let n_frames = 1 + wav.len() / MEL_HOP;
    let mut frame = basis.fft.make_input_vec();
    let mut spectrum = basis.fft.make_output_vec();
    let mut scratch = basis.fft.make_scratch_vec();
    let mut power = vec![0f32; spectrum.len()];
    (0..n_frames)
        .map(|t| {
            // Frame t is centred on sample t * hop; outside the signal is zero.
            for (k, out) in frame.iter_mut().enumerate() {
                let x = (t * MEL_HOP + k)
                    .checked_sub(half)
                    .and_then(|i| wav.get(i))
                    .copied()
                    .unwrap_or(0.0);
                *out = x * basis.window[k];
            }
            // Lengths come from the planner itself, so this cannot fail.
            let _ = basis
                .fft
                .process_with_scratch(&mut frame, &mut spectrum, &mut scratch);
            for (p, c) in power.iter_mut().zip(&spectrum) {
                *p = c.norm_sqr();
            }
            let mut bands = [0f32; MEL_BANDS];
            for (band, weights) in bands.iter_mut().zip(&basis.filters) {
                *band = weights.iter().zip(&power).map(|(w, p)| w * p).sum();
            }
            bands
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_count_matches_librosa_centred_frames() {
        assert_eq!(mel_spectrogram(&[0.0; 1]).len(), 1);
        assert_eq!(mel_spectrogram(&[0.0; 159]).len(), 1);
        assert_eq!(mel_spectrogram(&[0.0; 160]).len(), 2);
        assert_eq!(mel_spectrogram(&[0.0; 16_000]).len(), 101);
    }

    #[test]
    fn a_tone_lights_the_band_that_holds_its_frequency() {
        // The loudest band must be the one centred nearest 1 kHz.
        let tone: Vec<f32> = (0..16_000)
            .map(|i| (i as f32 * 1000.0 * std::f32::consts::TAU / 16_000.0).sin())
            .collect();
        let frames = mel_spectrogram(&tone);
        let middle = &frames[50];
        let loudest = (0..MEL_BANDS)
            .max_by(|&a, &b| middle[a].total_cmp(&middle[b]))
            .unwrap();
        let centre_hz = |band: usize| {
            mel_filter::mel_frequencies::<f64>(Some(MEL_BANDS + 2), None, Some(8000.0), false)
                [band + 1]
        };
        assert!(
            (centre_hz(loudest) - 1000.0).abs() < 150.0,
            "band {loudest} centred at {} Hz",
            centre_hz(loudest)
        );
    }
}
