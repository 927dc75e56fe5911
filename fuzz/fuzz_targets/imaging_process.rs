//! Profile images: the header-only dimension read and the whole pipeline
//! (decode, orientation, re-encode, thumbnail) must answer Ok or Err for any
//! bytes. Any panic aborts (see audio_check.rs).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(format) = imaging::sniff(data) {
        let _ = imaging::dimensions(data, format);
    }
    let _ = imaging::process(data, 5_000_000);
});
