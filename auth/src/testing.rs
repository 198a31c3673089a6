//! In-memory doubles for native tests.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use crate::app::{Env, RandomError};
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

    fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.map.lock().unwrap().insert(key.into(), value.to_vec());
        Ok(())
    }

    fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.map.lock().unwrap().remove(key);
        Ok(())
    }

    fn watch(&self, key: &str) -> Result<(Self::Cas, Option<Vec<u8>>), StoreError> {
        let current = self.get(key)?;
        Ok(((key.to_owned(), current.clone()), current))
    }

    fn swap(&self, (key, seen): Self::Cas, value: &[u8]) -> Result<bool, StoreError> {
        let mut map = self.map.lock().unwrap();
        if map.get(&key) != seen.as_ref() {
            return Ok(false);
        }
        map.insert(key, value.to_vec());
        Ok(true)
    }
}

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
