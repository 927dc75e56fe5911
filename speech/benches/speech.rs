//! `cargo bench -p speech`: model load time, memory, the decoding time of a
//! 3 s answer, and word error rate on the committed fixtures and on a larger
//! set generated with espeak-ng (skipped, with an install hint, without it).

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{expect_named, fixtures_dir, manifest, read_wav};
use speech::{Recognizer, SAMPLE_RATE};

const LOADS: usize = 3;
const RUNS: usize = 20;
const THREE_SECOND_ANSWER: &str = "dob_fifteenth_january_1990.wav";

fn main() {
    let rss_before = memory_kib("VmRSS");
    let mut load_times = Vec::new();
    let mut recognizer = None;
    for _ in 0..LOADS {
        let started = Instant::now();
        recognizer = Some(Recognizer::from_env().unwrap_or_else(|e| panic!("{e}")));
        load_times.push(started.elapsed());
    }
    let recognizer = recognizer.expect("loaded");
    let rss_loaded = memory_kib("VmRSS");
    println!(
        "model load: {} median, {} best ({LOADS} loads)",
        ms(median(&load_times)),
        ms(*load_times.iter().min().unwrap())
    );
    if let (Some(before), Some(after)) = (rss_before, rss_loaded) {
        println!(
            "memory: {} MiB resident with one recognizer ({} MiB before loading)",
            mib(after),
            mib(before)
        );
    }

    let dir = fixtures_dir();
    let pcm = read_wav(&dir.join(THREE_SECOND_ANSWER));
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        recognizer
            .transcribe(&pcm, speech::Expect::Date)
            .expect("transcribes");
        times.push(started.elapsed());
    }
    println!(
        "transcription of a {:.2} s date answer: {} median, {} best ({RUNS} runs)",
        pcm.len() as f64 / f64::from(SAMPLE_RATE),
        ms(median(&times)),
        ms(*times.iter().min().unwrap())
    );

    score("committed fixtures", &recognizer, &dir);
    match generate_bench_set() {
        Ok(generated) => score("generated answers", &recognizer, generated.path()),
        Err(why) => println!("generated answers: skipped ({why})"),
    }
    if let Some(peak) = memory_kib("VmHWM") {
        println!(
            "memory: {} MiB peak resident for the whole bench",
            mib(peak)
        );
    }
}

/// Transcribes every answer of `dir`'s manifest and prints WER, sentence
/// accuracy, the decoding speed and each miss.
fn score(label: &str, recognizer: &Recognizer, dir: &Path) {
    let fixtures = manifest(dir);
    let (mut errors, mut words, mut exact) = (0, 0, 0);
    let (mut audio, mut decoding) = (0.0, Duration::ZERO);
    let mut misses = Vec::new();
    for fixture in &fixtures {
        let pcm = read_wav(&dir.join(&fixture.file));
        let started = Instant::now();
        let heard = recognizer
            .transcribe(&pcm, expect_named(&fixture.expect))
            .expect("transcribes");
        decoding += started.elapsed();
        audio += pcm.len() as f64 / f64::from(SAMPLE_RATE);
        let reference: Vec<&str> = fixture.expected.split_whitespace().collect();
        let hypothesis: Vec<&str> = heard.words().collect();
        errors += strsim::generic_levenshtein(&reference, &hypothesis);
        words += reference.len();
        if heard.text == fixture.expected {
            exact += 1;
        } else {
            misses.push(format!(
                "  {} [{}, {}]: {:?} -> {:?}",
                fixture.file, fixture.voice, fixture.expect, fixture.expected, heard.text
            ));
        }
    }
    println!(
        "{label}: WER {:.1}% ({errors} word errors / {words} words), {exact}/{} answers exact, \
         decoding {:.3} s per second of audio",
        100.0 * errors as f64 / words.max(1) as f64,
        fixtures.len(),
        decoding.as_secs_f64() / audio.max(f64::EPSILON)
    );
    for miss in misses {
        println!("{miss}");
    }
}

/// The larger varied set, from the committed generator.
fn generate_bench_set() -> Result<tempfile::TempDir, String> {
    let out = tempfile::tempdir().map_err(|e| e.to_string())?;
    let script = fixtures_dir().join("generate.py");
    let result = Command::new("python3")
        .arg(&script)
        .arg("--bench")
        .arg(out.path())
        .output()
        .map_err(|e| format!("python3: {e}"))?;
    if result.status.success() {
        Ok(out)
    } else {
        Err(String::from_utf8_lossy(&result.stderr).trim().to_owned())
    }
}

/// A field of /proc/self/status in KiB (Linux only).
fn memory_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn mib(kib: u64) -> String {
    format!("{:.1}", kib as f64 / 1024.0)
}
