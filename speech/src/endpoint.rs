//! Finds where speech is in a clip with PocketSphinx's WebRTC-based
//! endpointer. Decoding only that span (plus a margin) keeps long quiet
//! stretches from being heard as words: a second of near-silence after
//! "two thousand twenty" otherwise often comes out as "... twenty eight".

use std::ops::Range;
use std::ptr::NonNull;

use speech_sys as ps;

use crate::{SpeechError, SAMPLE_RATE};

/// Kept around the detected speech: the endpointer clips soft onsets such as
/// the "f" of "fifteenth" in noise.
const MARGIN_SECONDS: f64 = 0.25;

/// The samples of `pcm` (16 kHz mono) to decode, or `None` when the clip
/// holds no speech.
pub(crate) fn speech_span(pcm: &[i16]) -> Result<Option<Range<usize>>, SpeechError> {
    let ep = Endpointer::new()?;
    let frame = ep.frame_size();
    let mut start = None;
    let mut end = None;
    let mut frames = pcm.chunks_exact(frame);
    for chunk in &mut frames {
        let was_in_speech = ep.in_speech();
        ep.process(chunk);
        match (was_in_speech, ep.in_speech()) {
            (false, true) if start.is_none() => start = Some(ep.speech_start()),
            (true, false) => end = Some(ep.speech_end()),
            _ => {}
        }
    }
    if ep.in_speech() {
        ep.end_stream(frames.remainder());
        end = Some(ep.speech_end());
    }
    let (Some(start), Some(end)) = (start, end) else {
        return Ok(None);
    };
    let to_sample = |seconds: f64| (seconds.max(0.0) * f64::from(SAMPLE_RATE)).round() as usize;
    let from = to_sample(start - MARGIN_SECONDS).min(pcm.len());
    let to = to_sample(end + MARGIN_SECONDS).min(pcm.len());
    Ok((from < to).then_some(from..to))
}

struct Endpointer(NonNull<ps::ps_endpointer_t>);

// Each method calls the C endpointer on the pointer this value owns; frame
// slices are exactly frame_size() long (end_stream: at most that).
impl Endpointer {
    fn new() -> Result<Self, SpeechError> {
        // Zeros pick upstream's defaults: a 0.3 s window, 90% of frames to
        // switch, 30 ms frames. LOOSE is the least eager to call noise speech
        // off, so quiet answers are not lost.
        let ep =
            unsafe { ps::ps_endpointer_init(0.0, 0.0, ps::PS_VAD_LOOSE, SAMPLE_RATE as i32, 0.0) };
        NonNull::new(ep)
            .map(Self)
            .ok_or_else(|| SpeechError::Decoder("create the endpointer".into()))
    }

    fn frame_size(&self) -> usize {
        unsafe { ps::ps_endpointer_frame_size(self.0.as_ptr()) }
    }

    fn process(&self, frame: &[i16]) {
        debug_assert_eq!(frame.len(), self.frame_size());
        unsafe { ps::ps_endpointer_process(self.0.as_ptr(), frame.as_ptr()) };
    }

    fn end_stream(&self, rest: &[i16]) {
        let mut taken = 0;
        unsafe {
            ps::ps_endpointer_end_stream(self.0.as_ptr(), rest.as_ptr(), rest.len(), &mut taken)
        };
    }

    fn in_speech(&self) -> bool {
        unsafe { ps::ps_endpointer_in_speech(self.0.as_ptr()) != 0 }
    }

    fn speech_start(&self) -> f64 {
        unsafe { ps::ps_endpointer_speech_start(self.0.as_ptr()) }
    }

    fn speech_end(&self) -> f64 {
        unsafe { ps::ps_endpointer_speech_end(self.0.as_ptr()) }
    }
}

impl Drop for Endpointer {
    fn drop(&mut self) {
        unsafe { ps::ps_endpointer_free(self.0.as_ptr()) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(seconds: f64, amplitude: f64) -> Vec<i16> {
        let n = (seconds * f64::from(SAMPLE_RATE)) as usize;
        (0..n)
            .map(|i| {
                let t = i as f64 / f64::from(SAMPLE_RATE);
                // A vowel-like mix of a 150 Hz voice and two formants.
                let v = (2.0 * std::f64::consts::PI * 150.0 * t).sin()
                    + 0.6 * (2.0 * std::f64::consts::PI * 700.0 * t).sin()
                    + 0.4 * (2.0 * std::f64::consts::PI * 1200.0 * t).sin();
                (v / 2.0 * amplitude) as i16
            })
            .collect()
    }

    #[test]
    fn silence_and_empty_input_hold_no_speech() {
        assert_eq!(speech_span(&[]).unwrap(), None);
        assert_eq!(speech_span(&[0; 7]).unwrap(), None);
        assert_eq!(speech_span(&vec![0; 48_000]).unwrap(), None);
    }

    #[test]
    fn a_loud_voiced_stretch_is_found_with_its_margin() {
        let mut pcm = vec![0i16; 16_000];
        pcm.extend(tone(1.0, 12_000.0));
        pcm.extend(vec![0i16; 16_000]);
        let span = speech_span(&pcm).unwrap().expect("speech found");
        // Speech is at 1.0-2.0 s; the span starts within a window of it, with
        // the 0.25 s margin on each side, and stays inside the clip.
        assert!(span.start >= 8_000 && span.start <= 16_000, "{span:?}");
        assert!(span.end >= 32_000 && span.end <= 48_000, "{span:?}");
    }
}
