//! Every input the fuzzer ever crashed on (`fuzz/regressions/imaging_process/`)
//! and its seeds: each is answered (Ok or Err) without a single panic, not
//! even one caught by the guard.

use std::path::Path;

fn inputs() -> Vec<(String, Vec<u8>)> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    ["regressions/imaging_process", "seeds/imaging_process"]
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
        let (_, panics) = panic_guard::panics_during(|| imaging::process(&bytes, 5_000_000));
        assert_eq!(panics, 0, "process panicked on {name}");
        let (_, panics) = panic_guard::panics_during(|| {
            imaging::sniff(&bytes).map(|f| imaging::dimensions(&bytes, f))
        });
        assert_eq!(panics, 0, "dimensions panicked on {name}");
    }
}
