//! Randomness as a port: use cases that make secrets (tokens, salts, game ids) ask a
//! [`Random`] instead of reading the host's source, so their tests get reproducible bytes.
//!
//! Used by auth (session tokens, password salts, account ids) and motus (game ids, practice
//! draws, the stored daily key).

#[cfg(any(test, feature = "memory"))]
use std::sync::atomic::{AtomicU64, Ordering};

/// The host had no randomness to give: answer `internal`, never make a weaker secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no randomness available: {0}")]
pub struct RandomError(pub String);

pub trait Random {
    /// Fills `buf` with bytes from a cryptographic source.
    fn fill(&self, buf: &mut [u8]) -> Result<(), RandomError>;

    /// `N` fresh bytes (e.g. `GameId::from_random(random.bytes()?)`).
    fn bytes<const N: usize>(&self) -> Result<[u8; N], RandomError>
    where
        Self: Sized,
    {
        let mut bytes = [0u8; N];
        self.fill(&mut bytes)?;
        Ok(bytes)
    }
}

impl<R: Random + ?Sized> Random for &R {
    fn fill(&self, buf: &mut [u8]) -> Result<(), RandomError> {
        (**self).fill(buf)
    }
}

/// The host's cryptographic source (`wasi:random` in a component).
#[derive(Debug, Clone, Copy, Default)]
pub struct OsRandom;

impl Random for OsRandom {
    fn fill(&self, buf: &mut [u8]) -> Result<(), RandomError> {
        getrandom::fill(buf).map_err(|e| RandomError(e.to_string()))
    }
}

/// Reproducible bytes for tests: every call gives different bytes (a call counter spread over
/// the buffer), so ids and tokens made in one test never collide, and a rerun makes the same.
#[cfg(any(test, feature = "memory"))]
#[derive(Debug)]
pub struct CountingRandom(AtomicU64);

#[cfg(any(test, feature = "memory"))]
impl CountingRandom {
    pub fn new() -> Self {
        Self(AtomicU64::new(1))
    }
}

#[cfg(any(test, feature = "memory"))]
impl Default for CountingRandom {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(any(test, feature = "memory"))]
impl Random for CountingRandom {
    fn fill(&self, buf: &mut [u8]) -> Result<(), RandomError> {
        let call = self.0.fetch_add(1, Ordering::SeqCst).to_le_bytes();
        for (i, byte) in buf.iter_mut().enumerate() {
            *byte = call[i % 8] ^ (i as u8);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_source_gives_fresh_bytes_each_time() {
        let a: [u8; 16] = OsRandom.bytes().unwrap();
        let b: [u8; 16] = OsRandom.bytes().unwrap();
        assert_ne!(a, b, "two draws of 128 bits never meet");
    }

    #[test]
    fn counting_bytes_differ_between_calls_and_repeat_between_runs() {
        let random = CountingRandom::new();
        let first: [u8; 16] = random.bytes().unwrap();
        let second: [u8; 16] = random.bytes().unwrap();
        assert_ne!(first, second);
        let rerun = CountingRandom::new();
        assert_eq!(rerun.bytes::<16>().unwrap(), first);
        assert_eq!(rerun.bytes::<16>().unwrap(), second);
    }

    #[test]
    fn a_use_case_can_hold_the_source_by_reference_or_as_a_trait_object() {
        fn draw<R: Random>(random: R) -> [u8; 4] {
            random.bytes().unwrap()
        }
        let random = CountingRandom::new();
        let by_ref = draw(&random);
        let dynamic: &dyn Random = &random;
        assert_ne!(draw(dynamic), by_ref);
    }
}
