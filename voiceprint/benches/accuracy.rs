//! Verification accuracy and speed: `cargo bench -p voiceprint`.
//!
//! Synthesises speakers with espeak-ng (voice variants, pitch and speed, some
//! reshaped with sox), enrolls each with 3 sentences, verifies 5 other
//! sentences of every speaker against every voiceprint, and prints the equal
//! error rate, FAR/FRR at the threshold, the score distributions, and the
//! time to load the model, embed 5 s of speech and verify end to end.
//! Skips (successfully) when espeak-ng or sox is missing.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use voiceprint::{preprocess, threshold_from_env, verify, Embedding, Encoder, SAMPLE_RATE};

/// A synthetic speaker: a TTS voice and the sox effects that reshape it.
struct Speaker {
    engine: Engine,
    sox: &'static [&'static str],
}

enum Engine {
    /// espeak-ng voice, pitch (0-99), words per minute.
    Espeak(&'static str, u32, u32),
    /// flite voice (kal16, awb, rms, slt: the last three are built from
    /// recordings of real CMU ARCTIC speakers, so closer to human voices).
    Flite(&'static str),
}

const fn espeak(
    voice: &'static str,
    pitch: u32,
    speed: u32,
    sox: &'static [&'static str],
) -> Speaker {
    Speaker {
        engine: Engine::Espeak(voice, pitch, speed),
        sox,
    }
}

const fn flite(voice: &'static str, sox: &'static [&'static str]) -> Speaker {
    Speaker {
        engine: Engine::Flite(voice),
        sox,
    }
}

/// Each espeak-ng variant (m1-m7, f1-f5: the timbre) appears once, with
/// different accents, pitches and speeds; two variants sharing a timbre would
/// be the same synthetic voice, not two people.
const SPEAKERS: &[Speaker] = &[
    espeak("en-us+m1", 50, 170, &[]),
    espeak("en-gb+m2", 40, 160, &[]),
    espeak("en-us+m3", 50, 175, &[]),
    espeak("en-gb-scotland+m4", 55, 165, &[]),
    espeak("en-029+m5", 45, 180, &[]),
    espeak("en-us-nyc+m6", 35, 170, &[]),
    espeak("en-us+m7", 50, 155, &[]),
    espeak("en-us+f1", 60, 170, &[]),
    espeak("en-gb+f2", 65, 175, &[]),
    espeak("en-us-nyc+f3", 70, 165, &[]),
    espeak("en-us+f4", 75, 180, &[]),
    espeak("en-gb-x-rp+f5", 70, 160, &[]),
    flite("kal16", &[]),
    flite("awb", &[]),
    flite("rms", &[]),
    flite("slt", &[]),
    // Relatives: the same voice reshaped by sox, deeper and slower or higher
    // and bassier. The hardest impostors for m3, f2 and rms.
    espeak("en-us+m3", 50, 175, &["pitch", "-300", "tempo", "0.92"]),
    espeak("en-gb+f2", 65, 175, &["pitch", "250", "bass", "+4"]),
    flite("rms", &["pitch", "-250", "tempo", "0.95"]),
];

/// Recording conditions of the verification clips (enrollment is clean): the
/// same person on another day, phone or room.
const CHANNELS: &[&[&str]] = &[
    &[],
    &["highpass", "300", "lowpass", "3400"],
    &["reverb", "40"],
    &["speed", "1.04"],
    &["gain", "-20", "equalizer", "1500", "2q", "6"],
];

const ENROLL: &[&str] = &[
    "My team moved to the new building last spring, and since then I have been taking the early bus every single morning.",
    "Before lunch I usually review the reports from the night shift, answer a few questions, and plan the rest of the week.",
    "On weekends I enjoy long walks along the river, cooking for friends, and reading history books about faraway places.",
];
const VERIFY: &[&str] = &[
    "The weather turned cold and windy today, so everyone stayed inside and the meeting ran much longer than planned.",
    "Please remember to lock the side door when you leave, because the alarm system will be tested tomorrow evening.",
    "Our new coffee machine makes surprisingly good espresso, although it takes almost five minutes to warm up properly.",
    "She told me the train was delayed by an hour, so we decided to share a taxi and arrived just before the concert.",
    "Seven small boats were sailing slowly across the bay while the children counted them from the top of the hill.",
];

fn main() {
    if !tool_present("espeak-ng", "--version") || !tool_present("sox", "--version") {
        println!(
            "voiceprint accuracy bench skipped: espeak-ng and sox are needed to synthesise the \
             speakers (Debian: apt-get install espeak-ng sox)"
        );
        return;
    }
    let with_flite = tool_present("flite", "-lv");
    if !with_flite {
        println!("flite not found: espeak-ng speakers only (apt-get install flite adds 5 more, closer to human voices)");
    }
    let speakers: Vec<&Speaker> = SPEAKERS
        .iter()
        .filter(|s| with_flite || matches!(s.engine, Engine::Espeak(..)))
        .collect();
    let (encoder, load_time) = load_encoder();
    let threshold = threshold_from_env().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().expect("temporary directory");

    println!(
        "synthesising {} speakers x {} sentences...",
        speakers.len(),
        ENROLL.len() + VERIFY.len()
    );
    let started = Instant::now();
    let mut voiceprints = Vec::new();
    let mut samples = Vec::new(); // (speaker, embedding)
    let mut five_seconds = None;
    let mut raw_clip = None;
    for (s, speaker) in speakers.iter().enumerate() {
        let embed = |text: &str, tag: &str, channel: &[&str]| {
            let path = dir.path().join(format!("{s}_{tag}.wav"));
            synthesise(speaker, text, channel, &path);
            let (pcm, rate) = read_wav(&path);
            let speech = preprocess(&pcm, rate).expect("preprocess");
            let embedding = encoder.embed(&speech).expect("embed");
            (embedding, speech, pcm, rate)
        };
        let enrolled: Vec<Embedding> = ENROLL
            .iter()
            .enumerate()
            .map(|(i, text)| embed(text, &format!("e{i}"), &[]).0)
            .collect();
        voiceprints.push(Embedding::mean(&enrolled).expect("voiceprint"));
        for (i, text) in VERIFY.iter().enumerate() {
            let channel = CHANNELS[i % CHANNELS.len()];
            let (embedding, speech, pcm, rate) = embed(text, &format!("v{i}"), channel);
            if five_seconds.is_none() && speech.samples.len() >= 5 * SAMPLE_RATE as usize {
                let mut speech = speech;
                speech.samples.truncate(5 * SAMPLE_RATE as usize);
                speech.seconds = 5.0;
                five_seconds = Some(speech);
                raw_clip = Some((pcm, rate));
            }
            samples.push((s, embedding));
        }
    }
    println!("done in {:.1} s\n", started.elapsed().as_secs_f64());

    let mut genuine = Vec::new();
    let mut impostor = Vec::new(); // (score, claimed speaker, real speaker)
    for (real, embedding) in &samples {
        for (claimed, voiceprint) in voiceprints.iter().enumerate() {
            let score = voiceprint.cosine(embedding);
            if claimed == *real {
                genuine.push(score);
            } else {
                impostor.push((score, claimed, *real));
            }
        }
    }
    let impostor_scores: Vec<f32> = impostor.iter().map(|t| t.0).collect();

    println!(
        "trials: {} genuine, {} impostor",
        genuine.len(),
        impostor.len()
    );
    let (eer, eer_threshold) = equal_error_rate(&genuine, &impostor_scores);
    println!(
        "equal error rate: {:.2} % (at threshold {eer_threshold:.3})",
        100.0 * eer
    );
    let far = share(&impostor_scores, |x| x >= threshold);
    let frr = share(&genuine, |x| x < threshold);
    println!(
        "at threshold {threshold:.3}: false accept rate {:.2} % ({}/{}), false reject rate {:.2} % ({}/{})",
        100.0 * far,
        count(&impostor_scores, |x| x >= threshold),
        impostor_scores.len(),
        100.0 * frr,
        count(&genuine, |x| x < threshold),
        genuine.len(),
    );
    println!("\nthreshold  false accepts  false rejects");
    for step in 0..=8 {
        let t = 0.70 + 0.025 * step as f32;
        println!(
            "  {t:.3}     {:>6.2} %       {:>6.2} %",
            100.0 * share(&impostor_scores, |x| x >= t),
            100.0 * share(&genuine, |x| x < t)
        );
    }
    println!();
    print_distribution("genuine", &genuine);
    print_distribution("impostor", &impostor_scores);
    // espeak-ng voices share one formant synthesiser and sound alike to the
    // encoder; flite's come from recordings of different people.
    let engine = |s: usize| matches!(speakers[s].engine, Engine::Flite(_));
    for (label, flite_claimed, flite_real) in [
        ("espeak-ng vs espeak-ng", false, false),
        ("flite vs flite", true, true),
        ("flite vs espeak-ng", true, false),
    ] {
        let scores: Vec<f32> = impostor
            .iter()
            .filter(|(_, c, r)| {
                (engine(*c), engine(*r)) == (flite_claimed, flite_real)
                    || (engine(*c), engine(*r)) == (flite_real, flite_claimed)
            })
            .map(|t| t.0)
            .collect();
        if !scores.is_empty() {
            print_distribution(&format!("  {label}"), &scores);
            println!(
                "{:<26} false accept rate at {threshold:.3}: {:.2} %",
                "",
                100.0 * share(&scores, |x| x >= threshold)
            );
        }
    }
    println!();
    print_histogram(&genuine, &impostor_scores, threshold);
    impostor.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("\nhighest impostor scores (claimed <- real speaker):");
    for (score, claimed, real) in impostor.iter().take(5) {
        println!(
            "  {score:.3}  {} <- {}",
            describe(speakers[*claimed]),
            describe(speakers[*real])
        );
    }
    let mut lowest_genuine: Vec<(f32, usize)> = samples
        .iter()
        .map(|(s, e)| (voiceprints[*s].cosine(e), *s))
        .collect();
    lowest_genuine.sort_by(|a, b| a.0.total_cmp(&b.0));
    println!("lowest genuine scores:");
    for (score, s) in lowest_genuine.iter().take(3) {
        println!("  {score:.3}  {}", describe(speakers[*s]));
    }

    println!(
        "\ntimings (this build, {} threads available):",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!("  model load:                   {}", ms(load_time));
    let speech = five_seconds.expect("a verification clip with 5 s of speech");
    let embed_time = median_time(10, || {
        encoder.embed(&speech).expect("embed");
    });
    println!("  embed 5 s of speech:          {}", ms(embed_time));
    let (pcm, rate) = raw_clip.expect("raw clip");
    let voiceprint = &voiceprints[0];
    let verify_time = median_time(10, || {
        let speech = preprocess(&pcm, rate).expect("preprocess");
        let sample = encoder.embed(&speech).expect("embed");
        std::hint::black_box(verify(voiceprint, &sample, threshold));
    });
    println!(
        "  verify end to end:            {} ({:.1} s clip at {rate} Hz: preprocess + embed + cosine)",
        ms(verify_time),
        pcm.len() as f64 / f64::from(rate)
    );
}

fn tool_present(tool: &str, probe: &str) -> bool {
    Command::new(tool)
        .arg(probe)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn load_encoder() -> (Encoder, Duration) {
    let mut times = Vec::new();
    let mut encoder = None;
    for _ in 0..5 {
        let started = Instant::now();
        encoder = Some(Encoder::from_env().unwrap_or_else(|e| panic!("{e}")));
        times.push(started.elapsed());
    }
    times.sort();
    (encoder.expect("loaded"), times[times.len() / 2])
}

/// TTS to WAV, then sox to 16-bit mono at the TTS's own rate (22.05 kHz for
/// espeak-ng, 16 kHz for flite; the engine resamples as it would a client's
/// upload) with the speaker's and the channel's effects.
fn synthesise(speaker: &Speaker, text: &str, channel: &[&str], out: &Path) {
    let raw = out.with_extension("raw.wav");
    match speaker.engine {
        Engine::Espeak(voice, pitch, speed) => run(Command::new("espeak-ng")
            .args([
                "-v",
                voice,
                "-p",
                &pitch.to_string(),
                "-s",
                &speed.to_string(),
                "-w",
            ])
            .arg(&raw)
            .arg(text)),
        Engine::Flite(voice) => run(Command::new("flite")
            .args(["-voice", voice, "-t", text, "-o"])
            .arg(&raw)),
    }
    run(Command::new("sox")
        .arg("-D")
        .arg(&raw)
        .args(["-c", "1", "-b", "16"])
        .arg(out)
        .args(speaker.sox)
        .args(channel)
        .args(["pad", "0.3", "0.4"]));
}

fn run(command: &mut Command) {
    let status = command.status().expect("tool runs");
    assert!(status.success(), "{command:?} failed");
}

fn read_wav(path: &Path) -> (Vec<f32>, u32) {
    let mut reader = hound::WavReader::open(path).expect("readable wav");
    let rate = reader.spec().sample_rate;
    let pcm = reader
        .samples::<i16>()
        .map(|s| f32::from(s.expect("sample")) / 32768.0)
        .collect();
    (pcm, rate)
}

fn describe(s: &Speaker) -> String {
    let mut d = match s.engine {
        Engine::Espeak(voice, pitch, speed) => format!("espeak {voice} p{pitch} s{speed}"),
        Engine::Flite(voice) => format!("flite {voice}"),
    };
    if !s.sox.is_empty() {
        d.push_str(&format!(" [{}]", s.sox.join(" ")));
    }
    d
}

fn count(xs: &[f32], f: impl Fn(f32) -> bool) -> usize {
    xs.iter().filter(|&&x| f(x)).count()
}

fn share(xs: &[f32], f: impl Fn(f32) -> bool) -> f64 {
    count(xs, f) as f64 / xs.len().max(1) as f64
}

/// The rate where false accepts and false rejects are equal, found by trying
/// every observed score as the threshold; returns (rate, threshold).
fn equal_error_rate(genuine: &[f32], impostor: &[f32]) -> (f64, f32) {
    let mut best = (f64::MAX, 1.0, 0.0f32);
    for &t in genuine.iter().chain(impostor) {
        let far = share(impostor, |x| x >= t);
        let frr = share(genuine, |x| x < t);
        let gap = (far - frr).abs();
        if gap < best.0 {
            best = (gap, (far + frr) / 2.0, t);
        }
    }
    (best.1, best.2)
}

fn percentile(sorted: &[f32], p: f64) -> f32 {
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn print_distribution(name: &str, scores: &[f32]) {
    let mut sorted = scores.to_vec();
    sorted.sort_by(f32::total_cmp);
    let mean = sorted.iter().sum::<f32>() / sorted.len() as f32;
    println!(
        "{name:<26} n {:>4}  mean {mean:.3}  min {:.3}  p5 {:.3}  p25 {:.3}  median {:.3}  p75 {:.3}  p95 {:.3}  max {:.3}",
        sorted.len(),
        sorted[0],
        percentile(&sorted, 0.05),
        percentile(&sorted, 0.25),
        percentile(&sorted, 0.5),
        percentile(&sorted, 0.75),
        percentile(&sorted, 0.95),
        sorted[sorted.len() - 1],
    );
}

/// Share of each kind of trial per 0.025-wide score bin, as bars.
fn print_histogram(genuine: &[f32], impostor: &[f32], threshold: f32) {
    const WIDTH: f32 = 0.025;
    let lowest = genuine
        .iter()
        .chain(impostor)
        .copied()
        .fold(1.0f32, f32::min);
    let first = (lowest / WIDTH).floor() as i32;
    println!("score          genuine (#)                     impostor (*)");
    for bin in first..(1.0 / WIDTH) as i32 {
        let (lo, hi) = (bin as f32 * WIDTH, (bin + 1) as f32 * WIDTH);
        let g = share(genuine, |x| x >= lo && x < hi);
        let i = share(impostor, |x| x >= lo && x < hi);
        let marker = if threshold >= lo && threshold < hi {
            " <- threshold"
        } else {
            ""
        };
        println!(
            "{lo:.3}-{hi:.3}  {:<30}  {:<30}{marker}",
            "#".repeat((g * 60.0).round() as usize),
            "*".repeat((i * 60.0).round() as usize),
        );
    }
}

fn median_time(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
