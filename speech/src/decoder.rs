//! Safe ownership of a PocketSphinx decoder. Every `unsafe` block calls the C
//! API on a pointer this type owns, with NUL-terminated strings that outlive
//! the call.

use std::ffi::{c_int, CStr, CString};
use std::path::Path;
use std::ptr::NonNull;

use speech_sys as ps;

use crate::SpeechError;

pub(crate) struct Decoder {
    ps: NonNull<ps::ps_decoder_t>,
}

// The decoder has no thread affinity; `Recognizer` serialises all use of it
// behind a Mutex, which is what makes sharing it across threads sound.
unsafe impl Send for Decoder {}

impl Drop for Decoder {
    fn drop(&mut self) {
        unsafe { ps::ps_free(self.ps.as_ptr()) };
    }
}

impl Decoder {
    /// A decoder on the acoustic model in `acoustic_dir`, with an empty
    /// dictionary and no search yet.
    pub fn new(acoustic_dir: &Path) -> Result<Self, SpeechError> {
        let hmm = acoustic_dir
            .to_str()
            .and_then(|dir| CString::new(dir).ok())
            .ok_or_else(|| SpeechError::InvalidPath(acoustic_dir.to_path_buf()))?;
        let config = Config::new()?;
        config.set_str(c"hmm", &hmm)?;
        // Without the lattice pass the result must reach the grammar's final
        // state: a partial path ("fifth of") comes back empty instead.
        config.set_bool(c"bestpath", false)?;
        // A low word insertion penalty (upstream: 0.65) stops a quiet tail
        // from turning "nineteen seventy" into "nineteen seventy eight"; on
        // 400 generated answers it halved the word error rate.
        config.set_float(c"wip", 0.05)?;
        // No-match results are routine here; only fatal messages reach stderr.
        config.set_str(c"loglevel", c"FATAL")?;
        let decoder = unsafe { ps::ps_init(config.0.as_ptr()) };
        NonNull::new(decoder).map(|ps| Self { ps }).ok_or_else(|| {
            SpeechError::Decoder(format!(
                "load the acoustic model in {}",
                acoustic_dir.display()
            ))
        })
    }

    pub fn add_word(&mut self, word: &str, phones: &str) -> Result<(), SpeechError> {
        let (w, p) = (cstring(word)?, cstring(phones)?);
        let rc = unsafe { ps::ps_add_word(self.ps.as_ptr(), w.as_ptr(), p.as_ptr(), 0) };
        check(rc >= 0, || format!("add the word {word:?} ({phones})"))
    }

    pub fn add_grammar(&mut self, name: &str, jsgf: &str) -> Result<(), SpeechError> {
        let (n, g) = (cstring(name)?, cstring(jsgf)?);
        let rc = unsafe { ps::ps_add_jsgf_string(self.ps.as_ptr(), n.as_ptr(), g.as_ptr()) };
        check(rc == 0, || format!("compile the {name} grammar"))
    }

    /// Decodes one whole utterance of 16 kHz PCM with the grammar `search`;
    /// "" when no path through the grammar fits.
    pub fn decode(&mut self, search: &str, pcm: &[i16]) -> Result<String, SpeechError> {
        let name = cstring(search)?;
        let ps = self.ps.as_ptr();
        let rc = unsafe { ps::ps_activate_search(ps, name.as_ptr()) };
        check(rc == 0, || format!("activate the {search} grammar"))?;
        check(unsafe { ps::ps_start_utt(ps) } == 0, || {
            "start an utterance".into()
        })?;
        let processed = unsafe { ps::ps_process_raw(ps, pcm.as_ptr(), pcm.len(), 0, 1) };
        let ended = unsafe { ps::ps_end_utt(ps) };
        check(processed >= 0, || "process audio".into())?;
        check(ended >= 0, || "end an utterance".into())?;
        let hyp = unsafe { ps::ps_get_hyp(ps, std::ptr::null_mut()) };
        if hyp.is_null() {
            return Ok(String::new());
        }
        // Copied at once: the decoder owns the buffer and reuses it.
        let text = unsafe { CStr::from_ptr(hyp) }.to_string_lossy();
        Ok(text.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// A decoder configuration, freed when dropped (the decoder keeps its own
/// reference).
struct Config(NonNull<ps::ps_config_t>);

impl Config {
    fn new() -> Result<Self, SpeechError> {
        let config = unsafe { ps::ps_config_init(std::ptr::null()) };
        NonNull::new(config)
            .map(Self)
            .ok_or_else(|| SpeechError::Decoder("create a configuration".into()))
    }

    fn set_str(&self, name: &CStr, value: &CStr) -> Result<(), SpeechError> {
        let set = unsafe { ps::ps_config_set_str(self.0.as_ptr(), name.as_ptr(), value.as_ptr()) };
        check(!set.is_null(), || format!("set {name:?}"))
    }

    fn set_float(&self, name: &CStr, value: f64) -> Result<(), SpeechError> {
        let set = unsafe { ps::ps_config_set_float(self.0.as_ptr(), name.as_ptr(), value) };
        check(!set.is_null(), || format!("set {name:?}"))
    }

    fn set_bool(&self, name: &CStr, value: bool) -> Result<(), SpeechError> {
        let set =
            unsafe { ps::ps_config_set_bool(self.0.as_ptr(), name.as_ptr(), c_int::from(value)) };
        check(!set.is_null(), || format!("set {name:?}"))
    }
}

impl Drop for Config {
    fn drop(&mut self) {
        unsafe { ps::ps_config_free(self.0.as_ptr()) };
    }
}

fn cstring(text: &str) -> Result<CString, SpeechError> {
    CString::new(text).map_err(|_| SpeechError::Decoder(format!("accept {text:?} (NUL byte)")))
}

fn check(ok: bool, what: impl FnOnce() -> String) -> Result<(), SpeechError> {
    if ok {
        Ok(())
    } else {
        Err(SpeechError::Decoder(what()))
    }
}
