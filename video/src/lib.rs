//! Journal-video rules, in one place: which containers are accepted, how
//! large and how long a video may be, and the messages the API answers with.
//!
//! Nothing here trusts the client: the type is sniffed from the first bytes
//! (`infer`, from the ISO-BMFF `ftyp` box; the declared type is only a hint),
//! the container is parsed (`mp4parse`, Mozilla's ISO-BMFF parser), it must
//! hold a video track with a coherent sample table, and the duration is
//! measured from the tracks' time-to-sample tables (the `mvhd`/`mdhd` header
//! durations and the client's `duration` are not believed).
//!
//! Panics: every call into `infer` and `mp4parse` runs under
//! `panic_guard::catch`, and a caught panic is `VideoError::InvalidType` (the
//! release profile unwinds). The fuzz target `fuzz/fuzz_targets/video_check.rs`
//! looks for panics; every input it ever crashed on is replayed by this
//! crate's tests (`fuzz/regressions/video_check/`).

mod container;

use std::io::{Cursor, Read};

/// The contract's containers, as the API lists them in messages.
pub const ACCEPTED_TYPES: [&str; 2] = ["video/mp4", "video/quicktime"];
/// The longest journal video, in seconds. Ten minutes: the 100 MB upload
/// limit already bounds a phone's 1080p recording (10-17 Mbit/s) to about a
/// minute, so only low-bitrate clips come near it; anything longer is not a
/// journal clip. Whole seconds up to this fit an `i64` and the app's `Int`.
pub const MAX_DURATION_SECS: u64 = 600;
/// Sizes are decimal megabytes, like the other upload limits.
pub const MB: u64 = 1_000_000;

#[derive(Debug, Clone, PartialEq)]
pub enum VideoError {
    NoFile,
    TooLarge { max_mb: u64 },
    InvalidType,
    TooLong { max_secs: u64, measured_secs: u64 },
}

impl VideoError {
    /// What the API answers (`400 {"error": ...}`).
    pub fn message(&self) -> String {
        match self {
            VideoError::NoFile => "No video file provided".into(),
            VideoError::TooLarge { max_mb } => {
                format!("Video file too large. Maximum size is {max_mb}MB")
            }
            VideoError::InvalidType => format!(
                "Invalid video file type. Allowed: {}",
                ACCEPTED_TYPES.join(", ")
            ),
            VideoError::TooLong {
                max_secs,
                measured_secs,
            } => format!(
                "Video too long. Maximum duration is {max_secs} seconds (this file is {measured_secs} seconds)"
            ),
        }
    }
}

/// A declared content type in its canonical spelling, if it is one we accept.
pub fn canonical_type(content_type: &str) -> Option<&'static str> {
    let ct = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    ACCEPTED_TYPES.into_iter().find(|t| *t == ct)
}

/// The size alone: zero is "no file", over `max_bytes` is too large.
pub fn check_size(size: u64, max_bytes: u64) -> Result<(), VideoError> {
    if size == 0 {
        return Err(VideoError::NoFile);
    }
    if size > max_bytes {
        return Err(VideoError::TooLarge {
            max_mb: max_bytes.div_ceil(MB),
        });
    }
    Ok(())
}

/// What an upload-URL request declares, before any URL is issued.
pub fn check_declared(content_type: &str, size: u64, max_bytes: u64) -> Result<(), VideoError> {
    check_size(size, max_bytes)?;
    canonical_type(content_type).ok_or(VideoError::InvalidType)?;
    Ok(())
}

/// A video that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The sniffed container's type (one of `ACCEPTED_TYPES`).
    pub content_type: &'static str,
    /// File extension for the stored object.
    pub extension: &'static str,
    /// Measured from the sample tables, in seconds.
    pub duration_secs: f64,
}

impl Checked {
    /// Whole seconds, as the API reports durations (rounded to nearest);
    /// at most `MAX_DURATION_SECS`.
    pub fn duration_whole_secs(&self) -> u64 {
        whole_secs(self.duration_secs)
    }
}

fn whole_secs(secs: f64) -> u64 {
    // `as` saturates: a huge or infinite measurement stays huge (and too long).
    secs.round() as u64
}

/// Checks a whole video held in memory: size, type (sniffed), container and
/// measured duration (at most `MAX_DURATION_SECS`, in whole seconds rounded
/// to nearest).
pub fn check(bytes: &[u8], max_bytes: u64) -> Result<Checked, VideoError> {
    check_reader(Cursor::new(bytes), bytes.len() as u64, max_bytes)
}

/// Like [`check`], reading the file once, front to back, from `reader`
/// (e.g. an S3 object's body): nothing but the container's boxes (never the
/// media data) is held in memory. `size` is the object's length; at most
/// `size` bytes are read, and a reader that ends early is an invalid file.
pub fn check_reader<R: Read>(reader: R, size: u64, max_bytes: u64) -> Result<Checked, VideoError> {
    check_size(size, max_bytes)?;
    let (content_type, extension, duration_secs) =
        panic_guard::catch(|| container::read(reader.take(size), size))
            .flatten()
            .ok_or(VideoError::InvalidType)?;
    let measured = whole_secs(duration_secs);
    if measured > MAX_DURATION_SECS {
        return Err(VideoError::TooLong {
            max_secs: MAX_DURATION_SECS,
            measured_secs: measured,
        });
    }
    Ok(Checked {
        content_type,
        extension,
        duration_secs,
    })
}
