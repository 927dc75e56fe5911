//! Any input rate to the encoder's 16 kHz, with rubato's FFT resampler (fixed
//! ratio, anti-aliased; resemblyzer uses librosa's soxr_hq for the same job).

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler};

use crate::error::VoiceError;
use crate::params::SAMPLE_RATE;

/// Chunk size hint for the resampler: large enough for a sharp anti-aliasing
/// filter, small enough to keep its buffers tiny.
const CHUNK: usize = 1024;

pub(crate) fn to_encoder_rate(samples: &[f32], rate: u32) -> Result<Vec<f32>, VoiceError> {
    if rate == SAMPLE_RATE {
        return Ok(samples.to_vec());
    }
    let err = |e: &dyn std::fmt::Display| VoiceError::Resample(e.to_string());
    let mut resampler = Fft::<f32>::new(
        rate as usize,
        SAMPLE_RATE as usize,
        CHUNK,
        1,
        FixedSync::Both,
    )
    .map_err(|e| err(&e))?;
    let input = InterleavedSlice::new(samples, 1, samples.len()).map_err(|e| err(&e))?;
    let output = resampler
        .process_all(&input, samples.len(), None)
        .map_err(|e| err(&e))?;
    Ok(output.take_data())
}
