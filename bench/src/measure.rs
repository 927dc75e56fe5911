//! What the bench reads off a function: memory from /proc, percentiles,
//! the deployment zip's size.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// A `kB` field of /proc/<pid>/status (VmRSS, VmHWM), in MiB.
pub fn proc_status_mib(pid: u32, field: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        let kib: f64 = rest.trim().trim_end_matches("kB").trim().parse().ok()?;
        Some(kib / 1024.0)
    })
}

/// The `q` quantile (0..=1) of `samples`, nearest rank.
pub fn quantile(samples: &[Duration], q: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

pub fn median(samples: &[Duration]) -> Duration {
    quantile(samples, 0.5)
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The size of the zip `sam build` / `cargo lambda build --output-format zip`
/// would upload: the binary as `bootstrap`, executable, deflated.
pub fn zip_size(binary: &Path) -> std::io::Result<u64> {
    let bytes = std::fs::read(binary)?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o755);
    zip.start_file("bootstrap", options)
        .map_err(std::io::Error::other)?;
    zip.write_all(&bytes)?;
    let out = zip.finish().map_err(std::io::Error::other)?;
    Ok(out.into_inner().len() as u64)
}

pub fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
