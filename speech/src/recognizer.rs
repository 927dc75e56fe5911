use std::fs;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use crate::decoder::Decoder;
use crate::dictionary::entries_for;
use crate::endpoint::speech_span;
use crate::grammar::{jsgf, vocabulary};
use crate::model::{default_model_dir, ModelFiles};
use crate::{Expect, SpeechError};

/// The only rate the acoustic model was trained on.
pub const SAMPLE_RATE: u32 = 16_000;
/// Longest accepted answer: a short spoken answer, with room for hesitation.
pub const MAX_AUDIO_SECONDS: u32 = 30;

/// What was heard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    /// Lowercase words separated by single spaces, always a phrase of the
    /// grammar of the `Expect` given; "" when nothing was recognised.
    pub text: String,
    /// Whether the clip held speech at all: with an empty `text` it tells
    /// "said something the grammar does not allow" from "said nothing".
    pub heard_speech: bool,
}

impl Transcript {
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.text.split(' ').filter(|w| !w.is_empty())
    }
}

/// A loaded recognizer: the acoustic model, the grammar words' pronunciations
/// and one compiled grammar per [`Expect`]. Load once (about a quarter of a
/// second) and share it (`static`, `Arc`): calls are serialised by a Mutex.
pub struct Recognizer {
    decoder: Mutex<Decoder>,
}

impl Recognizer {
    /// Loads the model folder written by `models/speech.py` (`en-us/` and
    /// `cmudict-en-us.dict`).
    pub fn load(dir: &Path) -> Result<Self, SpeechError> {
        let files = ModelFiles::locate(dir)?;
        let dictionary =
            fs::read_to_string(&files.dictionary).map_err(|source| SpeechError::Io {
                path: files.dictionary.clone(),
                source,
            })?;
        let entries = entries_for(&dictionary, &vocabulary())?;
        let mut decoder = Decoder::new(&files.acoustic)?;
        for entry in &entries {
            decoder.add_word(&entry.word, &entry.phones)?;
        }
        for expect in Expect::ALL {
            decoder.add_grammar(expect.name(), &jsgf(expect))?;
        }
        Ok(Self {
            decoder: Mutex::new(decoder),
        })
    }

    /// Loads from `$SPEECH_MODEL_DIR`, else `<workspace root>/.models/speech`.
    pub fn from_env() -> Result<Self, SpeechError> {
        Self::load(&default_model_dir())
    }

    /// Transcribes one answer: 16 kHz mono 16-bit PCM, at most
    /// [`MAX_AUDIO_SECONDS`]. Silence or noise gives an empty transcript.
    pub fn transcribe(
        &self,
        pcm_16k_mono: &[i16],
        expect: Expect,
    ) -> Result<Transcript, SpeechError> {
        check_length(pcm_16k_mono.len(), SAMPLE_RATE)?;
        let Some(span) = speech_span(pcm_16k_mono)? else {
            return Ok(Transcript {
                text: String::new(),
                heard_speech: false,
            });
        };
        // Decoding returns errors rather than panicking; should a panic ever
        // poison the lock, the decoder is still whole (each call begins its
        // own utterance), so keep serving rather than fail every later call.
        let mut decoder = self.decoder.lock().unwrap_or_else(PoisonError::into_inner);
        let text = decoder.decode(expect.name(), &pcm_16k_mono[span])?;
        Ok(Transcript {
            text,
            heard_speech: true,
        })
    }

    /// [`transcribe`](Self::transcribe) for float samples (-1.0..=1.0, mono)
    /// at any rate from 8 to 192 kHz, resampled to 16 kHz.
    pub fn transcribe_f32(
        &self,
        samples: &[f32],
        sample_rate: u32,
        expect: Expect,
    ) -> Result<Transcript, SpeechError> {
        let pcm = crate::resample::to_pcm_16k(samples, sample_rate)?;
        self.transcribe(&pcm, expect)
    }
}

/// Refuses more than [`MAX_AUDIO_SECONDS`] of `samples` at `rate`.
pub(crate) fn check_length(samples: usize, rate: u32) -> Result<(), SpeechError> {
    let seconds = samples as f64 / f64::from(rate);
    if seconds > f64::from(MAX_AUDIO_SECONDS) {
        Err(SpeechError::TooLong {
            seconds: seconds as f32,
            max: MAX_AUDIO_SECONDS,
        })
    } else {
        Ok(())
    }
}
