//! One rule for the media crates (`audio`, `imaging`, `video`): every call
//! into a third-party decoder or parser runs under [`catch`], so that a bug
//! in a dependency fed with hostile bytes becomes that crate's "invalid file"
//! error instead of a 500 (or, with `panic = "abort"`, a dead Lambda
//! sandbox). The release profile therefore uses `panic = "unwind"`.
//!
//! Catching is the last line of defence, not the first: the crates validate
//! the headers they know to be dangerous before a decoder sees them, and the
//! fuzz targets (`fuzz/`) look for panics so that they are fixed at the cause.
//!
//! The default panic hook still prints the panic (file, line, message), so a
//! caught panic shows up in the function's log and can be reported upstream.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

/// Runs `f`; `None` if it panicked.
///
/// `AssertUnwindSafe` is sound here because everything `f` touches is owned
/// by the closure (a decoder, a reader over borrowed bytes) and is dropped
/// with the panic: no half-updated state is observed afterwards.
pub fn catch<T>(f: impl FnOnce() -> T) -> Option<T> {
    catch_unwind(AssertUnwindSafe(f)).ok()
}

thread_local! {
    static PANICS: Cell<usize> = const { Cell::new(0) };
}

/// Runs `f` and counts the panics raised on this thread meanwhile, caught
/// or not by [`catch`]. For tests: a regression input must not even panic
/// inside a guard (the guard is the last line of defence, not the fix).
pub fn panics_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    static COUNTING_HOOK: Once = Once::new();
    COUNTING_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.with(|n| n.set(n.get() + 1));
            previous(info);
        }));
    });
    let before = PANICS.with(Cell::get);
    let value = f();
    (value, PANICS.with(Cell::get) - before)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_passes_through() {
        assert_eq!(catch(|| 41 + 1), Some(42));
    }

    #[test]
    fn a_panic_becomes_none() {
        let overflow = |x: u16| -> u16 {
            let v: Vec<u16> = vec![x];
            v[0].checked_mul(x).expect("overflow")
        };
        assert_eq!(catch(|| overflow(65535)), None);
        assert_eq!(catch(|| overflow(2)), Some(4));
    }

    #[test]
    fn caught_panics_are_counted() {
        assert_eq!(panics_during(|| catch(|| 1)), (Some(1), 0));
        let (value, panics) = panics_during(|| catch(|| -> u8 { panic!("boom") }));
        assert_eq!((value, panics), (None, 1));
    }
}
