//! `cargo bench -p imaging`: what the confirm path costs for a 2048x2048
//! JPEG (validate, decode, re-encode, thumbnail), how fast a decompression
//! bomb is refused, and the peak heap memory of each; then the same steps in
//! Pillow on the same bytes (benches/pillow_steps.py, Pillow installed from
//! PyPI with pinned hashes into a throwaway venv under the target dir), the
//! two medians and their ratio, and how close each re-encoded image is to
//! the source (SSIM on luma). Prints figures; no assertions (speed goals
//! live here, not in tests).

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Counts live heap bytes and the peak since the last reset.
struct Counting;
static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn photo_jpeg(size: u32) -> Vec<u8> {
    // Gradients plus per-pixel noise: compresses like a photo, not like a flat fill.
    let mut seed = 0x2545_f491u32;
    let img = RgbImage::from_fn(size, size, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let n = (seed & 0x1f) as u8;
        Rgb([
            ((x * 255 / size) as u8).wrapping_add(n),
            ((y * 255 / size) as u8).wrapping_add(n),
            128u8.wrapping_add(n),
        ])
    });
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)
        .unwrap();
    out
}

/// A PNG header claiming 60000x60000 RGB (10 GB decoded) over a tiny body.
fn bomb_png() -> Vec<u8> {
    // A small real PNG with its IHDR patched (and its CRC recomputed).
    let mut out = Vec::new();
    DynamicImage::new_rgb8(8, 8)
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out[16..20].copy_from_slice(&60000u32.to_be_bytes());
    out[20..24].copy_from_slice(&60000u32.to_be_bytes());
    let crc = crc32fast::hash(&out[12..29]);
    out[29..33].copy_from_slice(&crc.to_be_bytes());
    out
}

fn measure<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut peak = 0;
    for _ in 0..runs {
        PEAK.store(CURRENT.load(Ordering::Relaxed), Ordering::Relaxed);
        let base = CURRENT.load(Ordering::Relaxed);
        let start = Instant::now();
        std::hint::black_box(f());
        times.push(start.elapsed());
        peak = peak.max(PEAK.load(Ordering::Relaxed) - base);
    }
    times.sort();
    (times[times.len() / 2], peak)
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

const RUNS: usize = 15;

fn main() {
    let max = 5 * 1024 * 1024;
    let jpeg = photo_jpeg(2048);
    println!("input: 2048x2048 JPEG, {:.2} MiB", mib(jpeg.len()));

    let (ours, peak) = measure(RUNS, || imaging::process(&jpeg, max).expect("valid image"));
    let t = ours;
    println!(
        "validate + decode + re-encode + thumbnail: median {:>8.1} ms, peak heap {:>6.1} MiB",
        t.as_secs_f64() * 1e3,
        mib(peak)
    );
    println!(
        "confirm path peak (upload bytes held + processing): {:.1} MiB",
        mib(peak + jpeg.len())
    );

    let (t, peak) = measure(9, || {
        imaging::dimensions(&jpeg, imaging::sniff(&jpeg).unwrap())
    });
    println!(
        "header-only dimension read:                median {:>8.3} ms, peak heap {:>6.3} MiB",
        t.as_secs_f64() * 1e3,
        mib(peak)
    );

    let bomb = bomb_png();
    let (t, peak) = measure(101, || {
        let r = imaging::process(&bomb, max);
        assert_eq!(r.err(), Some(imaging::ImageError::TooBig));
    });
    println!(
        "refuse a 60000x60000 decompression bomb:   median {:>8.3} ms, peak heap {:>6.3} MiB",
        t.as_secs_f64() * 1e3,
        mib(peak)
    );

    compare_with_pillow(&jpeg, ours);
}

/// Runs the Pillow script on the same bytes and prints both medians, the
/// ratio and the quality of each output against the source.
fn compare_with_pillow(jpeg: &[u8], ours: Duration) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pillow-bench");
    let python = match pillow_venv(&dir) {
        Ok(python) => python,
        Err(why) => {
            println!("Pillow comparison SKIPPED: {why}");
            return;
        }
    };
    let input = dir.join("input.jpg");
    let pillow_out = dir.join("pillow-output.jpg");
    std::fs::write(&input, jpeg).expect("writing the bench input");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/pillow_steps.py");
    let out = Command::new(&python)
        .arg(&script)
        .arg(&input)
        .arg(RUNS.to_string())
        .arg(&pillow_out)
        .output()
        .expect("running the Pillow script");
    if !out.status.success() {
        println!(
            "Pillow comparison SKIPPED: the script failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return;
    }
    let report = String::from_utf8_lossy(&out.stdout);
    // The decode alone, which neither side can skip: the floor of the ratio.
    let (decode, _) = measure(RUNS, || image::load_from_memory(jpeg).expect("decodes"));
    let parsed: serde_json::Value = serde_json::from_str(&report).expect("the script's JSON");
    let pillow_ms = parsed["median_ms"].as_f64().expect("the script's median");
    let ours_ms = ours.as_secs_f64() * 1e3;
    println!("Pillow: {}", report.trim());
    println!(
        "decode alone: ours (image/zune-jpeg) median {:.1} ms, Pillow (libjpeg-turbo) median {:.1} ms",
        decode.as_secs_f64() * 1e3,
        parsed["decode_only_median_ms"].as_f64().unwrap_or(f64::NAN)
    );
    println!(
        "same steps, same bytes: ours median {ours_ms:.1} ms, Pillow median {pillow_ms:.1} ms, \
         ours is {:.2}x Pillow's speed",
        pillow_ms / ours_ms
    );

    let source = image::load_from_memory(jpeg)
        .expect("the input decodes")
        .to_luma8();
    let ours_img = imaging::process(jpeg, 5 * 1024 * 1024)
        .expect("valid image")
        .image;
    let pillow_img = std::fs::read(&pillow_out).expect("Pillow's output");
    for (who, bytes) in [("ours", &ours_img), ("Pillow", &pillow_img)] {
        let decoded = image::load_from_memory(bytes)
            .expect("output decodes")
            .to_luma8();
        let ssim = image_compare::gray_similarity_structure(
            &image_compare::Algorithm::MSSIMSimple,
            &source,
            &decoded,
        )
        .expect("same dimensions")
        .score;
        println!(
            "quality vs source ({who:>6}): JPEG q{}, {:.2} MiB, SSIM(luma) {ssim:.4}",
            imaging::JPEG_QUALITY,
            mib(bytes.len())
        );
    }
}

/// A venv with the pinned Pillow, made once under the target dir; the
/// reason when Python or pip cannot make one.
fn pillow_venv(dir: &Path) -> Result<PathBuf, String> {
    let venv = dir.join("venv");
    let python = venv.join("bin/python");
    let ready = venv.join(".pillow-installed");
    if ready.exists() {
        return Ok(python);
    }
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let run = |cmd: &mut Command| -> Result<(), String> {
        let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{cmd:?} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    };
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    let requirements =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/pillow-requirements.txt");
    run(Command::new(&python)
        .args(["-m", "pip", "install", "--quiet", "--require-hashes", "-r"])
        .arg(requirements))?;
    std::fs::write(&ready, b"").map_err(|e| e.to_string())?;
    Ok(python)
}
