//! An in-memory [`Kv`] for native unit tests.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::kv::{Kv, StoreError};

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

    fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.map.lock().unwrap().remove(key);
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
