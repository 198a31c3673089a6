//! The key-value capability the use cases need, kept as a trait so the rules run natively in tests.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// How many compare-and-swap rounds an update may lose before giving up: enough for a burst of
/// concurrent requests on one key, bounded so a hot key cannot pin an instance forever.
pub const MAX_CAS_ATTEMPTS: usize = 100;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StoreError {
    #[error("key-value store unavailable: {0}")]
    Unavailable(String),
    #[error("stored value under {0} is not readable")]
    Corrupt(String),
    #[error("too many concurrent updates of {0}")]
    Conflict(String),
}

/// A bucket with linearisable single-key operations.
///
/// `watch` snapshots a key; `swap` writes only if the key still holds that snapshot (absent
/// included), which is what makes create-if-absent and read-modify-write safe under concurrency.
pub trait Kv {
    type Cas;
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError>;
    fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError>;
    fn delete(&self, key: &str) -> Result<(), StoreError>;
    fn watch(&self, key: &str) -> Result<(Self::Cas, Option<Vec<u8>>), StoreError>;
    /// `Ok(false)` when another writer got there first.
    fn swap(&self, cas: Self::Cas, value: &[u8]) -> Result<bool, StoreError>;
}

/// What an update closure decides after looking at the current value.
pub enum Step<T, R> {
    Write(T, R),
    Keep(R),
}

pub fn get_json<K: Kv, T: DeserializeOwned>(kv: &K, key: &str) -> Result<Option<T>, StoreError> {
    kv.get(key)?.map(|bytes| decode(key, &bytes)).transpose()
}

pub fn set_json<K: Kv, T: Serialize>(kv: &K, key: &str, value: &T) -> Result<(), StoreError> {
    kv.set(key, &encode(key, value)?)
}

/// Read-modify-write of one JSON document; `f` may run several times, so it must be pure.
pub fn update_json<K, T, R, E>(
    kv: &K,
    key: &str,
    mut f: impl FnMut(Option<T>) -> Result<Step<T, R>, E>,
) -> Result<R, E>
where
    K: Kv,
    T: Serialize + DeserializeOwned,
    E: From<StoreError>,
{
    for _ in 0..MAX_CAS_ATTEMPTS {
        let (cas, current) = kv.watch(key)?;
        let current = current.map(|bytes| decode(key, &bytes)).transpose()?;
        match f(current)? {
            Step::Keep(out) => return Ok(out),
            Step::Write(next, out) => {
                if kv.swap(cas, &encode(key, &next)?)? {
                    return Ok(out);
                }
            }
        }
    }
    Err(StoreError::Conflict(key.to_owned()).into())
}

fn decode<T: DeserializeOwned>(key: &str, bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|_| StoreError::Corrupt(key.to_owned()))
}

fn encode<T: Serialize>(key: &str, value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(|_| StoreError::Corrupt(key.to_owned()))
}
