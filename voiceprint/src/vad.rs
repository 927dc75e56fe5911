//! Long-silence trimming, as resemblyzer's `trim_long_silences`: WebRTC VAD
//! (aggressiveness 3) on 30 ms windows, smoothed by a moving average, then
//! widened so that pauses of up to 6 windows inside speech are kept.

use webrtc_vad::{SampleRate, Vad, VadMode};

use crate::params::{VAD_AVERAGE_WIDTH, VAD_MAX_SILENCE, VAD_WINDOW};

/// Returns the samples of the windows judged as speech (16 kHz input). The
/// tail that does not fill a whole window is dropped, as in the original.
pub(crate) fn trim_long_silences(wav: &[f32]) -> Vec<f32> {
    let windows: Vec<&[f32]> = wav.chunks_exact(VAD_WINDOW).collect();
    let mut vad = Vad::new_with_rate_and_mode(SampleRate::Rate16kHz, VadMode::VeryAggressive);
    let mut pcm = vec![0i16; VAD_WINDOW];
    let flags: Vec<bool> = windows
        .iter()
        .map(|window| {
            for (out, &x) in pcm.iter_mut().zip(window.iter()) {
                *out = to_pcm16(x);
            }
            // Err only for a window length the VAD does not take; ours is fixed at 30 ms.
            vad.is_voice_segment(&pcm).unwrap_or(false)
        })
        .collect();
    let keep = dilate(&smooth(&flags), VAD_MAX_SILENCE / 2);
    windows
        .iter()
        .zip(keep)
        .filter(|(_, keep)| *keep)
        .flat_map(|(window, _)| window.iter().copied())
        .collect()
}

/// numpy's `np.round(x * 32767).astype(np.int16)`, except that samples out of
/// [-1, 1] saturate instead of wrapping around.
fn to_pcm16(x: f32) -> i16 {
    (x * i16::MAX as f32).round_ties_even() as i16
}

/// The original's moving average over `VAD_AVERAGE_WIDTH` windows (3 before,
/// 4 after, zeros past the ends) rounded half to even: a window counts as
/// voiced when more than half of its neighbourhood is.
fn smooth(flags: &[bool]) -> Vec<bool> {
    let before = (VAD_AVERAGE_WIDTH - 1) / 2;
    let after = VAD_AVERAGE_WIDTH / 2;
    (0..flags.len())
        .map(|i| {
            let lo = i.saturating_sub(before);
            let hi = (i + after + 1).min(flags.len());
            let voiced = flags[lo..hi].iter().filter(|&&f| f).count();
            2 * voiced > VAD_AVERAGE_WIDTH
        })
        .collect()
}

/// scipy's `binary_dilation` with a centred structuring element of
/// `2 * radius + 1` ones: a window is kept when any window within `radius` is.
fn dilate(mask: &[bool], radius: usize) -> Vec<bool> {
    (0..mask.len())
        .map(|i| {
            let lo = i.saturating_sub(radius);
            let hi = (i + radius + 1).min(mask.len());
            mask[lo..hi].iter().any(|&m| m)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smoothing_needs_a_majority_of_eight() {
        // Four voiced windows out of eight round to 0.5, which numpy rounds to 0.
        let four = [
            false, false, false, true, true, true, true, false, false, false, false,
        ];
        assert!(smooth(&four).iter().all(|&v| !v));
        // Five voiced windows: the result numpy gives for the same flags.
        let five = [
            false, false, true, true, true, true, true, false, false, false,
        ];
        let expected = [
            false, false, true, true, true, true, false, false, false, false,
        ];
        assert_eq!(smooth(&five), expected);
    }

    #[test]
    fn dilation_widens_by_the_radius_on_each_side() {
        let mut mask = vec![false; 11];
        mask[5] = true;
        let widened = dilate(&mask, 3);
        let expected: Vec<bool> = (0..11).map(|i| (2..=8).contains(&i)).collect();
        assert_eq!(widened, expected);
    }

    #[test]
    fn pcm_conversion_rounds_half_to_even_and_saturates() {
        assert_eq!(to_pcm16(0.5 / 32767.0), 0);
        assert_eq!(to_pcm16(1.5 / 32767.0), 2);
        assert_eq!(to_pcm16(2.0), i16::MAX);
        assert_eq!(to_pcm16(-2.0), i16::MIN);
    }

    #[test]
    fn silence_is_trimmed_away() {
        assert!(trim_long_silences(&vec![0.0; 16_000]).is_empty());
    }
}
