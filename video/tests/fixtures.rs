//! Real files (see `fixtures/README.md`) and files whose boxes lie.

use std::path::Path;
use video::{check, check_reader, VideoError, MB};

const MAX: u64 = 100 * MB;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(name),
    )
    .unwrap()
}

/// Where `name` (a four-character box type) first occurs, as a box header.
fn box_at(bytes: &[u8], name: &[u8; 4]) -> usize {
    bytes.windows(4).position(|w| w == name).unwrap() - 4
}

#[test]
fn mp4_and_mov_are_sniffed_and_measured() {
    for (name, content_type, extension) in [
        ("clip.mp4", "video/mp4", "mp4"),
        ("clip-faststart.mp4", "video/mp4", "mp4"),
        ("clip.mov", "video/quicktime", "mov"),
    ] {
        let c = check(&fixture(name), MAX).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(
            (c.content_type, c.extension),
            (content_type, extension),
            "{name}"
        );
        // 2 s of video; AAC frames may run a few ms past it.
        assert!(
            (c.duration_secs - 2.0).abs() < 0.1,
            "{name}: {}",
            c.duration_secs
        );
        assert_eq!(c.duration_whole_secs(), 2, "{name}");
    }
}

#[test]
fn the_reader_variant_agrees_and_needs_the_whole_file() {
    let bytes = fixture("clip.mp4");
    let from_reader = check_reader(bytes.as_slice(), bytes.len() as u64, MAX).unwrap();
    assert_eq!(from_reader, check(&bytes, MAX).unwrap());
    // A stream shorter than its announced size is cut short.
    assert_eq!(
        check_reader(&bytes[..bytes.len() - 10], bytes.len() as u64, MAX),
        Err(VideoError::InvalidType)
    );
    // Bytes past the announced size are not read.
    let mut longer = bytes.clone();
    longer.extend_from_slice(&[0; 64]);
    assert!(check_reader(longer.as_slice(), bytes.len() as u64, MAX).is_ok());
}

#[test]
fn a_video_needs_a_video_track() {
    assert_eq!(
        check(&fixture("audio-only.mp4"), MAX),
        Err(VideoError::InvalidType)
    );
}

#[test]
fn not_a_video_and_size_limits() {
    assert_eq!(check(b"", MAX), Err(VideoError::NoFile));
    assert_eq!(
        check(b"just some text, long enough", MAX),
        Err(VideoError::InvalidType)
    );
    assert_eq!(check(&[0u8; 4096], MAX), Err(VideoError::InvalidType));
    let bytes = fixture("clip.mp4");
    assert_eq!(
        check(&bytes, bytes.len() as u64 - 1),
        Err(VideoError::TooLarge { max_mb: 1 })
    );
    // An ftyp box alone (no movie) is not a video.
    assert_eq!(
        check(&bytes[..box_at(&bytes, b"free")], MAX),
        Err(VideoError::InvalidType)
    );
}

#[test]
fn a_sample_table_claiming_hours_is_too_long() {
    let mut bytes = fixture("clip.mp4");
    // The first stts entry of the first track: 20 frames of 1/10 s (in a
    // 10240 Hz timescale, 1024 ticks); make each frame last 2^31 ticks.
    let stts = box_at(&bytes, b"stts");
    let delta = stts + 8 + 4 + 4 + 4;
    bytes[delta..delta + 4].copy_from_slice(&0x8000_0000u32.to_be_bytes());
    match check(&bytes, MAX) {
        Err(VideoError::TooLong {
            max_secs: 600,
            measured_secs,
        }) => {
            assert!(measured_secs > 3600, "{measured_secs}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn chunks_outside_the_file_are_refused() {
    let mut bytes = fixture("clip.mp4");
    let stco = box_at(&bytes, b"stco");
    let first = stco + 8 + 4 + 4;
    bytes[first..first + 4].copy_from_slice(&u32::MAX.to_be_bytes());
    assert_eq!(check(&bytes, MAX), Err(VideoError::InvalidType));
}

#[test]
fn a_fragmented_file_without_a_declared_duration_is_refused() {
    // ffmpeg's empty_moov fragments have empty sample tables and no mehd
    // box: nothing in the file says how long it is.
    let r = check(&fixture("clip-fragmented.mp4"), MAX);
    assert_eq!(r, Err(VideoError::InvalidType));
}

#[test]
fn messages() {
    assert_eq!(VideoError::NoFile.message(), "No video file provided");
    assert_eq!(
        VideoError::TooLarge { max_mb: 100 }.message(),
        "Video file too large. Maximum size is 100MB"
    );
    assert_eq!(
        VideoError::InvalidType.message(),
        "Invalid video file type. Allowed: video/mp4, video/quicktime"
    );
    assert_eq!(
        VideoError::TooLong {
            max_secs: 600,
            measured_secs: 601
        }
        .message(),
        "Video too long. Maximum duration is 600 seconds (this file is 601 seconds)"
    );
    assert!(video::check_declared("video/quicktime; x=y", 10, MAX).is_ok());
    assert_eq!(
        video::check_declared("video/webm", 10, MAX),
        Err(VideoError::InvalidType)
    );
    assert_eq!(
        video::check_declared("video/mp4", 0, MAX),
        Err(VideoError::NoFile)
    );
}
