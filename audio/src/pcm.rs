//! Whole-file decoding to mono `f32`, for voice features (transcription,
//! loudness). Bounded: the duration is measured (demuxing only) and refused
//! before anything is decoded when it exceeds the caller's limit, and the
//! output never grows past that limit (plus one second of codec padding),
//! whatever the packets claim. Memory: at most
//! `(max_secs + 1) * sample_rate * 4` bytes of samples.

use crate::probe::{self, Opened};
use crate::AudioError;

/// Decoded audio: mono samples in `[-1, 1]` at the file's own rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Pcm {
    pub samples: Vec<f32>,
    pub sample_rate: u32,
    /// `samples.len() / sample_rate`.
    pub duration_secs: f64,
}

/// Decodes a whole voice note to mono (channels averaged). Same checks as
/// [`crate::check`] (sniffed format, believable header, decodable codec); a
/// file measured longer than `max_secs` is refused as `TooLong` before it is
/// decoded. A panic inside a decoder is `InvalidType`.
pub fn decode_mono(bytes: &[u8], max_secs: f64) -> Result<Pcm, AudioError> {
    if bytes.is_empty() {
        return Err(AudioError::NoFile);
    }
    // A NaN or negative limit admits nothing.
    let max_secs = if max_secs.is_finite() && max_secs > 0.0 {
        max_secs
    } else {
        0.0
    };
    let too_long = |measured: f64| AudioError::TooLong {
        max_secs: max_secs.floor() as u64,
        measured_secs: measured.round() as u64,
    };
    let measured = panic_guard::catch(|| probe::open(bytes)?.measure())
        .flatten()
        .ok_or(AudioError::InvalidType)?;
    if measured > max_secs {
        return Err(too_long(measured));
    }
    let decoded = panic_guard::catch(|| {
        let mut opened = probe::open(bytes).ok_or(Stop::Invalid)?;
        let cap = ((max_secs + 1.0) * f64::from(opened.sample_rate)).ceil() as usize;
        let samples = decode_capped(&mut opened, cap)?;
        Ok((samples, opened.sample_rate))
    });
    let (samples, sample_rate) = match decoded {
        Some(Ok(d)) => d,
        Some(Err(Stop::OverCap)) => return Err(too_long(measured)),
        Some(Err(Stop::Invalid)) | None => return Err(AudioError::InvalidType),
    };
    let duration_secs = samples.len() as f64 / f64::from(sample_rate);
    Ok(Pcm {
        samples,
        sample_rate,
        duration_secs,
    })
}

/// Why decoding stopped early.
enum Stop {
    Invalid,
    /// More samples than the limit allows, whatever the measurement said.
    OverCap,
}

/// Every packet decoded and mixed down, stopped once past `cap` frames.
/// A packet that fails to decode is skipped (as players do); a file of
/// which nothing decodes is invalid.
fn decode_capped(opened: &mut Opened<'_>, cap: usize) -> Result<Vec<f32>, Stop> {
    let mut mono: Vec<f32> = Vec::new();
    let mut interleaved: Vec<f32> = Vec::new();
    while let Some(packet) = opened.next_packet().map_err(|()| Stop::Invalid)? {
        let Ok(buffer) = opened.decoder.decode(&packet) else {
            continue;
        };
        let channels = buffer.num_planes();
        if channels == 0 {
            continue;
        }
        if buffer.frames() > cap.saturating_sub(mono.len()) {
            return Err(Stop::OverCap);
        }
        buffer.copy_to_vec_interleaved(&mut interleaved);
        let scale = 1.0 / channels as f32;
        mono.extend(
            interleaved
                .chunks_exact(channels)
                .map(|frame| frame.iter().sum::<f32>() * scale),
        );
    }
    if mono.is_empty() {
        return Err(Stop::Invalid);
    }
    Ok(mono)
}
