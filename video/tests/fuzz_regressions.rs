//! Every input the fuzzer ever crashed on (`fuzz/regressions/video_check/`)
//! and its seeds: each is answered (Ok or Err) without a single panic, not
//! even one caught by the guard.

use std::path::Path;

fn inputs() -> Vec<(String, Vec<u8>)> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    ["regressions/video_check", "seeds/video_check"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(fuzz.join(dir)).unwrap())
        .map(|entry| entry.unwrap().path())
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect()
}

#[test]
fn every_fuzz_input_is_answered_without_a_panic() {
    let inputs = inputs();
    assert!(!inputs.is_empty());
    for (name, bytes) in inputs {
        let (_, panics) = panic_guard::panics_during(|| video::check(&bytes, 100 * video::MB));
        assert_eq!(panics, 0, "check panicked on {name}");
        let (_, panics) = panic_guard::panics_during(|| {
            video::check_reader(bytes.as_slice(), bytes.len() as u64, 100 * video::MB)
        });
        assert_eq!(panics, 0, "check_reader panicked on {name}");
    }
}
