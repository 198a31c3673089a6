//! The `motus` key-value store through wasi:keyvalue, whose atomics give compare-and-swap.

use spin_sdk::wit::wasi::keyvalue::{atomics, store};

use crate::domain::repo::{Kv, StoreError, Swap};

pub const LABEL: &str = "motus";

pub struct SpinKv {
    bucket: store::Bucket,
}

impl SpinKv {
    pub fn open() -> Result<Self, StoreError> {
        let bucket = store::open(LABEL).map_err(backend)?;
        Ok(Self { bucket })
    }
}

fn backend(error: store::Error) -> StoreError {
    StoreError::Backend(match error {
        store::Error::NoSuchStore => format!("no key-value store labelled {LABEL:?}"),
        store::Error::AccessDenied => format!("access to key-value store {LABEL:?} denied"),
        store::Error::Other(text) => text,
    })
}

impl Kv for SpinKv {
    type Cas = atomics::Cas;

    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.bucket.get(key).map_err(backend)
    }

    fn set(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.bucket.set(key, value).map_err(backend)
    }

    fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.bucket.delete(key).map_err(backend)
    }

    fn watch(&self, key: &str) -> Result<atomics::Cas, StoreError> {
        atomics::Cas::new(&self.bucket, key).map_err(backend)
    }

    fn current(&self, cas: &atomics::Cas) -> Result<Option<Vec<u8>>, StoreError> {
        cas.current().map_err(backend)
    }

    fn swap(&self, cas: atomics::Cas, value: &[u8]) -> Result<Swap<atomics::Cas>, StoreError> {
        match atomics::swap(cas, value) {
            Ok(()) => Ok(Swap::Done),
            Err(atomics::CasError::CasFailed(next)) => Ok(Swap::Stale(next)),
            Err(atomics::CasError::StoreError(error)) => Err(backend(error)),
        }
    }
}
