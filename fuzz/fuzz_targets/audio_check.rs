//! Voice notes: the upload check and whole-file decoding must answer Ok or
//! Err for any bytes. libFuzzer's panic hook aborts on any panic, even one
//! that `panic_guard` would catch: the fuzzer reports it so it is fixed at
//! its cause.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = audio::check(data, 50 * audio::MB);
    let _ = audio::decode_mono(data, 30.0);
});
