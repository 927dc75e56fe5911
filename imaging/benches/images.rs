//! `cargo bench -p imaging`: what the confirm path costs for a 2048x2048
//! JPEG (validate, decode, re-encode, thumbnail), how fast a decompression
//! bomb is refused, and the peak heap memory of each. Prints figures; no
//! assertions (speed goals live here, not in tests).

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Cursor;
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

fn main() {
    let max = 5 * 1024 * 1024;
    let jpeg = photo_jpeg(2048);
    println!("input: 2048x2048 JPEG, {:.2} MiB", mib(jpeg.len()));

    let (t, peak) = measure(9, || imaging::process(&jpeg, max).expect("valid image"));
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
}
