//! In-memory doubles for native tests.

use spin_kit::memory::MemKv;

use crate::domain::{Kv, StoreError};

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

    fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.spend()?;
        self.inner.delete(key)
    }

    fn increment(&self, key: &str, delta: i64) -> Result<i64, StoreError> {
        self.spend()?;
        self.inner.increment(key, delta)
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
