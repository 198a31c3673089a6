//! In-memory doubles for native tests.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::domain::{Kv, StoreError};

/// A `Kv` whose compare-and-swap compares against the snapshot taken by `watch`, like Spin's.
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

    fn watch(&self, key: &str) -> Result<(Self::Cas, Option<Vec<u8>>), StoreError> {
        let current = self.get(key)?;
        Ok(((key.to_owned(), current.clone()), current))
    }

    fn swap(&self, (key, seen): Self::Cas, value: &[u8]) -> Result<bool, StoreError> {
        // Give other threads a chance between read and write, as a remote store would.
        std::thread::yield_now();
        let mut map = self.map.lock().unwrap();
        if map.get(&key) != seen.as_ref() {
            return Ok(false);
        }
        map.insert(key, value.to_vec());
        Ok(true)
    }
}

/// A `Kv` that works for `budget` operations and then fails every call, to interrupt a
/// recording at each possible point.
pub struct Flaky<'a> {
    pub inner: &'a MemKv,
    pub budget: std::sync::atomic::AtomicUsize,
}

impl Flaky<'_> {
    fn spend(&self) -> Result<(), StoreError> {
        use std::sync::atomic::Ordering;
        let left = self.budget.load(Ordering::SeqCst);
        if left == 0 {
            return Err(StoreError::Unavailable("injected failure".into()));
        }
        self.budget.store(left - 1, Ordering::SeqCst);
        Ok(())
    }
}

impl Kv for Flaky<'_> {
    type Cas = (String, Option<Vec<u8>>);

    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.spend()?;
        self.inner.get(key)
    }

    fn get_many(&self, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        self.spend()?;
        self.inner.get_many(keys)
    }

    fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.spend()?;
        self.inner.set(key, value)
    }

    fn watch(&self, key: &str) -> Result<(Self::Cas, Option<Vec<u8>>), StoreError> {
        self.spend()?;
        self.inner.watch(key)
    }

    fn swap(&self, cas: Self::Cas, value: &[u8]) -> Result<bool, StoreError> {
        self.spend()?;
        self.inner.swap(cas, value)
    }
}
