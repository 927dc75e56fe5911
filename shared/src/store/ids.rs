//! Integer ids without a shared counter item.
//!
//! The apps parse ids as numbers and JavaScript needs them below 2^53, so an
//! id is the milliseconds since 2020-01-01 (41 bits, until 2089) followed by
//! 12 random bits: time-ordered, at most 2^53 - 1, and drawn without any
//! request to DynamoDB. Every create is conditional on its item not existing
//! yet; two creates of one kind in the same millisecond draw the same id with
//! probability 1/4096, and the loser simply draws again. Ids issued by the
//! old counters (small integers) can never be drawn, so legacy data keeps
//! working.

use super::StoreError;
use std::future::Future;

/// 2020-01-01T00:00:00Z in Unix milliseconds.
pub const ID_EPOCH_MS: u64 = 1_577_836_800_000;
const RANDOM_BITS: u32 = 12;
/// The largest id JavaScript represents exactly.
pub const MAX_ID: u64 = (1 << 53) - 1;
/// Creates tried with fresh ids before a collision is reported as a conflict.
const ID_ATTEMPTS: usize = 4;

/// The id for a create at `unix_ms` with these random bits (the low 12 count).
pub fn id_at(unix_ms: u64, random: u16) -> u64 {
    let ms = unix_ms.saturating_sub(ID_EPOCH_MS);
    ((ms << RANDOM_BITS) | u64::from(random & ((1 << RANDOM_BITS) - 1))).min(MAX_ID)
}

/// A fresh id for a create now.
pub fn new_id() -> u64 {
    let now = crate::time::now().timestamp_millis().max(0) as u64;
    id_at(now, rand::random::<u16>())
}

/// Runs `create` with fresh ids until one is free: `create` must write
/// conditionally on the id's item not existing and answer
/// `StoreError::Conflict` when it does.
pub(crate) async fn with_fresh_id<T, F, Fut>(mut create: F) -> Result<T, StoreError>
where
    F: FnMut(u64) -> Fut,
    Fut: Future<Output = Result<T, StoreError>>,
{
    let mut attempt = 1;
    loop {
        match create(new_id()).await {
            Err(StoreError::Conflict) if attempt < ID_ATTEMPTS => attempt += 1,
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_time_ordered_and_safe_in_javascript() {
        let a = id_at(ID_EPOCH_MS + 1_000, 0xFFFF);
        let b = id_at(ID_EPOCH_MS + 1_001, 0);
        assert!(a < b, "a later millisecond sorts after any random bits");
        assert_eq!(a & 0xFFF, 0xFFF, "only 12 random bits are used");
        // The last millisecond that fits: late 2089.
        let last = id_at(ID_EPOCH_MS + (1 << 41) - 1, 0xFFF);
        assert_eq!(last, MAX_ID);
        assert!(id_at(u64::MAX, 0) <= MAX_ID, "never past 2^53 - 1");
    }

    #[test]
    fn new_ids_are_far_above_legacy_counter_ids() {
        // Six years after the epoch an id is already above 2^49.
        assert!(new_id() > 1 << 49);
    }

    #[tokio::test]
    async fn a_collision_draws_again_and_gives_up_after_a_few() {
        let mut calls = 0;
        let got = with_fresh_id(|id| {
            calls += 1;
            let collide = calls < 3;
            async move {
                match collide {
                    true => Err(StoreError::Conflict),
                    false => Ok(id),
                }
            }
        })
        .await;
        assert!(got.is_ok());
        assert_eq!(calls, 3);
        let mut calls = 0;
        let got: Result<u64, _> = with_fresh_id(|_| {
            calls += 1;
            async { Err(StoreError::Conflict) }
        })
        .await;
        assert!(matches!(got, Err(StoreError::Conflict)));
        assert_eq!(calls, ID_ATTEMPTS);
    }
}
