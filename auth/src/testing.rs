//! In-memory doubles for native tests.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::app::{Env, RandomError};

/// A settable clock and a counter-based "random" source: deterministic yet never repeating.
pub struct FakeEnv {
    pub now: AtomicU64,
    counter: AtomicU64,
}

impl FakeEnv {
    pub fn at(now: u64) -> Self {
        Self {
            now: AtomicU64::new(now),
            counter: AtomicU64::new(1),
        }
    }

    pub fn advance(&self, seconds: u64) {
        self.now.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Env for FakeEnv {
    fn now(&self) -> u64 {
        self.now.load(Ordering::SeqCst)
    }

    fn fill_random(&self, buf: &mut [u8]) -> Result<(), RandomError> {
        let n = self.counter.fetch_add(1, Ordering::SeqCst).to_le_bytes();
        for (i, byte) in buf.iter_mut().enumerate() {
            *byte = n[i % 8] ^ (i as u8);
        }
        Ok(())
    }
}
