//! Sanity bounds on what a container says about its audio, checked before
//! any decoder runs (one definition for WAV headers and for every format
//! Symphonia probes).

use std::ops::RangeInclusive;

/// Voice notes are mono or stereo; 8 is 7.1 surround, the most channels a
/// consumer recorder or phone writes. The crafted WAV that made Symphonia
/// overflow claimed 65535.
pub const MAX_CHANNELS: u16 = 8;

/// 8 kHz is telephone speech, the lowest rate voice recorders use (and
/// MPEG-2.5's lowest); 192 kHz is the highest studio recording rate. Outside
/// this range a header is lying (2^32-1 Hz was seen in an attack run).
pub const SAMPLE_RATES: RangeInclusive<u32> = 8_000..=192_000;

/// Whether a channel count and sample rate are believable.
pub fn plausible(channels: usize, sample_rate: u32) -> bool {
    (1..=usize::from(MAX_CHANNELS)).contains(&channels) && SAMPLE_RATES.contains(&sample_rate)
}
