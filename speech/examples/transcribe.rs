//! Transcribes 16 kHz mono 16-bit WAV files with one grammar, printing the
//! load time and each transcript with its decoding time.
//!
//! cargo run --release -p speech --example transcribe -- date answer.wav [more.wav]

use std::process::ExitCode;
use std::time::Instant;

use speech::{Expect, Recognizer};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((expect, files)) = args.split_first() else {
        eprintln!("usage: transcribe <date|gender|confirmation> FILE.wav...");
        return ExitCode::FAILURE;
    };
    let expect = match expect.as_str() {
        "date" => Expect::Date,
        "gender" => Expect::Gender,
        "confirmation" => Expect::Confirmation,
        other => {
            eprintln!("unknown expectation {other:?}: date, gender or confirmation");
            return ExitCode::FAILURE;
        }
    };
    let started = Instant::now();
    let recognizer = match Recognizer::from_env() {
        Ok(recognizer) => recognizer,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "model loaded in {:.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    for file in files {
        match read_wav(file) {
            Ok(pcm) => {
                let started = Instant::now();
                match recognizer.transcribe(&pcm, expect) {
                    Ok(heard) => println!(
                        "{file}: {:?} ({:.0} ms)",
                        heard.text,
                        started.elapsed().as_secs_f64() * 1e3
                    ),
                    Err(e) => println!("{file}: error: {e}"),
                }
            }
            Err(e) => println!("{file}: {e}"),
        }
    }
    ExitCode::SUCCESS
}

fn read_wav(path: &str) -> Result<Vec<i16>, String> {
    let mut reader = hound::WavReader::open(path).map_err(|e| e.to_string())?;
    let spec = reader.spec();
    if spec.sample_rate != speech::SAMPLE_RATE || spec.channels != 1 || spec.bits_per_sample != 16 {
        return Err(format!("not 16 kHz mono 16-bit: {spec:?}"));
    }
    reader
        .samples::<i16>()
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())
}
