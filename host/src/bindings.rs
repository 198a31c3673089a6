//! The Spin platform imports (key-value, variables, wasi:keyvalue) implemented over
//! [`RequestState`]. Resources are handles into the request's resource table, so a guest can
//! only reach stores it opened, and everything is dropped with the instance.

use crate::key_value::{self, Store};
use crate::state::RequestState;
use std::sync::Arc;
use wasmtime::component::{HasSelf, Linker, Resource};

wasmtime::component::bindgen!({
    path: "wit",
    world: "spin-imports",
    imports: { default: async | trappable },
    with: {
        "fermyon:spin/key-value.store": KvHandle,
        "wasi:keyvalue/store.bucket": KvHandle,
        "wasi:keyvalue/atomics.cas": CasHandle,
    },
});

use fermyon::spin::{key_value as spin_kv, variables};
use wasi::keyvalue::{atomics, batch, store as wasi_kv};

/// An opened store (Spin's `store` and wasi:keyvalue's `bucket` are the same thing).
pub struct KvHandle(Arc<dyn Store>);

/// A compare-and-swap in progress: the value read when it began is what `swap` expects.
pub struct CasHandle {
    store: Arc<dyn Store>,
    key: String,
    seen: Option<Vec<u8>>,
}

/// Spin limits the number of stores one instance may hold open.
const MAX_OPEN_STORES: usize = 256;

pub fn add_to_linker(linker: &mut Linker<RequestState>) -> wasmtime::Result<()> {
    SpinImports::add_to_linker::<RequestState, HasSelf<RequestState>>(linker, |s| s)
}

type Trappable<T> = wasmtime::Result<T>;

impl RequestState {
    fn open_store(
        &mut self,
        label: &str,
    ) -> Result<Result<Resource<KvHandle>, key_value::Error>, wasmtime::Error> {
        if self.open_stores >= MAX_OPEN_STORES {
            return Ok(Err(key_value::Error::Other("too many open stores".into())));
        }
        match self.stores.open_for(label, &self.grants.key_value_stores) {
            Ok(store) => {
                self.open_stores += 1;
                Ok(Ok(self.table.push(KvHandle(store))?))
            }
            Err(e) => Ok(Err(e)),
        }
    }

    fn store(&self, handle: &Resource<KvHandle>) -> wasmtime::Result<Arc<dyn Store>> {
        Ok(self.table.get(handle)?.0.clone())
    }
}

async fn begin_cas(store: Arc<dyn Store>, key: String) -> Result<CasHandle, key_value::Error> {
    let seen = store.get(&key).await?;
    Ok(CasHandle { store, key, seen })
}

fn to_spin(e: key_value::Error) -> spin_kv::Error {
    match e {
        key_value::Error::NoSuchStore => spin_kv::Error::NoSuchStore,
        key_value::Error::AccessDenied => spin_kv::Error::AccessDenied,
        key_value::Error::Other(m) => spin_kv::Error::Other(m),
    }
}

fn to_wasi(e: key_value::Error) -> wasi_kv::Error {
    match e {
        key_value::Error::NoSuchStore => wasi_kv::Error::NoSuchStore,
        key_value::Error::AccessDenied => wasi_kv::Error::AccessDenied,
        key_value::Error::Other(m) => wasi_kv::Error::Other(m),
    }
}

impl spin_kv::Host for RequestState {}

/// The calls Spin's `store` and wasi:keyvalue's `bucket` share, the same but for their error
/// type (`$to` converts into it).
macro_rules! shared_store_calls {
    ($error:ty, $to:expr) => {
        async fn get(
            &mut self,
            h: Resource<KvHandle>,
            key: String,
        ) -> Trappable<Result<Option<Vec<u8>>, $error>> {
            Ok(self.store(&h)?.get(&key).await.map_err($to))
        }

        async fn set(
            &mut self,
            h: Resource<KvHandle>,
            key: String,
            value: Vec<u8>,
        ) -> Trappable<Result<(), $error>> {
            Ok(self.store(&h)?.set(&key, &value).await.map_err($to))
        }

        async fn delete(
            &mut self,
            h: Resource<KvHandle>,
            key: String,
        ) -> Trappable<Result<(), $error>> {
            Ok(self.store(&h)?.delete(&key).await.map_err($to))
        }

        async fn exists(
            &mut self,
            h: Resource<KvHandle>,
            key: String,
        ) -> Trappable<Result<bool, $error>> {
            Ok(self.store(&h)?.exists(&key).await.map_err($to))
        }

        async fn drop(&mut self, h: Resource<KvHandle>) -> Trappable<()> {
            self.table.delete(h)?;
            self.open_stores = self.open_stores.saturating_sub(1);
            Ok(())
        }
    };
}

impl spin_kv::HostStore for RequestState {
    async fn open(
        &mut self,
        label: String,
    ) -> Trappable<Result<Resource<KvHandle>, spin_kv::Error>> {
        if self.open_stores >= MAX_OPEN_STORES {
            return Ok(Err(spin_kv::Error::StoreTableFull));
        }
        Ok(self.open_store(&label)?.map_err(to_spin))
    }

    shared_store_calls!(spin_kv::Error, to_spin);

    async fn get_keys(
        &mut self,
        h: Resource<KvHandle>,
    ) -> Trappable<Result<Vec<String>, spin_kv::Error>> {
        Ok(self.store(&h)?.keys().await.map_err(to_spin))
    }
}

impl wasi_kv::Host for RequestState {
    async fn open(
        &mut self,
        identifier: String,
    ) -> Trappable<Result<Resource<KvHandle>, wasi_kv::Error>> {
        Ok(self.open_store(&identifier)?.map_err(to_wasi))
    }
}

impl wasi_kv::HostBucket for RequestState {
    shared_store_calls!(wasi_kv::Error, to_wasi);

    async fn list_keys(
        &mut self,
        h: Resource<KvHandle>,
        _cursor: Option<String>,
    ) -> Trappable<Result<wasi_kv::KeyResponse, wasi_kv::Error>> {
        let keys = self.store(&h)?.keys().await.map_err(to_wasi);
        Ok(keys.map(|keys| wasi_kv::KeyResponse { keys, cursor: None }))
    }
}

impl atomics::Host for RequestState {
    async fn increment(
        &mut self,
        bucket: Resource<KvHandle>,
        key: String,
        delta: i64,
    ) -> Trappable<Result<i64, wasi_kv::Error>> {
        Ok(self
            .store(&bucket)?
            .increment(&key, delta)
            .await
            .map_err(to_wasi))
    }

    async fn swap(
        &mut self,
        cas: Resource<CasHandle>,
        value: Vec<u8>,
    ) -> Trappable<Result<(), atomics::CasError>> {
        let cas = self.table.delete(cas)?;
        match cas
            .store
            .compare_and_swap(&cas.key, cas.seen.as_deref(), &value)
            .await
        {
            Ok(true) => Ok(Ok(())),
            Ok(false) => match begin_cas(cas.store, cas.key).await {
                Ok(fresh) => Ok(Err(atomics::CasError::CasFailed(self.table.push(fresh)?))),
                Err(e) => Ok(Err(atomics::CasError::StoreError(to_wasi(e)))),
            },
            Err(e) => Ok(Err(atomics::CasError::StoreError(to_wasi(e)))),
        }
    }
}

impl atomics::HostCas for RequestState {
    async fn new(
        &mut self,
        bucket: Resource<KvHandle>,
        key: String,
    ) -> Trappable<Result<Resource<CasHandle>, wasi_kv::Error>> {
        let store = self.store(&bucket)?;
        match begin_cas(store, key).await {
            Ok(cas) => Ok(Ok(self.table.push(cas)?)),
            Err(e) => Ok(Err(to_wasi(e))),
        }
    }

    async fn current(
        &mut self,
        cas: Resource<CasHandle>,
    ) -> Trappable<Result<Option<Vec<u8>>, wasi_kv::Error>> {
        Ok(Ok(self.table.get(&cas)?.seen.clone()))
    }

    async fn drop(&mut self, cas: Resource<CasHandle>) -> Trappable<()> {
        self.table.delete(cas)?;
        Ok(())
    }
}

impl batch::Host for RequestState {
    async fn get_many(
        &mut self,
        bucket: Resource<KvHandle>,
        keys: Vec<String>,
    ) -> Trappable<Result<Vec<(String, Option<Vec<u8>>)>, wasi_kv::Error>> {
        Ok(self.store(&bucket)?.get_many(&keys).await.map_err(to_wasi))
    }

    async fn set_many(
        &mut self,
        bucket: Resource<KvHandle>,
        pairs: Vec<(String, Vec<u8>)>,
    ) -> Trappable<Result<(), wasi_kv::Error>> {
        Ok(self.store(&bucket)?.set_many(&pairs).await.map_err(to_wasi))
    }

    async fn delete_many(
        &mut self,
        bucket: Resource<KvHandle>,
        keys: Vec<String>,
    ) -> Trappable<Result<(), wasi_kv::Error>> {
        Ok(self
            .store(&bucket)?
            .delete_many(&keys)
            .await
            .map_err(to_wasi))
    }
}

impl variables::Host for RequestState {
    async fn get(&mut self, name: String) -> Trappable<Result<String, variables::Error>> {
        if !crate::manifest::is_variable_name(&name) {
            return Ok(Err(variables::Error::InvalidName(name)));
        }
        Ok(self
            .grants
            .variables
            .get(&name)
            .cloned()
            .ok_or(variables::Error::Undefined(name)))
    }
}
