//! Password hashing with argon2id.
//!
//! Parameters: the argon2 crate's defaults, m = 19 MiB, t = 2, p = 1, which
//! are OWASP's recommended minimum for argon2id (the login bench in the
//! README measures their cost per login).
//!
//! Verification never runs on the async executor and never allocates its
//! 19 MiB working memory per login: a few dedicated threads each own one
//! reused block buffer. Allocating and freeing that much per login made
//! glibc's malloc keep fragmented per-thread arenas, and a warm login
//! function grew to gigabytes after a few hundred logins.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex, OnceLock};

/// Stored hashes asking for more memory than this are refused (verify as
/// false) rather than allocated: 64 MiB.
const MAX_MEMORY_KIB: u32 = 64 * 1024;

pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters cannot fail on a generated salt")
        .to_string()
}

/// Verifies `password` against a stored PHC string on a hashing thread. A
/// malformed stored hash verifies as false.
pub async fn verify(password: &str, stored: &str) -> bool {
    run(password, Some(stored.to_string())).await
}

/// Spends the same work as a real verification, so an unknown username takes
/// as long to refuse as a wrong password.
pub async fn verify_against_dummy(password: &str) {
    let _ = run(password, None).await;
}

struct Job {
    password: String,
    /// `None`: the dummy hash.
    stored: Option<String>,
    reply: tokio::sync::oneshot::Sender<bool>,
}

async fn run(password: &str, stored: Option<String>) -> bool {
    let (reply, answer) = tokio::sync::oneshot::channel();
    let job = Job {
        password: password.to_string(),
        stored,
        reply,
    };
    if pool().send(job).is_err() {
        tracing::error!("password hashing threads are gone");
        return false;
    }
    answer.await.unwrap_or(false)
}

/// The hashing threads: as many as the machine has cores (a Lambda function
/// serves one request at a time, so one does the work there), at most four.
fn pool() -> &'static SyncSender<Job> {
    static POOL: OnceLock<SyncSender<Job>> = OnceLock::new();
    POOL.get_or_init(|| {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(4);
        let (tx, rx) = mpsc::sync_channel::<Job>(64);
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..threads {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || worker(rx))
                .expect("a hashing thread starts");
        }
        tx
    })
}

fn worker(jobs: Arc<Mutex<Receiver<Job>>>) {
    let dummy = hash("not-a-real-password");
    let mut memory: Vec<Block> = Vec::new();
    loop {
        let job = match jobs.lock() {
            Ok(rx) => match rx.recv() {
                Ok(job) => job,
                Err(_) => return,
            },
            Err(_) => return,
        };
        let stored = job.stored.as_deref().unwrap_or(&dummy);
        let ok = check(job.password.as_bytes(), stored, &mut memory);
        let _ = job.reply.send(ok && job.stored.is_some());
    }
}

/// The check itself, with the caller's reusable working memory.
fn check(password: &[u8], stored: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm) else {
        return false;
    };
    let version = parsed
        .version
        .and_then(|v| Version::try_from(v).ok())
        .unwrap_or_default();
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    if params.m_cost() > MAX_MEMORY_KIB {
        return false;
    }
    let blocks = params.block_count();
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let mut out = [0u8; 64];
    let Some(out) = out.get_mut(..expected.len()) else {
        return false;
    };
    let hasher = Argon2::new(algorithm, version, params);
    if hasher
        .hash_password_into_with_memory(password, salt, out, &mut memory[..blocks])
        .is_err()
    {
        return false;
    }
    // Constant-time comparison (`Output`'s equality).
    argon2::password_hash::Output::new(out).is_ok_and(|computed| computed == expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() {
        let h = hash("s3cret!");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("s3cret!", &h).await);
        assert!(!verify("S3cret!", &h).await);
        assert!(!verify("s3cret!", "not a hash").await);
        verify_against_dummy("anything").await;
    }

    #[test]
    fn reused_memory_verifies_like_a_fresh_one() {
        let h = hash("pw");
        let mut memory = Vec::new();
        for _ in 0..3 {
            assert!(check(b"pw", &h, &mut memory));
            assert!(!check(b"pX", &h, &mut memory));
        }
        let blocks = memory.len();
        assert!(check(b"pw", &h, &mut memory));
        assert_eq!(memory.len(), blocks, "the buffer is reused, not grown");
    }

    #[test]
    fn hashes_asking_for_too_much_memory_are_refused() {
        let greedy = "$argon2id$v=19$m=1048576,t=1,p=1$c2FsdHNhbHRzYWx0$\
                      AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        assert!(!check(b"pw", greedy, &mut Vec::new()));
    }
}
