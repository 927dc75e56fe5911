//! Voice-note rules, in one place: which formats are accepted, how large and
//! how long a voice note may be, and the messages the API answers with.
//!
//! Nothing here trusts the client: the format is sniffed from the bytes by
//! Symphonia's probe (the declared type is only a hint), the codec must be one
//! we can decode (a decoder is built and the first packets are decoded), and
//! the duration is measured by demuxing every packet of the audio track (the
//! container's header and the client's `duration` are not believed).
//!
//! Accepted: MP3 (`audio/mpeg`), WAV/PCM (`audio/wav`), AAC in MP4/M4A
//! (`audio/m4a`, also spelled `audio/mp4`), raw AAC in ADTS (`audio/aac`) and
//! Ogg Vorbis (`audio/ogg`).
//!
//! Panics: hostile bytes must never panic the function. Two layers:
//! - headers are checked before a decoder sees them: a RIFF/WAVE file's
//!   chunks and `fmt ` fields (`wav`), and for every format the channel
//!   count and sample rate Symphonia reports (`limits`);
//! - every call into Symphonia runs under `panic_guard::catch`, and a caught
//!   panic is `AudioError::InvalidType` (the release profile unwinds).
//!
//! The fuzz target `fuzz/fuzz_targets/audio_check.rs` looks for panics; every
//! input it ever crashed on is replayed by this crate's tests
//! (`fuzz/regressions/audio_check/`).

mod limits;
mod pcm;
mod probe;
mod wav;

pub use limits::{MAX_CHANNELS, SAMPLE_RATES};
pub use pcm::{decode_mono, Pcm};

/// The contract's formats, as the API lists them in messages.
pub const ACCEPTED_TYPES: [&str; 5] = [
    "audio/mpeg",
    "audio/wav",
    "audio/m4a",
    "audio/aac",
    "audio/ogg",
];
/// The contract's longest voice note, in seconds.
pub const MAX_DURATION_SECS: u64 = 300;
/// Voice-note sizes are in decimal megabytes: the contract refuses a
/// 51,000,000-byte file under a "50MB" limit, which 50 MiB would accept.
pub const MB: u64 = 1_000_000;

#[derive(Debug, Clone, PartialEq)]
pub enum AudioError {
    NoFile,
    TooLarge { max_mb: u64 },
    InvalidType,
    TooLong { max_secs: u64, measured_secs: u64 },
}

impl AudioError {
    /// What the API answers (`400 {"error": ...}`).
    pub fn message(&self) -> String {
        match self {
            AudioError::NoFile => "No audio file provided".into(),
            AudioError::TooLarge { max_mb } => {
                format!("Audio file too large. Maximum size is {max_mb}MB")
            }
            AudioError::InvalidType => format!(
                "Invalid audio file type. Allowed: {}",
                ACCEPTED_TYPES.join(", ")
            ),
            AudioError::TooLong {
                max_secs,
                measured_secs,
            } => format!(
                "Audio too long. Maximum duration is {max_secs} seconds (this file is {measured_secs} seconds)"
            ),
        }
    }
}

/// A declared content type in its canonical spelling, if it is one we accept.
/// `audio/mp4` and `audio/x-m4a` are M4A; `audio/mp3` is MPEG; the WAV
/// spellings browsers use are WAV.
pub fn canonical_type(content_type: &str) -> Option<&'static str> {
    let ct = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    Some(match ct.as_str() {
        "audio/mpeg" | "audio/mp3" => "audio/mpeg",
        "audio/wav" | "audio/x-wav" | "audio/wave" | "audio/vnd.wave" => "audio/wav",
        "audio/m4a" | "audio/mp4" | "audio/x-m4a" => "audio/m4a",
        "audio/aac" | "audio/x-aac" => "audio/aac",
        "audio/ogg" => "audio/ogg",
        _ => return None,
    })
}

/// The size alone: zero is "no file", over `max_bytes` is too large.
pub fn check_size(size: u64, max_bytes: u64) -> Result<(), AudioError> {
    if size == 0 {
        return Err(AudioError::NoFile);
    }
    if size > max_bytes {
        return Err(AudioError::TooLarge {
            max_mb: max_bytes.div_ceil(MB),
        });
    }
    Ok(())
}

/// What an upload-URL request declares, before any URL is issued.
pub fn check_declared(content_type: &str, size: u64, max_bytes: u64) -> Result<(), AudioError> {
    check_size(size, max_bytes)?;
    canonical_type(content_type).ok_or(AudioError::InvalidType)?;
    Ok(())
}

/// A voice note that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The sniffed format's canonical type (one of `ACCEPTED_TYPES`).
    pub content_type: &'static str,
    /// File extension for the stored object.
    pub extension: &'static str,
    /// Measured from the packets, in seconds.
    pub duration_secs: f64,
    pub sample_rate: Option<u32>,
}

impl Checked {
    /// Whole seconds, as the API reports durations (rounded to nearest).
    pub fn duration_whole_secs(&self) -> u64 {
        self.duration_secs.round() as u64
    }
}

/// Checks a whole voice note from its bytes: size, format (sniffed), header
/// sanity, codec (decodable), and measured duration (at most
/// `MAX_DURATION_SECS`, compared in whole seconds rounded to nearest).
pub fn check(bytes: &[u8], max_bytes: u64) -> Result<Checked, AudioError> {
    check_size(bytes.len() as u64, max_bytes)?;
    let checked = panic_guard::catch(|| {
        let mut opened = probe::open(bytes)?;
        let duration_secs = opened.measure()?;
        Some(Checked {
            content_type: opened.content_type,
            extension: opened.extension,
            duration_secs,
            sample_rate: Some(opened.sample_rate),
        })
    })
    .flatten()
    .ok_or(AudioError::InvalidType)?;
    let measured = checked.duration_whole_secs();
    if measured > MAX_DURATION_SECS {
        return Err(AudioError::TooLong {
            max_secs: MAX_DURATION_SECS,
            measured_secs: measured,
        });
    }
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn wav(seconds: u32, rate: u32) -> Vec<u8> {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: rate,
            bits_per_sample: 8,
            sample_format: hound::SampleFormat::Int,
        };
        let mut out = Cursor::new(Vec::new());
        {
            let mut w = hound::WavWriter::new(&mut out, spec).unwrap();
            for i in 0..seconds * rate {
                w.write_sample(((i % 64) as i8) - 32).unwrap();
            }
            w.finalize().unwrap();
        }
        out.into_inner()
    }

    #[test]
    fn a_wav_is_sniffed_and_measured() {
        let c = check(&wav(3, 8000), 50 << 20).unwrap();
        assert_eq!(c.content_type, "audio/wav");
        assert_eq!(c.duration_whole_secs(), 3);
    }

    #[test]
    fn too_long_is_measured_not_declared() {
        let err = check(&wav(301, 8000), 50 << 20).unwrap_err();
        assert_eq!(
            err,
            AudioError::TooLong {
                max_secs: 300,
                measured_secs: 301
            }
        );
        assert!(check(&wav(300, 8000), 50 << 20).is_ok());
    }

    #[test]
    fn not_audio_is_an_invalid_type() {
        assert_eq!(
            check(b"this is not audio at all, just text", 1 << 20),
            Err(AudioError::InvalidType)
        );
        assert_eq!(check(&[0xFF; 4096], 1 << 20), Err(AudioError::InvalidType));
        assert_eq!(check(b"", 1 << 20), Err(AudioError::NoFile));
    }

    #[test]
    fn declared_size_and_type() {
        let max = 50 * MB;
        assert!(check_declared("audio/mpeg", 50_000_000, max).is_ok());
        assert_eq!(
            check_declared("audio/mpeg", 51_000_000, max),
            Err(AudioError::TooLarge { max_mb: 50 })
        );
        assert_eq!(
            check_declared("video/mp4", 10, max),
            Err(AudioError::InvalidType)
        );
        assert!(check_declared("audio/mp4", 10, max).is_ok());
        assert_eq!(canonical_type("Audio/X-WAV; codecs=1"), Some("audio/wav"));
    }

    #[test]
    fn messages() {
        assert_eq!(
            AudioError::TooLarge { max_mb: 50 }.message(),
            "Audio file too large. Maximum size is 50MB"
        );
        assert_eq!(
            AudioError::InvalidType.message(),
            "Invalid audio file type. Allowed: audio/mpeg, audio/wav, audio/m4a, audio/aac, audio/ogg"
        );
    }

    /// The fields of a PCM `fmt ` chunk, for writing headers that lie.
    #[derive(Clone, Copy)]
    struct Fmt {
        channels: u16,
        sample_rate: u32,
        byte_rate: u32,
        block_align: u16,
        bits: u16,
    }

    const HONEST: Fmt = Fmt {
        channels: 1,
        sample_rate: 8000,
        byte_rate: 16000,
        block_align: 2,
        bits: 16,
    };

    /// A WAV whose `data` chunk claims `data_len` bytes over `real` bytes of
    /// a 440 Hz-ish square wave.
    fn riff_wav(f: Fmt, data_len: u32, real: usize) -> Vec<u8> {
        let mut w = Vec::new();
        w.extend_from_slice(b"RIFF");
        w.extend_from_slice(&(36 + real as u32).to_le_bytes());
        w.extend_from_slice(b"WAVEfmt ");
        w.extend_from_slice(&16u32.to_le_bytes());
        w.extend_from_slice(&1u16.to_le_bytes());
        w.extend_from_slice(&f.channels.to_le_bytes());
        w.extend_from_slice(&f.sample_rate.to_le_bytes());
        w.extend_from_slice(&f.byte_rate.to_le_bytes());
        w.extend_from_slice(&f.block_align.to_le_bytes());
        w.extend_from_slice(&f.bits.to_le_bytes());
        w.extend_from_slice(b"data");
        w.extend_from_slice(&data_len.to_le_bytes());
        w.extend((0..real).map(|i| if (i / 18) % 2 == 0 { 0x40 } else { 0xC0 }));
        w
    }

    #[test]
    fn an_honest_handwritten_header_is_accepted() {
        // The builder itself is sound: only the lies below make it fail.
        let c = check(&riff_wav(HONEST, 16000, 16000), 1 << 20).unwrap();
        assert_eq!(c.content_type, "audio/wav");
        assert_eq!(c.duration_whole_secs(), 1);
        let pcm = decode_mono(&riff_wav(HONEST, 16000, 16000), 10.0).unwrap();
        assert_eq!(pcm.samples.len(), 8000);
    }

    #[test]
    fn lying_wav_headers_are_refused_without_panicking() {
        let lies = [
            // The attack run's crash: 65535 channels (Symphonia overflowed).
            Fmt {
                channels: 65535,
                byte_rate: 65535 * 16000,
                block_align: 65535u16.wrapping_mul(2),
                ..HONEST
            },
            Fmt {
                channels: 0,
                ..HONEST
            },
            Fmt {
                channels: 9,
                byte_rate: 9 * 16000,
                block_align: 18,
                ..HONEST
            },
            Fmt {
                byte_rate: 0,
                ..HONEST
            },
            Fmt {
                block_align: 0,
                ..HONEST
            },
            Fmt {
                block_align: 3,
                ..HONEST
            },
            Fmt {
                sample_rate: u32::MAX,
                byte_rate: u32::MAX.wrapping_mul(2),
                ..HONEST
            },
            Fmt {
                sample_rate: 4000,
                byte_rate: 8000,
                ..HONEST
            },
            Fmt {
                sample_rate: 384_000,
                byte_rate: 768_000,
                ..HONEST
            },
            Fmt { bits: 0, ..HONEST },
            Fmt { bits: 12, ..HONEST },
            Fmt {
                bits: 65535,
                ..HONEST
            },
        ];
        for (i, lie) in lies.into_iter().enumerate() {
            let bytes = riff_wav(lie, 1600, 1600);
            assert_eq!(
                check(&bytes, 1 << 20),
                Err(AudioError::InvalidType),
                "lie {i}"
            );
            assert_eq!(
                decode_mono(&bytes, 10.0),
                Err(AudioError::InvalidType),
                "lie {i}"
            );
        }
    }

    #[test]
    fn a_data_chunk_longer_than_the_file_is_refused() {
        // 0xFFFFFFF0 claimed over 1,600 real bytes.
        let bytes = riff_wav(HONEST, 0xFFFF_FFF0, 1600);
        assert_eq!(check(&bytes, 1 << 20), Err(AudioError::InvalidType));
        assert_eq!(decode_mono(&bytes, 10.0), Err(AudioError::InvalidType));
        // Empty, or shorter than one frame.
        for len in [0, 1] {
            let bytes = riff_wav(HONEST, len, len as usize);
            assert_eq!(
                check(&bytes, 1 << 20),
                Err(AudioError::InvalidType),
                "{len}"
            );
        }
    }

    #[test]
    fn a_riff_header_after_junk_is_not_a_wav() {
        // Symphonia's probe scans past junk; a WAV must start at byte 0.
        let mut bytes = vec![0u8; 64];
        bytes.extend(riff_wav(HONEST, 16000, 16000));
        assert_eq!(check(&bytes, 1 << 20), Err(AudioError::InvalidType));
    }

    #[test]
    fn decode_mono_averages_channels_and_refuses_long_files() {
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 16000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut out = Cursor::new(Vec::new());
        {
            let mut w = hound::WavWriter::new(&mut out, spec).unwrap();
            for _ in 0..32000 {
                w.write_sample(16384i16).unwrap();
                w.write_sample(-8192i16).unwrap();
            }
            w.finalize().unwrap();
        }
        let bytes = out.into_inner();
        let pcm = decode_mono(&bytes, 2.0).unwrap();
        assert_eq!(pcm.sample_rate, 16000);
        assert_eq!(pcm.samples.len(), 32000);
        assert!((pcm.duration_secs - 2.0).abs() < 1e-9);
        // (0.5 + -0.25) / 2
        assert!(pcm.samples.iter().all(|s| (s - 0.125).abs() < 1e-3));
        assert_eq!(
            decode_mono(&bytes, 1.5),
            Err(AudioError::TooLong {
                max_secs: 1,
                measured_secs: 2
            })
        );
        assert_eq!(
            decode_mono(&bytes, f64::NAN).unwrap_err(),
            AudioError::TooLong {
                max_secs: 0,
                measured_secs: 2
            }
        );
        assert_eq!(decode_mono(b"", 2.0), Err(AudioError::NoFile));
    }

    #[test]
    fn an_extensible_wav_is_accepted() {
        // hound writes WAVE_FORMAT_EXTENSIBLE for 24-bit samples.
        let spec = hound::WavSpec {
            channels: 3,
            sample_rate: 48000,
            bits_per_sample: 24,
            sample_format: hound::SampleFormat::Int,
        };
        let mut out = Cursor::new(Vec::new());
        {
            let mut w = hound::WavWriter::new(&mut out, spec).unwrap();
            for i in 0..48000 * 3 {
                w.write_sample((i % 1000) * 1000).unwrap();
            }
            w.finalize().unwrap();
        }
        let bytes = out.into_inner();
        assert_eq!(u16::from_le_bytes([bytes[20], bytes[21]]), 0xFFFE);
        let c = check(&bytes, 1 << 20).unwrap();
        assert_eq!((c.content_type, c.duration_whole_secs()), ("audio/wav", 1));
    }

    #[test]
    fn a_lying_wav_behind_junk_is_never_parsed() {
        // The attack's 65535-channel header behind 64 junk bytes: not a WAV
        // by our check (it must start at byte 0). Symphonia's probe scans
        // for markers, found it and overflowed (caught by the guard); now
        // it does not look for WAV there at all.
        let lie = Fmt {
            channels: 65535,
            byte_rate: 65535 * 16000,
            block_align: 65535u16.wrapping_mul(2),
            ..HONEST
        };
        let mut bytes = vec![0u8; 64];
        bytes.extend(riff_wav(lie, 1600, 1600));
        let (result, panics) = panic_guard::panics_during(|| check(&bytes, 1 << 20));
        assert_eq!((result, panics), (Err(AudioError::InvalidType), 0));
    }
}
