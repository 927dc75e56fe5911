//! Sniffing and reading the container. Call under `panic_guard::catch`.

use mp4parse::{MediaContext, Track, TrackType};
use std::io::Read;

/// Enough of the file for `infer` to see the `ftyp` box and its brand.
const SNIFF_LEN: usize = 16;

/// The sniffed type, extension and measured duration, or `None` when the
/// bytes are not an accepted, coherent video container. `reader` yields at
/// most `size` bytes.
pub fn read(mut reader: impl Read, size: u64) -> Option<(&'static str, &'static str, f64)> {
    let mut head = [0u8; SNIFF_LEN];
    reader.read_exact(&mut head).ok()?;
    let (content_type, extension) = match infer::get(&head)?.mime_type() {
        "video/mp4" => ("video/mp4", "mp4"),
        "video/quicktime" => ("video/quicktime", "mov"),
        _ => return None,
    };
    let mut whole = Counted {
        inner: head.chain(reader),
        read: 0,
    };
    let context = mp4parse::read_mp4(&mut whole).ok()?;
    // A stream that ended before `size` was cut short (or `size` lied).
    if whole.read != size {
        return None;
    }
    let duration = measure(&context, size)?;
    Some((content_type, extension, duration))
}

/// Counts what the parser consumed.
struct Counted<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// Seconds from the sample tables: the longest video or audio track, each
/// the sum of its time-to-sample entries over its media timescale. There
/// must be a video track whose sample table is coherent and inside the file.
/// A fragmented file (samples described in `moof` boxes, empty tables here)
/// falls back to the movie's declared fragment duration, or is refused.
fn measure(context: &MediaContext, size: u64) -> Option<f64> {
    let media = |t: &&Track| matches!(t.track_type, TrackType::Video | TrackType::Audio);
    let video: Vec<&Track> = context
        .tracks
        .iter()
        .filter(|t| t.track_type == TrackType::Video)
        .collect();
    if video.is_empty() || !video.iter().all(|t| coherent(t, size)) {
        return None;
    }
    let measured = context
        .tracks
        .iter()
        .filter(media)
        .filter_map(table_seconds)
        .fold(0.0f64, f64::max);
    if measured > 0.0 {
        return Some(measured);
    }
    let fragmented = context.mvex.as_ref()?;
    let movie_timescale = context.timescale?.0;
    let declared = fragmented.fragment_duration?.0 as f64 / movie_timescale as f64;
    (declared.is_finite() && declared > 0.0).then_some(declared)
}

/// The track's duration by its time-to-sample table; `None` without one.
fn table_seconds(track: &Track) -> Option<f64> {
    let timescale = track.timescale?.0;
    if timescale == 0 {
        return None;
    }
    let ticks: u128 = track
        .stts
        .as_ref()?
        .samples
        .iter()
        .map(|s| u128::from(s.sample_count) * u128::from(s.sample_delta))
        .sum();
    Some(ticks as f64 / timescale as f64)
}

/// A track whose tables agree: as many sizes as timed samples, and every
/// chunk starting inside the file. An empty table (fragmented file) is
/// judged by its fragments, which `mp4parse` does not read.
fn coherent(track: &Track, size: u64) -> bool {
    let timed: u64 = track
        .stts
        .as_ref()
        .map(|t| t.samples.iter().map(|s| u64::from(s.sample_count)).sum())
        .unwrap_or(0);
    if timed == 0 {
        return true;
    }
    let sizes_agree = match &track.stsz {
        Some(stsz) if stsz.sample_sizes.is_empty() => stsz.sample_size > 0,
        Some(stsz) => stsz.sample_sizes.len() as u64 == timed,
        None => false,
    };
    let chunks_inside = track
        .stco
        .as_ref()
        .is_some_and(|c| !c.offsets.is_empty() && c.offsets.iter().all(|o| *o < size));
    sizes_agree && chunks_inside
}
