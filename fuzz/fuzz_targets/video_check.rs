//! Journal videos: the container check must answer Ok or Err for any bytes,
//! in memory and from a reader. Any panic aborts (see audio_check.rs).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let in_memory = video::check(data, 100 * video::MB);
    let streamed = video::check_reader(data, data.len() as u64, 100 * video::MB);
    assert_eq!(in_memory, streamed);
});
