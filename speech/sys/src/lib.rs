//! Hand-written FFI declarations for the part of the PocketSphinx 5 C API the
//! `speech` crate uses (decoder, grammars, dictionary words, endpointer).
//! Signatures follow `include/pocketsphinx.h`, `search.h` and `endpointer.h`
//! of pocketsphinx 5.1.1. Everything here is unsafe; `speech` wraps it.
#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_double, c_int};

/// `ps_config_t`, opaque.
#[repr(C)]
pub struct ps_config_t {
    _private: [u8; 0],
}

/// `ps_decoder_t`, opaque.
#[repr(C)]
pub struct ps_decoder_t {
    _private: [u8; 0],
}

/// `ps_endpointer_t`, opaque.
#[repr(C)]
pub struct ps_endpointer_t {
    _private: [u8; 0],
}

/// `ps_vad_t`, opaque.
#[repr(C)]
pub struct ps_vad_t {
    _private: [u8; 0],
}

/// `ps_arg_t`, opaque (only passed as NULL for the default definitions).
#[repr(C)]
pub struct ps_arg_t {
    _private: [u8; 0],
}

/// `anytype_t`, opaque (setters return a pointer to it, NULL on error).
#[repr(C)]
pub struct anytype_t {
    _private: [u8; 0],
}

/// `ps_vad_mode_t`: how aggressively the voice activity detector rejects.
pub type ps_vad_mode_t = c_int;
pub const PS_VAD_LOOSE: ps_vad_mode_t = 0;
pub const PS_VAD_MEDIUM_LOOSE: ps_vad_mode_t = 1;
pub const PS_VAD_MEDIUM_STRICT: ps_vad_mode_t = 2;
pub const PS_VAD_STRICT: ps_vad_mode_t = 3;

extern "C" {
    pub fn ps_config_init(defn: *const ps_arg_t) -> *mut ps_config_t;
    pub fn ps_config_free(config: *mut ps_config_t) -> c_int;
    pub fn ps_config_set_str(
        config: *mut ps_config_t,
        name: *const c_char,
        val: *const c_char,
    ) -> *const anytype_t;
    pub fn ps_config_set_bool(
        config: *mut ps_config_t,
        name: *const c_char,
        val: c_int,
    ) -> *const anytype_t;
    pub fn ps_config_set_float(
        config: *mut ps_config_t,
        name: *const c_char,
        val: c_double,
    ) -> *const anytype_t;

    pub fn ps_init(config: *mut ps_config_t) -> *mut ps_decoder_t;
    pub fn ps_free(ps: *mut ps_decoder_t) -> c_int;
    pub fn ps_add_word(
        ps: *mut ps_decoder_t,
        word: *const c_char,
        phones: *const c_char,
        update: c_int,
    ) -> c_int;
    pub fn ps_add_jsgf_string(
        ps: *mut ps_decoder_t,
        name: *const c_char,
        jsgf_string: *const c_char,
    ) -> c_int;
    pub fn ps_activate_search(ps: *mut ps_decoder_t, name: *const c_char) -> c_int;
    pub fn ps_start_utt(ps: *mut ps_decoder_t) -> c_int;
    pub fn ps_process_raw(
        ps: *mut ps_decoder_t,
        data: *const i16,
        n_samples: usize,
        no_search: c_int,
        full_utt: c_int,
    ) -> c_int;
    pub fn ps_end_utt(ps: *mut ps_decoder_t) -> c_int;
    pub fn ps_get_hyp(ps: *mut ps_decoder_t, out_best_score: *mut i32) -> *const c_char;

    pub fn ps_endpointer_init(
        window: c_double,
        ratio: c_double,
        mode: ps_vad_mode_t,
        sample_rate: c_int,
        frame_length: c_double,
    ) -> *mut ps_endpointer_t;
    pub fn ps_endpointer_free(ep: *mut ps_endpointer_t) -> c_int;
    pub fn ps_endpointer_vad(ep: *mut ps_endpointer_t) -> *mut ps_vad_t;
    pub fn ps_vad_frame_size(vad: *mut ps_vad_t) -> usize;
    pub fn ps_endpointer_process(ep: *mut ps_endpointer_t, frame: *const i16) -> *const i16;
    pub fn ps_endpointer_end_stream(
        ep: *mut ps_endpointer_t,
        frame: *const i16,
        nsamp: usize,
        out_nsamp: *mut usize,
    ) -> *const i16;
    pub fn ps_endpointer_in_speech(ep: *mut ps_endpointer_t) -> c_int;
    pub fn ps_endpointer_speech_start(ep: *mut ps_endpointer_t) -> c_double;
    pub fn ps_endpointer_speech_end(ep: *mut ps_endpointer_t) -> c_double;
}

/// `ps_endpointer_frame_size` is a macro in the C header.
///
/// # Safety
/// `ep` must be a live endpointer from [`ps_endpointer_init`].
pub unsafe fn ps_endpointer_frame_size(ep: *mut ps_endpointer_t) -> usize {
    ps_vad_frame_size(ps_endpointer_vad(ep))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Links the compiled library and calls into it: proves the declarations
    // resolve and the endpointer reports the documented frame size.
    #[test]
    fn endpointer_frame_is_30_ms_at_16_khz() {
        unsafe {
            let ep = ps_endpointer_init(0.0, 0.0, PS_VAD_LOOSE, 16_000, 0.0);
            assert!(!ep.is_null());
            assert_eq!(ps_endpointer_frame_size(ep), 480);
            assert_eq!(ps_endpointer_in_speech(ep), 0);
            ps_endpointer_free(ep);
        }
    }
}
