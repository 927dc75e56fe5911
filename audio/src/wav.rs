//! RIFF/WAVE headers are checked field by field before Symphonia sees them:
//! its WAV reader trusts the `fmt ` and `data` chunks (65535 channels made it
//! overflow; a data chunk claiming 4 GB over 1,600 bytes was accepted). The
//! chunks are walked with the `riff` crate; the few `fmt ` fields are read
//! with explicit bounds checks. Nothing is allocated from a header's claim.

use crate::limits;
use riff::{Chunk, ChunkId};
use std::io::Cursor;

const FORMAT_PCM: u16 = 1;
const FORMAT_FLOAT: u16 = 3;
const FORMAT_ALAW: u16 = 6;
const FORMAT_MULAW: u16 = 7;
const FORMAT_EXTENSIBLE: u16 = 0xFFFE;
/// `WAVEFORMATEX` plus the 22 bytes of `WAVEFORMATEXTENSIBLE`.
const EXTENSIBLE_FMT_LEN: usize = 40;

/// Whether `bytes` start like a RIFF/WAVE file (then they must pass [`validate`]).
pub fn is_wave(bytes: &[u8]) -> bool {
    bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WAVE"
}

/// What the `fmt ` chunk says, once it proved consistent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    pub channels: u16,
    pub sample_rate: u32,
    pub bits_per_sample: u16,
}

/// `Some` when the RIFF/WAVE structure and its `fmt ` and `data` chunks are
/// believable: every chunk up to `data` lies within the file, `fmt ` comes
/// first with a supported encoding and consistent rates, and the `data`
/// chunk is non-empty, holds at least one frame and is really present.
pub fn validate(bytes: &[u8]) -> Option<Format> {
    if !is_wave(bytes) {
        return None;
    }
    let file_len = bytes.len() as u64;
    let mut stream = Cursor::new(bytes);
    let riff = Chunk::read(&mut stream, 0).ok()?;
    // The RIFF chunk itself must fit in the file.
    if 8 + u64::from(riff.len()) > file_len {
        return None;
    }
    let fmt_id = ChunkId::new("fmt ").ok()?;
    let data_id = ChunkId::new("data").ok()?;
    let mut format = None;
    for chunk in riff.iter(&mut stream) {
        let chunk = chunk.ok()?;
        let body = chunk.offset() + 8;
        let end = body + u64::from(chunk.len());
        if end > file_len {
            return None;
        }
        let id = chunk.id();
        if id == fmt_id {
            if format.is_some() {
                return None;
            }
            format = Some(read_fmt(&bytes[body as usize..end as usize])?);
        } else if id == data_id {
            // Symphonia stops at `data`; so does this check.
            let (format, block_align) = format?;
            let len = u64::from(chunk.len());
            return (len >= u64::from(block_align)).then_some(format);
        }
    }
    None
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The `fmt ` chunk's fields (WAVEFORMATEX, optionally EXTENSIBLE) and the
/// block alignment, if they are mutually consistent.
fn read_fmt(fmt: &[u8]) -> Option<(Format, u16)> {
    let mut tag = u16_at(fmt, 0)?;
    let channels = u16_at(fmt, 2)?;
    let sample_rate = u32_at(fmt, 4)?;
    let byte_rate = u32_at(fmt, 8)?;
    let block_align = u16_at(fmt, 12)?;
    let bits_per_sample = u16_at(fmt, 14)?;
    if tag == FORMAT_EXTENSIBLE {
        if fmt.len() < EXTENSIBLE_FMT_LEN || u16_at(fmt, 16)? < 22 {
            return None;
        }
        let valid_bits = u16_at(fmt, 18)?;
        if valid_bits == 0 || valid_bits > bits_per_sample {
            return None;
        }
        // The sub-format GUID starts with the format tag it stands for.
        tag = u16_at(fmt, 24)?;
    }
    let bits_ok = match tag {
        FORMAT_PCM => matches!(bits_per_sample, 8 | 16 | 24 | 32),
        FORMAT_FLOAT => matches!(bits_per_sample, 32 | 64),
        FORMAT_ALAW | FORMAT_MULAW => bits_per_sample == 8,
        _ => false,
    };
    if !bits_ok || !limits::plausible(usize::from(channels), sample_rate) {
        return None;
    }
    // In range, so these products cannot overflow (at most 8 * 8 and 192_000 * 64).
    let frame = u32::from(channels) * u32::from(bits_per_sample / 8);
    if u32::from(block_align) != frame || byte_rate != sample_rate * frame {
        return None;
    }
    Some((
        Format {
            channels,
            sample_rate,
            bits_per_sample,
        },
        block_align,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 16-bit mono PCM WAV: 44-byte header and `samples` zero samples.
    pub fn pcm16(rate: u32, samples: u32) -> Vec<u8> {
        let data_len = samples * 2;
        let mut w = Vec::new();
        w.extend_from_slice(b"RIFF");
        w.extend_from_slice(&(36 + data_len).to_le_bytes());
        w.extend_from_slice(b"WAVEfmt ");
        w.extend_from_slice(&16u32.to_le_bytes());
        w.extend_from_slice(&FORMAT_PCM.to_le_bytes());
        w.extend_from_slice(&1u16.to_le_bytes());
        w.extend_from_slice(&rate.to_le_bytes());
        w.extend_from_slice(&(rate * 2).to_le_bytes());
        w.extend_from_slice(&2u16.to_le_bytes());
        w.extend_from_slice(&16u16.to_le_bytes());
        w.extend_from_slice(b"data");
        w.extend_from_slice(&data_len.to_le_bytes());
        w.resize(44 + data_len as usize, 0);
        w
    }

    #[test]
    fn a_consistent_header_is_read() {
        assert_eq!(
            validate(&pcm16(8000, 800)),
            Some(Format {
                channels: 1,
                sample_rate: 8000,
                bits_per_sample: 16
            })
        );
    }

    #[test]
    fn a_chunk_past_the_end_is_refused() {
        let mut w = pcm16(8000, 800);
        w.truncate(44 + 100);
        // The RIFF size now claims more than the file holds.
        assert_eq!(validate(&w), None);
        let riff_len = (w.len() - 8) as u32;
        w[4..8].copy_from_slice(&riff_len.to_le_bytes());
        // ... and so does the data chunk.
        assert_eq!(validate(&w), None);
    }

    #[test]
    fn data_before_fmt_is_refused() {
        let mut w = Vec::new();
        w.extend_from_slice(b"RIFF");
        w.extend_from_slice(&20u32.to_le_bytes());
        w.extend_from_slice(b"WAVEdata");
        w.extend_from_slice(&8u32.to_le_bytes());
        w.extend_from_slice(&[0; 8]);
        assert_eq!(validate(&w), None);
    }
}
