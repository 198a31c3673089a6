//! The key-value capability the use cases need, kept as a trait so the rules run natively in tests.

use serde::de::DeserializeOwned;
use serde::Serialize;

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
    /// One round trip for several keys; answers in the order asked.
    fn get_many(&self, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, StoreError>;
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

pub fn get_many_json<K: Kv, T: DeserializeOwned>(
    kv: &K,
    keys: &[String],
) -> Result<Vec<Option<T>>, StoreError> {
    let values = kv.get_many(keys)?;
    keys.iter()
        .zip(values)
        .map(|(key, value)| value.map(|bytes| decode(key, &bytes)).transpose())
        .collect()
}

pub fn set_json<K: Kv, T: Serialize>(kv: &K, key: &str, value: &T) -> Result<(), StoreError> {
    kv.set(key, &encode(key, value)?)
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
    for _ in 0..max_attempts {
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

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::memory::MemKv;

    /// Loses every swap, as if another writer always landed first.
    #[derive(Default)]
    struct AlwaysRaced {
        inner: MemKv,
        watches: Cell<usize>,
    }

    impl Kv for AlwaysRaced {
        type Cas = ();

        fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
            self.inner.get(key)
        }

        fn get_many(&self, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
            self.inner.get_many(keys)
        }

        fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
            self.inner.set(key, value)
        }

        fn delete(&self, key: &str) -> Result<(), StoreError> {
            self.inner.delete(key)
        }

        fn watch(&self, key: &str) -> Result<((), Option<Vec<u8>>), StoreError> {
            self.watches.set(self.watches.get() + 1);
            Ok(((), self.inner.get(key)?))
        }

        fn swap(&self, _: (), _: &[u8]) -> Result<bool, StoreError> {
            Ok(false)
        }
    }

    fn increment(n: Option<u32>) -> Result<Step<u32, u32>, StoreError> {
        let next = n.unwrap_or(0) + 1;
        Ok(Step::Write(next, next))
    }

    #[test]
    fn an_update_writes_the_new_document_and_returns_the_closure_output() {
        let kv = MemKv::default();
        assert_eq!(update_json(&kv, "n", 3, increment), Ok(1));
        assert_eq!(update_json(&kv, "n", 3, increment), Ok(2));
        assert_eq!(get_json::<_, u32>(&kv, "n"), Ok(Some(2)));
    }

    #[test]
    fn an_update_gives_up_after_exactly_the_callers_bound() {
        for bound in [1, 32, 100] {
            let kv = AlwaysRaced::default();
            assert_eq!(
                update_json(&kv, "hot", bound, increment),
                Err(StoreError::Conflict("hot".into()))
            );
            assert_eq!(kv.watches.get(), bound);
        }
    }

    #[test]
    fn keep_writes_nothing() {
        let kv = MemKv::default();
        let out = update_json(&kv, "k", 3, |_: Option<u32>| {
            Ok::<_, StoreError>(Step::Keep("seen"))
        });
        assert_eq!(out, Ok("seen"));
        assert!(kv.keys().is_empty());
    }

    #[test]
    fn unreadable_documents_are_reported_with_their_key() {
        let kv = MemKv::default();
        kv.set("k", b"not json").unwrap();
        assert_eq!(
            get_json::<_, u32>(&kv, "k"),
            Err(StoreError::Corrupt("k".into()))
        );
        assert_eq!(
            update_json(&kv, "k", 3, increment),
            Err(StoreError::Corrupt("k".into()))
        );
    }

    #[test]
    fn get_many_answers_in_the_order_asked() {
        let kv = MemKv::default();
        set_json(&kv, "b", &2u32).unwrap();
        set_json(&kv, "a", &1u32).unwrap();
        let keys = ["a", "missing", "b"].map(String::from);
        assert_eq!(
            get_many_json::<_, u32>(&kv, &keys),
            Ok(vec![Some(1), None, Some(2)])
        );
    }
}
