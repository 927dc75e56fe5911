//! The CPU cost of one argon2id verification with the parameters logins use
//! (shared::password), on one core of this machine, and what that becomes
//! on the CPU share Lambda gives each memory size.

use std::time::{Duration, Instant};

/// Lambda gives a function one full vCPU at 1,769 MB and a proportional
/// share below that.
pub const FULL_VCPU_MB: f64 = 1769.0;

pub struct Argon2Cost {
    pub params: String,
    pub per_hash: Duration,
}

/// Median of `rounds` verifications on this thread.
pub fn measure(rounds: usize) -> Argon2Cost {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    let stored = shared::password::hash("bench-password-1");
    let parsed = PasswordHash::new(&stored).expect("our own hash parses");
    let params = stored.split('$').nth(3).unwrap_or("unknown").to_string();
    let argon = argon2::Argon2::default();
    let mut times: Vec<Duration> = (0..rounds.max(1))
        .map(|_| {
            let started = Instant::now();
            let ok = argon.verify_password(b"bench-password-1", &parsed).is_ok();
            assert!(ok, "the bench's own hash verifies");
            started.elapsed()
        })
        .collect();
    times.sort_unstable();
    Argon2Cost {
        params,
        per_hash: times[times.len() / 2],
    }
}

/// The time of one hash at `memory_mb` (throttled to its CPU share).
pub fn on_lambda(per_hash: Duration, memory_mb: u32) -> Duration {
    let share = (memory_mb as f64 / FULL_VCPU_MB).min(1.0);
    per_hash.div_f64(share)
}
