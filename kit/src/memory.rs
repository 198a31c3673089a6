//! In-memory [`Kv`]s for native unit tests: an exact one, and ones with the faults real stores
//! have (see [`crate::kv`]), so every use case can be tested against each.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::kv::{Kv, Listing, StoreError};

/// A `Kv` whose compare-and-swap compares against the snapshot taken by `watch`, exactly.
#[derive(Default)]
pub struct MemKv {
    map: Mutex<HashMap<String, Vec<u8>>>,
}

impl MemKv {
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<_> = self.map.lock().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    }

    /// The swap as a store performs it; returns whether it wrote. With `upsert_absent`, a
    /// snapshot of an absent key does not protect the write (Spin's SQLite store).
    fn compare_and_write(
        &self,
        (key, seen): (String, Option<Vec<u8>>),
        value: &[u8],
        upsert_absent: bool,
    ) -> bool {
        // Give other threads a chance between read and write, as a remote store would.
        std::thread::yield_now();
        let mut map = self.map.lock().unwrap();
        if map.get(&key) != seen.as_ref() && !(upsert_absent && seen.is_none()) {
            return false;
        }
        map.insert(key, value.to_vec());
        true
    }
}

impl Kv for MemKv {
    type Cas = (String, Option<Vec<u8>>);

    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.map.lock().unwrap().get(key).cloned())
    }

    fn get_many(&self, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        let map = self.map.lock().unwrap();
        Ok(keys.iter().map(|k| map.get(k).cloned()).collect())
    }

    fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.map.lock().unwrap().insert(key.into(), value.to_vec());
        Ok(())
    }

    fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.map.lock().unwrap().remove(key);
        Ok(())
    }

    fn increment(&self, key: &str, delta: i64) -> Result<i64, StoreError> {
        let mut map = self.map.lock().unwrap();
        let current = match map.get(key) {
            Some(bytes) => <[u8; 8]>::try_from(bytes.as_slice())
                .map(i64::from_le_bytes)
                .map_err(|_| StoreError::Corrupt(key.to_owned()))?,
            None => 0,
        };
        let next = current + delta;
        map.insert(key.to_owned(), next.to_le_bytes().to_vec());
        Ok(next)
    }

    fn watch(&self, key: &str) -> Result<(Self::Cas, Option<Vec<u8>>), StoreError> {
        let current = self.get(key)?;
        Ok(((key.to_owned(), current.clone()), current))
    }

    fn swap(&self, cas: Self::Cas, value: &[u8]) -> Result<bool, StoreError> {
        Ok(self.compare_and_write(cas, value, false))
    }
}

impl Listing for MemKv {
    fn keys(&self) -> Result<Vec<String>, StoreError> {
        Ok(MemKv::keys(self))
    }
}

impl Listing for Faulty {
    fn keys(&self) -> Result<Vec<String>, StoreError> {
        Ok(self.inner.keys())
    }
}

/// How a [`Faulty`] store gets compare-and-swap wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// A swap on a key that was absent when watched writes unconditionally and reports success
    /// (Spin 3 and 4's SQLite store).
    UpsertAbsent,
    /// Every swap reports failure, whether it wrote or not (Spin 3 and 4's Redis store).
    MisreportSwap,
}

/// A [`MemKv`] with one of the faults of real stores.
pub struct Faulty {
    pub inner: MemKv,
    pub fault: Fault,
}

impl Faulty {
    pub fn new(fault: Fault) -> Self {
        Self {
            inner: MemKv::default(),
            fault,
        }
    }
}

impl Kv for Faulty {
    type Cas = (String, Option<Vec<u8>>);

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

    fn increment(&self, key: &str, delta: i64) -> Result<i64, StoreError> {
        self.inner.increment(key, delta)
    }

    fn watch(&self, key: &str) -> Result<(Self::Cas, Option<Vec<u8>>), StoreError> {
        self.inner.watch(key)
    }

    fn swap(&self, cas: Self::Cas, value: &[u8]) -> Result<bool, StoreError> {
        match self.fault {
            Fault::UpsertAbsent => Ok(self.inner.compare_and_write(cas, value, true)),
            Fault::MisreportSwap => {
                self.inner.compare_and_write(cas, value, false);
                Ok(false)
            }
        }
    }
}

/// A `Kv` whose store does not answer: every call fails as an unreachable backend would.
pub struct Down;

impl Down {
    fn fail<T>() -> Result<T, StoreError> {
        Err(StoreError::Unavailable("store down (test)".into()))
    }
}

impl Kv for Down {
    type Cas = ();

    fn get(&self, _: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Self::fail()
    }

    fn get_many(&self, _: &[String]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        Self::fail()
    }

    fn set(&self, _: &str, _: &[u8]) -> Result<(), StoreError> {
        Self::fail()
    }

    fn delete(&self, _: &str) -> Result<(), StoreError> {
        Self::fail()
    }

    fn increment(&self, _: &str, _: i64) -> Result<i64, StoreError> {
        Self::fail()
    }

    fn watch(&self, _: &str) -> Result<(Self::Cas, Option<Vec<u8>>), StoreError> {
        Self::fail()
    }

    fn swap(&self, _: Self::Cas, _: &[u8]) -> Result<bool, StoreError> {
        Self::fail()
    }
}
