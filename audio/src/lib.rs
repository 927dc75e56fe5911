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

use std::io::Cursor;
use symphonia::core::codecs::audio::AudioDecoderOptions;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, TrackType};
use symphonia::core::io::{MediaSourceStream, MediaSourceStreamOptions};
use symphonia::core::meta::MetadataOptions;

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
/// How many packets are decoded to prove the codec really decodes.
const DECODE_CHECK_PACKETS: usize = 4;

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

/// Checks a whole voice note from its bytes: size, format (sniffed), codec
/// (decodable), and measured duration (at most `MAX_DURATION_SECS`, compared
/// in whole seconds rounded to nearest).
pub fn check(bytes: &[u8], max_bytes: u64) -> Result<Checked, AudioError> {
    check_size(bytes.len() as u64, max_bytes)?;
    let (content_type, extension, duration_secs, sample_rate) =
        probe(bytes).ok_or(AudioError::InvalidType)?;
    let checked = Checked {
        content_type,
        extension,
        duration_secs,
        sample_rate,
    };
    let measured = checked.duration_whole_secs();
    if measured > MAX_DURATION_SECS {
        return Err(AudioError::TooLong {
            max_secs: MAX_DURATION_SECS,
            measured_secs: measured,
        });
    }
    Ok(checked)
}

/// Sniffs, proves decodability and measures; `None` when the bytes are not
/// an accepted, decodable audio file.
fn probe(bytes: &[u8]) -> Option<(&'static str, &'static str, f64, Option<u32>)> {
    // The bytes are already in memory; the stream reads them from there.
    let source = Cursor::new(bytes.to_vec());
    let mss = MediaSourceStream::new(Box::new(source), MediaSourceStreamOptions::default());
    let mut format = symphonia::default::get_probe()
        .probe(
            &Hint::new(),
            mss,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .ok()?;
    let (content_type, extension) = match format.format_info().short_name {
        "mp3" => ("audio/mpeg", "mp3"),
        "wave" => ("audio/wav", "wav"),
        "isomp4" => ("audio/m4a", "m4a"),
        "aac" => ("audio/aac", "aac"),
        "ogg" => ("audio/ogg", "ogg"),
        _ => return None,
    };
    let track = format.default_track(TrackType::Audio)?;
    let track_id = track.id;
    let params = track.codec_params.as_ref()?.audio()?.clone();
    let sample_rate = params.sample_rate;
    // Packet timestamps are in the track's time base; fall back to 1/sample rate.
    let time_base = track
        .time_base
        .or_else(|| sample_rate.and_then(symphonia::core::units::TimeBase::try_from_recip))?;
    let mut decoder = symphonia::default::get_codecs()
        .make_audio_decoder(&params, &AudioDecoderOptions::default())
        .ok()?;

    // Measure: the end of the last packet of the track, whatever the header says.
    let mut end: Option<i64> = None;
    let mut start: Option<i64> = None;
    let mut decoded = 0usize;
    loop {
        let packet = match format.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            // A truncated tail ends the measurement; what was read counts.
            Err(symphonia::core::errors::Error::IoError(_)) => break,
            Err(_) if end.is_some() => break,
            Err(_) => return None,
        };
        if packet.track_id != track_id {
            continue;
        }
        if decoded < DECODE_CHECK_PACKETS {
            decoder.decode(&packet).ok()?;
            decoded += 1;
        }
        let pts = packet.pts.get();
        let packet_end = pts.saturating_add(i64::try_from(packet.dur.get()).ok()?);
        start = Some(start.map_or(pts, |s| s.min(pts)));
        end = Some(end.map_or(packet_end, |e| e.max(packet_end)));
    }
    let (start, end) = (start?.max(0), end?);
    let span = end.checked_sub(start).filter(|d| *d > 0)?;
    let seconds = time_base
        .calc_time(symphonia::core::units::Timestamp::new(span))?
        .as_secs_f64();
    Some((content_type, extension, seconds, sample_rate))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
