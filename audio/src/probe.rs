//! Opening a voice note with Symphonia: the sniffed format, its audio track
//! (with believable channels and rate), a decoder for it; and measuring the
//! duration by demuxing every packet. Call these under `panic_guard::catch`.

use crate::{limits, wav};
use std::io::Cursor;
use std::sync::LazyLock;
use symphonia::core::codecs::audio::{AudioDecoder, AudioDecoderOptions};
use symphonia::core::errors::Error;
use symphonia::core::formats::probe::{Hint, Probe};
use symphonia::core::formats::{FormatOptions, FormatReader, TrackType};
use symphonia::core::io::{MediaSourceStream, MediaSourceStreamOptions};
use symphonia::core::meta::MetadataOptions;
use symphonia::core::packet::Packet;
use symphonia::core::units::{TimeBase, Timestamp};
use symphonia::default::formats::{AdtsReader, IsoMp4Reader, MpaReader, OggReader};
use symphonia::default::meta::Id3v2Reader;

/// How many packets are decoded to prove the codec really decodes.
const DECODE_CHECK_PACKETS: usize = 4;

/// An accepted audio track, ready to demux and decode.
pub struct Opened<'a> {
    pub content_type: &'static str,
    pub extension: &'static str,
    pub sample_rate: u32,
    format: Box<dyn FormatReader + 'a>,
    pub decoder: Box<dyn AudioDecoder>,
    track_id: u32,
    time_base: TimeBase,
}

/// Every accepted format but WAV. Symphonia's probe scans up to 1 MB for a
/// format marker, so a RIFF/WAVE header hidden after junk would be read
/// without `wav::validate` (and the 65535-channel one overflows): WAV is only
/// probed for when the file starts with it, and then it was validated.
static WITHOUT_WAV: LazyLock<Probe> = LazyLock::new(|| {
    let mut probe = Probe::default();
    probe.register_format::<AdtsReader<'_>>();
    probe.register_format::<IsoMp4Reader<'_>>();
    probe.register_format::<MpaReader<'_>>();
    probe.register_format::<OggReader<'_>>();
    probe.register_metadata::<Id3v2Reader<'_>>();
    probe
});

/// `None` unless `bytes` are an accepted container whose default audio track
/// has believable parameters and a codec we can build a decoder for.
pub fn open(bytes: &[u8]) -> Option<Opened<'_>> {
    // A WAV header is checked before Symphonia reads it.
    let probe = if wav::is_wave(bytes) {
        wav::validate(bytes)?;
        symphonia::default::get_probe()
    } else {
        &WITHOUT_WAV
    };
    let mss = MediaSourceStream::new(
        Box::new(Cursor::new(bytes)),
        MediaSourceStreamOptions::default(),
    );
    let format = probe
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
    let sample_rate = params.sample_rate?;
    let channels = params.channels.as_ref()?.count();
    if !limits::plausible(channels, sample_rate) {
        return None;
    }
    // Packet timestamps are in the track's time base; fall back to 1/sample rate.
    let time_base = track
        .time_base
        .or_else(|| TimeBase::try_from_recip(sample_rate))?;
    let decoder = symphonia::default::get_codecs()
        .make_audio_decoder(&params, &AudioDecoderOptions::default())
        .ok()?;
    Some(Opened {
        content_type,
        extension,
        sample_rate,
        format,
        decoder,
        track_id,
        time_base,
    })
}

impl Opened<'_> {
    /// The next packet of the audio track; `Ok(None)` at the end (a
    /// truncated tail ends the stream: what was read counts).
    pub fn next_packet(&mut self) -> Result<Option<Packet>, ()> {
        loop {
            match self.format.next_packet() {
                Ok(Some(p)) if p.track_id == self.track_id => return Ok(Some(p)),
                Ok(Some(_)) => continue,
                Ok(None) | Err(Error::IoError(_)) => return Ok(None),
                Err(_) => return Err(()),
            }
        }
    }

    /// Seconds from the first packet's start to the last packet's end (the
    /// container's header is not believed), decoding the first few packets to
    /// prove the codec decodes. Consumes the packets.
    pub fn measure(&mut self) -> Option<f64> {
        let mut span: Option<(i64, i64)> = None;
        let mut decoded = 0usize;
        loop {
            let packet = match self.next_packet() {
                Ok(Some(p)) => p,
                Ok(None) => break,
                // A damaged tail after good packets ends the measurement.
                Err(()) if span.is_some() => break,
                Err(()) => return None,
            };
            if decoded < DECODE_CHECK_PACKETS {
                self.decoder.decode(&packet).ok()?;
                decoded += 1;
            }
            let pts = packet.pts.get();
            let end = pts.saturating_add(i64::try_from(packet.dur.get()).ok()?);
            span = Some(span.map_or((pts, end), |(s, e)| (s.min(pts), e.max(end))));
        }
        let (start, end) = span?;
        let length = end.checked_sub(start.max(0)).filter(|d| *d > 0)?;
        let seconds = self
            .time_base
            .calc_time(Timestamp::new(length))?
            .as_secs_f64();
        seconds.is_finite().then_some(seconds)
    }
}
