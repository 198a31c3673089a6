//! One key space per store label, whatever database the label is mapped to.
//!
//! Operators may point the `auth`, `motus` and `score` labels at one Redis database (Redis has
//! no notion of a store; Spin's SQLite store keeps the label in a column, Redis does not). motus
//! and score both keep `game:{id}`, so without a prefix they overwrite each other. Every key is
//! therefore stored as `<label>/<key>`; the services never see the prefix.
//!
//! Stores written before the prefix (one store per label, as every shipped runtime config had)
//! hold their keys bare. They move under the prefix once, the first time a request needs to know
//! that a key is absent or is about to change one: a marker `<label>/kv#layout` records that the
//! move is done. Reads that find their key, and swaps after them, need no marker, so the hot
//! paths (a session lookup, a guess on an existing game) cost no extra round trip; any other
//! request reads the marker once.
//!
//! The move is claimed through a counter so one instance does it while the others wait; an
//! instance that dies mid-move is replaced once its progress stops for [`STALL`]. Each key is
//! copied only where the prefixed key is still absent (a compare-and-swap), then the bare one is
//! deleted, so a move cut short and resumed never overwrites newer data.

use std::cell::Cell;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::{Kv, StoreError};

/// A store that can also list its keys (wasi:keyvalue's `list-keys`): needed only to find the
/// keys of the unprefixed layout.
pub trait Listing: Kv {
    fn keys(&self) -> Result<Vec<String>, StoreError>;
}

/// Present once the bare keys have moved; holds when (ms since the epoch) the move finished.
const LAYOUT: &str = "kv#layout";
/// Which attempt at the move is current; bumped when a mover is presumed dead.
const EPOCH: &str = "kv#move-epoch";
/// Raised every [`PROGRESS_EVERY`] keys the mover copies, so waiters can tell a slow mover
/// from a dead one.
const PROGRESS: &str = "kv#move-progress";
const PROGRESS_EVERY: usize = 16;

/// How long a mover may go without progress before another instance takes over.
const STALL: Duration = if cfg!(test) {
    Duration::from_millis(200)
} else {
    Duration::from_secs(5)
};
/// How long a request waits for another instance's move before answering "unavailable".
const WAIT_LIMIT: Duration = if cfg!(test) {
    Duration::from_secs(5)
} else {
    Duration::from_secs(20)
};
/// A read that missed may predate a move that finished this recently (clocks of several
/// machines included): such a miss is read again.
const RECENT_MS: u128 = 60_000;

/// A [`Kv`] whose keys all live under `<label>/` in the store underneath.
pub struct Namespaced<B> {
    inner: B,
    prefix: String,
    /// Whether this instance has seen the marker (each request is a fresh instance).
    settled: Cell<bool>,
}

impl<B: Listing> Namespaced<B> {
    pub fn new(label: &str, inner: B) -> Self {
        Self {
            inner,
            prefix: format!("{label}/"),
            settled: Cell::new(false),
        }
    }

    /// The store underneath, with its real (prefixed) keys.
    pub fn inner(&self) -> &B {
        &self.inner
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// Makes sure the bare keys have moved. `Ok(true)`: the move finished so recently (or just
    /// now) that a read made before this call may have missed a key that was moving.
    fn settle(&self) -> Result<bool, StoreError> {
        if self.settled.get() {
            return Ok(false);
        }
        let recent = match self.inner.get(&self.key(LAYOUT))? {
            Some(done) => finished_recently(&done),
            None => {
                self.wait_or_move()?;
                true
            }
        };
        self.settled.set(true);
        Ok(recent)
    }

    fn wait_or_move(&self) -> Result<(), StoreError> {
        let started = Instant::now();
        loop {
            let epoch = self.inner.increment(&self.key(EPOCH), 0)?;
            if self
                .inner
                .increment(&self.key(&format!("{EPOCH}:{epoch}:claim")), 1)?
                == 1
            {
                return self.move_bare_keys();
            }
            if self.wait_for_mover(epoch, started)? {
                return Ok(());
            }
        }
    }

    /// Waits until the mover of `epoch` is done (`true`), or has stalled (`false`: one waiter
    /// opens the next epoch, and the caller claims it anew).
    fn wait_for_mover(&self, epoch: i64, started: Instant) -> Result<bool, StoreError> {
        let mut progress = self.inner.increment(&self.key(PROGRESS), 0)?;
        let mut since = Instant::now();
        let mut pause = Duration::from_millis(1);
        loop {
            if self.inner.get(&self.key(LAYOUT))?.is_some() {
                return Ok(true);
            }
            if started.elapsed() > WAIT_LIMIT {
                return Err(StoreError::Unavailable(
                    "the store is moving to the namespaced key layout; try again".into(),
                ));
            }
            let now = self.inner.increment(&self.key(PROGRESS), 0)?;
            if now != progress {
                progress = now;
                since = Instant::now();
            } else if since.elapsed() > STALL {
                let takeover = self.key(&format!("{EPOCH}:{epoch}:takeover"));
                if self.inner.increment(&takeover, 1)? == 1 {
                    self.inner.increment(&self.key(EPOCH), 1)?;
                }
                return Ok(false);
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(50));
        }
    }

    fn move_bare_keys(&self) -> Result<(), StoreError> {
        let bare = self
            .inner
            .keys()?
            .into_iter()
            .filter(|k| !in_a_namespace(k));
        for (n, key) in bare.enumerate() {
            if let Some(value) = self.inner.get(&key)? {
                let (cas, current) = self.inner.watch(&self.key(&key))?;
                if current.is_none() {
                    // Stores that misreport a swap still wrote it; one that refused was beaten
                    // by a newer value, which stays.
                    self.inner.swap(cas, &value)?;
                }
                self.inner.delete(&key)?;
            }
            if n % PROGRESS_EVERY == PROGRESS_EVERY - 1 {
                self.inner.increment(&self.key(PROGRESS), 1)?;
            }
        }
        let done = now_ms().to_string();
        self.inner.set(&self.key(LAYOUT), done.as_bytes())
    }
}

/// Whether `key` is already some label's (`<label>/...`); bare keys of every service begin with
/// a word followed by `:`, `#` or `-`, never `/`.
pub fn in_a_namespace(key: &str) -> bool {
    match key.find('/') {
        Some(end) => end > 0 && !key[..end].contains([':', '#']),
        None => false,
    }
}

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

fn finished_recently(marker: &[u8]) -> bool {
    match std::str::from_utf8(marker)
        .ok()
        .and_then(|s| s.parse::<u128>().ok())
    {
        Some(done) => now_ms().saturating_sub(done) < RECENT_MS,
        None => true,
    }
}

impl<B: Listing> Kv for Namespaced<B> {
    type Cas = B::Cas;

    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let key = self.key(key);
        match self.inner.get(&key)? {
            Some(value) => Ok(Some(value)),
            None if self.settle()? => self.inner.get(&key),
            None => Ok(None),
        }
    }

    fn get_many(&self, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        let keys: Vec<String> = keys.iter().map(|k| self.key(k)).collect();
        let found = self.inner.get_many(&keys)?;
        if found.iter().any(Option::is_none) && self.settle()? {
            return self.inner.get_many(&keys);
        }
        Ok(found)
    }

    fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.settle()?;
        self.inner.set(&self.key(key), value)
    }

    fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.settle()?;
        self.inner.delete(&self.key(key))
    }

    fn increment(&self, key: &str, delta: i64) -> Result<i64, StoreError> {
        self.settle()?;
        self.inner.increment(&self.key(key), delta)
    }

    fn watch(&self, key: &str) -> Result<(Self::Cas, Option<Vec<u8>>), StoreError> {
        let key = self.key(key);
        let (cas, current) = self.inner.watch(&key)?;
        if current.is_none() && self.settle()? {
            return self.inner.watch(&key);
        }
        Ok((cas, current))
    }

    fn swap(&self, cas: Self::Cas, value: &[u8]) -> Result<bool, StoreError> {
        self.inner.swap(cas, value)
    }
}

#[cfg(test)]
mod tests;
