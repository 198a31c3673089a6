//! Read-modify-write of one JSON document that stays exact on stores whose compare-and-swap is
//! flawed (see the module docs of [`super`]).
//!
//! - An absent key is created by whoever first raises its claim counter (`<key>#claim`) to 1;
//!   the others wait until the document appears, then update it like any other.
//! - A swap reported as failed is checked: the writer reads the document back and looks for its
//!   own id at the revision it wrote. Found: the write landed, done. Not found: retry.

use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::stored::{self, Stored};
use super::{Kv, StoreError};

/// How long a writer that lost the claim on an absent key waits for the winner's first write,
/// which normally follows within a millisecond. After that the winner is presumed gone (its
/// instance died between claim and write) and one waiter takes over, decided by a second
/// counter. A winner stalled longer than this between two store calls would have its first
/// revision overwritten by the taker's: docs/security.md lists it as an accepted risk.
// Unit tests (the `memory` feature) simulate dead creators; they need not wait as long.
const CREATOR_GRACE: Duration = if cfg!(any(test, feature = "memory")) {
    Duration::from_millis(200)
} else {
    Duration::from_secs(5)
};

/// What an update closure decides after looking at the current value.
pub enum Step<T, R> {
    Write(T, R),
    Keep(R),
}

/// Read-modify-write of one JSON document; `f` may run several times, so it must be pure.
///
/// Gives up with [`StoreError::Conflict`] after losing `max_attempts` swaps: each caller picks
/// a bound that covers a burst of concurrent requests on one key yet keeps a hot key from
/// pinning an instance forever.
pub fn update_json<K, T, R, E>(
    kv: &K,
    key: &str,
    max_attempts: usize,
    mut f: impl FnMut(Option<T>) -> Result<Step<T, R>, E>,
) -> Result<R, E>
where
    K: Kv,
    T: Serialize + DeserializeOwned,
    E: From<StoreError>,
{
    update_stored(kv, key, max_attempts, |doc| {
        Ok(match f(doc)? {
            Step::Write(next, out) => Step::Write(Some(next), out),
            Step::Keep(out) => Step::Keep(out),
        })
    })
}

/// Removes the document: a tombstone revision, so the key's history (and its claim) stays valid
/// and the next [`update_json`] sees `None` and can write a new document over it.
pub fn remove_json<K: Kv, T: Serialize + DeserializeOwned>(
    kv: &K,
    key: &str,
    max_attempts: usize,
) -> Result<Option<T>, StoreError> {
    update_stored(kv, key, max_attempts, |doc: Option<T>| {
        Ok::<_, StoreError>(match doc {
            Some(doc) => Step::Write(None, Some(doc)),
            None => Step::Keep(None),
        })
    })
}

fn update_stored<K, T, R, E>(
    kv: &K,
    key: &str,
    max_attempts: usize,
    mut f: impl FnMut(Option<T>) -> Result<Step<Option<T>, R>, E>,
) -> Result<R, E>
where
    K: Kv,
    T: Serialize + DeserializeOwned,
    E: From<StoreError>,
{
    let me = writer_id();
    for _ in 0..max_attempts {
        let (cas, bytes) = kv.watch(key)?;
        let current = match &bytes {
            Some(bytes) => Some(stored::decode::<T>(key, bytes)?),
            None => None,
        };
        let (rev_seen, doc) = match current {
            Some(Stored { rev, by, doc }) => (Some((rev, by)), doc),
            None => (None, None),
        };
        let (next, out) = match f(doc)? {
            Step::Keep(out) => return Ok(out),
            Step::Write(next, out) => (next, out),
        };
        match rev_seen {
            None => {
                drop(cas);
                if create(kv, key, me, &next)? {
                    return Ok(out);
                }
            }
            Some((rev, by)) => {
                let seen = Stored::<()> { rev, by, doc: None };
                let value = seen.next(me, Some(next)).encode(key)?;
                if kv.swap(cas, &value)? || landed(kv, key, rev + 1, me)? {
                    return Ok(out);
                }
            }
        }
    }
    Err(StoreError::Conflict(key.to_owned()).into())
}

/// Creates `key` if this writer wins its claim; `Ok(false)`: another writer created it (now
/// readable), so the caller updates that document instead.
fn create<K: Kv, T: Serialize>(
    kv: &K,
    key: &str,
    me: u32,
    doc: &Option<T>,
) -> Result<bool, StoreError> {
    let first = Stored::first(me, doc.as_ref()).encode(key)?;
    if kv.increment(&format!("{key}#claim"), 1)? == 1 {
        kv.set(key, &first)?;
        return Ok(true);
    }
    let started = Instant::now();
    let mut pause = Duration::from_millis(1);
    while started.elapsed() < CREATOR_GRACE {
        if kv.get(key)?.is_some() {
            return Ok(false);
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(100));
    }
    if kv.get(key)?.is_some() {
        return Ok(false);
    }
    if kv.increment(&format!("{key}#takeover"), 1)? == 1 {
        kv.set(key, &first)?;
        return Ok(true);
    }
    Err(StoreError::Conflict(key.to_owned()))
}

/// Set, store-wide, once a swap reported as failed is seen to have written: from then on a
/// failure report proves nothing in this store.
const MISREPORTS: &str = "kv#swap-misreports";

/// After a swap reported as failed: whether revision `rev` of `key` is ours after all.
///
/// When more writers landed since than the history keeps, nobody can tell. A store never seen
/// to misreport a swap is taken at its word (not ours: retry); one that has been seen to
/// misreport gets `Unconfirmed` rather than a retry that could apply the change twice.
fn landed<K: Kv>(kv: &K, key: &str, rev: u64, me: u32) -> Result<bool, StoreError> {
    let Some(bytes) = kv.get(key)? else {
        return Ok(false);
    };
    match stored::decode_meta(&bytes).wrote(rev, me) {
        Some(true) => {
            kv.set(MISREPORTS, b"1")?;
            Ok(true)
        }
        Some(false) => Ok(false),
        None if kv.get(MISREPORTS)?.is_none() => Ok(false),
        None => Err(StoreError::Unconfirmed(key.to_owned())),
    }
}

/// A random id for one update call; 32 bits keep collisions among the handful of concurrent
/// writers of one key negligible. Without randomness, the clock's nanoseconds serve.
pub(super) fn writer_id() -> u32 {
    let mut bytes = [0u8; 4];
    match getrandom::fill(&mut bytes) {
        Ok(()) => u32::from_le_bytes(bytes),
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos()),
    }
}

#[cfg(test)]
pub(super) fn landed_for_test<K: Kv>(kv: &K, key: &str, rev: u64) -> Result<bool, StoreError> {
    landed(kv, key, rev, 0)
}
