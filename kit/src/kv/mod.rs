//! The key-value capability the use cases need, kept as a trait so the rules run natively in tests.
//!
//! Every guarantee the services give (one account per name, one daily game, six tries, each game
//! counted once) rests on [`update_json`], written so that it holds on every store the app runs
//! on *as the store really behaves*, not as its interface promises:
//!
//! - our host's SQLite and Redis stores: compare-and-swap is exact;
//! - Spin's SQLite store: a swap on an absent key is an unconditional upsert, so two first writers
//!   both "succeed";
//! - Spin's Redis store: every swap reports failure, whether or not it wrote.
//!
//! `increment` is atomic on all four, so creating a key is decided by a claim counter rather than
//! by a swap on an absent key, and a swap that reports failure is checked against the revision
//! history stored with the document (see `kv/stored.rs`) before it is retried. docs/upstream/
//! spin-key-value.md describes the store faults.

mod namespace;
mod stored;
mod update;

use serde::de::DeserializeOwned;
use serde::Serialize;

pub use namespace::{in_a_namespace, Listing, Namespaced};
pub use update::{remove_json, update_json, Step};

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum StoreError {
    #[error("key-value store unavailable: {0}")]
    Unavailable(String),
    #[error("stored value under {0} is not readable")]
    Corrupt(String),
    #[error("too many concurrent updates of {0}")]
    Conflict(String),
    /// The store reported a failed swap and the document moved on too far to tell whether the
    /// write landed: retrying could apply it twice, so the update stops here.
    #[error("the store could not confirm whether the update of {0} was written")]
    Unconfirmed(String),
}

/// A bucket with single-key operations.
///
/// `watch` snapshots a key; `swap` writes only if the key still holds that snapshot. Stores may
/// get the swap's answer wrong (see the module docs); [`update_json`] copes with both faults.
pub trait Kv {
    type Cas;
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// One round trip for several keys; answers in the order asked.
    fn get_many(&self, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, StoreError>;
    fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError>;
    fn delete(&self, key: &str) -> Result<(), StoreError>;
    /// Adds `delta` to the counter under `key` (absent counts as 0) and returns the new value,
    /// atomically. Counters are opaque: stores encode them differently, so read them only
    /// through `increment`.
    fn increment(&self, key: &str, delta: i64) -> Result<i64, StoreError>;
    fn watch(&self, key: &str) -> Result<(Self::Cas, Option<Vec<u8>>), StoreError>;
    /// `Ok(false)` when the store says another writer got there first.
    fn swap(&self, cas: Self::Cas, value: &[u8]) -> Result<bool, StoreError>;
}

/// The key [`probe`] reads. Nothing writes it: the read finds nothing, cheaply, on every store.
pub const PROBE_KEY: &str = "health-probe";

/// Whether the store answers, for a health route: one `get` of [`PROBE_KEY`], no write, so a
/// probe every few seconds costs the store one lookup and leaves nothing behind.
pub fn probe<K: Kv>(kv: &K) -> Result<(), StoreError> {
    kv.get(PROBE_KEY).map(drop)
}

/// Reads a document written by [`set_json`], [`insert_json`] or [`update_json`].
pub fn get_json<K: Kv, T: DeserializeOwned>(kv: &K, key: &str) -> Result<Option<T>, StoreError> {
    match kv.get(key)? {
        Some(bytes) => Ok(stored::decode::<T>(key, &bytes)?.doc),
        None => Ok(None),
    }
}

pub fn get_many_json<K: Kv, T: DeserializeOwned>(
    kv: &K,
    keys: &[String],
) -> Result<Vec<Option<T>>, StoreError> {
    let values = kv.get_many(keys)?;
    keys.iter()
        .zip(values)
        .map(|(key, value)| match value {
            Some(bytes) => Ok(stored::decode::<T>(key, &bytes)?.doc),
            None => Ok(None),
        })
        .collect()
}

/// Overwrites a key that only one writer ever writes (a history entry under its own sequence
/// number, a session under its token's hash). Never use it on a key that [`update_json`]
/// manages: it would erase the revision history that update relies on.
pub fn set_json<K: Kv, T: Serialize>(kv: &K, key: &str, value: &T) -> Result<(), StoreError> {
    kv.set(key, &stored::encode_plain(key, value)?)
}

/// Writes the first revision of a document under a key nobody else can know yet (a fresh random
/// id), so that later [`update_json`] calls find it under revision control.
pub fn insert_json<K: Kv, T: Serialize>(kv: &K, key: &str, value: &T) -> Result<(), StoreError> {
    let first = stored::Stored::first(update::writer_id(), Some(value));
    kv.set(key, &first.encode(key)?)
}

#[cfg(test)]
mod tests;
