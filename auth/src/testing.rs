//! In-memory doubles for native tests.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use crate::app::{Env, RandomError};
use crate::domain::SessionToken;
use crate::siblings::{PlayerData, Sibling, SiblingFailure};

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

/// Siblings that remember what they were asked to forget, and can be told to fail.
#[derive(Default)]
pub struct FakePlayers {
    pub asked: Mutex<Vec<(Sibling, String, String)>>,
    pub down: Mutex<Vec<Sibling>>,
}

impl FakePlayers {
    pub fn take_down(&self, sibling: Sibling) {
        self.down.lock().unwrap().push(sibling);
    }

    pub fn bring_back(&self) {
        self.down.lock().unwrap().clear();
    }

    /// `(sibling, player)` of every call so far, in order.
    pub fn calls(&self) -> Vec<(Sibling, String)> {
        let asked = self.asked.lock().unwrap();
        asked.iter().map(|(s, p, _)| (*s, p.clone())).collect()
    }
}

impl PlayerData for FakePlayers {
    async fn forget(
        &self,
        sibling: Sibling,
        player: &str,
        token: &SessionToken,
    ) -> Result<(), SiblingFailure> {
        let call = (sibling, player.to_owned(), token.as_str().to_owned());
        self.asked.lock().unwrap().push(call);
        match self.down.lock().unwrap().contains(&sibling) {
            true => Err(SiblingFailure("answered 503".into())),
            false => Ok(()),
        }
    }
}
