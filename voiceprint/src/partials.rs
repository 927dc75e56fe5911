//! Where an utterance is cut into 1.6 s partial utterances: resemblyzer's
//! `compute_partial_slices` with its defaults (1.3 partials a second, the last
//! one kept when at least 75 % of it is real audio).

use std::ops::Range;

use crate::params::{MEL_HOP, PARTIALS_MIN_COVERAGE, PARTIALS_RATE, PARTIAL_FRAMES, SAMPLE_RATE};

/// Mel-frame ranges of the partials of an utterance of `n_samples` samples;
/// always at least one. The audio must be zero-padded to
/// `last.end * MEL_HOP` samples before its spectrogram is taken.
pub fn partial_slices(n_samples: usize) -> Vec<Range<usize>> {
    let n_frames = (n_samples + 1).div_ceil(MEL_HOP);
    let frame_step = (f64::from(SAMPLE_RATE) / PARTIALS_RATE / MEL_HOP as f64).round() as usize;
    let steps = (n_frames + frame_step + 1)
        .saturating_sub(PARTIAL_FRAMES)
        .max(1);
    let mut slices: Vec<Range<usize>> = (0..steps)
        .step_by(frame_step)
        .map(|start| start..start + PARTIAL_FRAMES)
        .collect();
    if slices.len() > 1 {
        let last = &slices[slices.len() - 1];
        let start = last.start * MEL_HOP;
        let coverage = (n_samples as f64 - start as f64) / (PARTIAL_FRAMES * MEL_HOP) as f64;
        if coverage < PARTIALS_MIN_COVERAGE {
            slices.pop();
        }
    }
    slices
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_audio_gives_one_partial() {
        assert_eq!(partial_slices(0), vec![0..160]);
        assert_eq!(partial_slices(16_000), vec![0..160]);
    }

    #[test]
    fn partials_start_every_77_frames() {
        let slices = partial_slices(5 * 16_000);
        assert!(slices.len() > 2);
        for (i, s) in slices.iter().enumerate() {
            assert_eq!(s.start, 77 * i);
            assert_eq!(s.len(), 160);
        }
    }
}
