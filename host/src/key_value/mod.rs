//! Key-value, as Spin hosts it: a component opens a store by label, only the labels listed in
//! its `key_value_stores`, and each label is backed by SQLite (a file per label) or Redis.
//! Backends implement [`Store`]; the limits and access rules live here, once, for both.

pub mod redis;
pub mod sqlite;

use crate::runtime_config::StoreConfig;
use anyhow::Result;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// Spin's limits: longer keys or larger values are refused with an error, never truncated.
pub const MAX_KEY_BYTES: usize = 256;
pub const MAX_VALUE_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("no such store")]
    NoSuchStore,
    #[error("access denied: the component may not open this store")]
    AccessDenied,
    #[error("{0}")]
    Other(String),
}

impl Error {
    pub fn other(e: impl std::fmt::Display) -> Self {
        Error::Other(e.to_string())
    }
}

/// One store behind a label. Values are opaque bytes. A counter written by `increment` is
/// stored in its backend's own format, as Spin stores it: 8 little-endian bytes in SQLite,
/// decimal text in Redis (`INCRBY`); read a counter with `increment(key, 0)`, not `get`.
#[async_trait::async_trait]
pub trait Store: Send + Sync {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, Error>;
    async fn set(&self, key: &str, value: &[u8]) -> Result<(), Error>;
    async fn delete(&self, key: &str) -> Result<(), Error>;
    async fn exists(&self, key: &str) -> Result<bool, Error>;
    async fn keys(&self) -> Result<Vec<String>, Error>;
    async fn get_many(&self, keys: &[String]) -> Result<Vec<(String, Option<Vec<u8>>)>, Error>;
    async fn set_many(&self, pairs: &[(String, Vec<u8>)]) -> Result<(), Error>;
    async fn delete_many(&self, keys: &[String]) -> Result<(), Error>;
    /// Adds `delta` to the integer at `key` (absent counts as 0) atomically; returns the new value.
    async fn increment(&self, key: &str, delta: i64) -> Result<i64, Error>;
    /// Writes `new` only if the value is still `expected` (`None`: the key is still absent).
    /// Returns whether the write happened.
    async fn compare_and_swap(
        &self,
        key: &str,
        expected: Option<&[u8]>,
        new: &[u8],
    ) -> Result<bool, Error>;
}

pub fn check_key(key: &str) -> Result<(), Error> {
    if key.len() > MAX_KEY_BYTES {
        return Err(Error::Other(format!(
            "key is {} bytes; the limit is {MAX_KEY_BYTES}",
            key.len()
        )));
    }
    Ok(())
}

pub fn check_value(value: &[u8]) -> Result<(), Error> {
    if value.len() > MAX_VALUE_BYTES {
        return Err(Error::Other(format!(
            "value is {} bytes; the limit is {MAX_VALUE_BYTES}",
            value.len()
        )));
    }
    Ok(())
}

/// Every configured store, opened once at start-up and shared by all requests.
pub struct StoreManager {
    stores: HashMap<String, Arc<dyn Store>>,
    descriptions: BTreeMap<String, String>,
}

impl StoreManager {
    /// Opens the stores for `labels` (the labels some component uses).
    pub async fn open(
        configs: &BTreeMap<String, StoreConfig>,
        labels: &HashSet<String>,
    ) -> Result<Self> {
        let mut stores: HashMap<String, Arc<dyn Store>> = HashMap::new();
        let mut descriptions = BTreeMap::new();
        for label in labels {
            let config = configs.get(label).ok_or_else(|| {
                anyhow::anyhow!(
                    "key-value store `{label}` is used by a component but not defined: add \
                     [key_value_store.{label}] to the runtime config file (--runtime-config-file)"
                )
            })?;
            let (store, description): (Arc<dyn Store>, String) = match config {
                StoreConfig::Sqlite { path } => (
                    Arc::new(sqlite::SqliteStore::open(path, label)?),
                    format!("spin: {}", path.display()),
                ),
                StoreConfig::Redis { url } => (
                    Arc::new(redis::RedisStore::open(url).await?),
                    format!("redis: {}", redact(url)),
                ),
            };
            stores.insert(label.clone(), Arc::new(Limited(store)));
            descriptions.insert(label.clone(), description);
        }
        Ok(Self {
            stores,
            descriptions,
        })
    }

    /// Label → where it is stored, for the start-up banner.
    pub fn descriptions(&self) -> &BTreeMap<String, String> {
        &self.descriptions
    }

    /// Opens `label` for a component allowed to use `allowed` labels.
    pub fn open_for(&self, label: &str, allowed: &[String]) -> Result<Arc<dyn Store>, Error> {
        if !allowed.iter().any(|l| l == label) {
            return Err(Error::AccessDenied);
        }
        self.stores.get(label).cloned().ok_or(Error::NoSuchStore)
    }
}

/// Applies Spin's key and value limits in front of any backend.
struct Limited(Arc<dyn Store>);

#[async_trait::async_trait]
impl Store for Limited {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, Error> {
        check_key(key)?;
        self.0.get(key).await
    }
    async fn set(&self, key: &str, value: &[u8]) -> Result<(), Error> {
        check_key(key)?;
        check_value(value)?;
        self.0.set(key, value).await
    }
    async fn delete(&self, key: &str) -> Result<(), Error> {
        check_key(key)?;
        self.0.delete(key).await
    }
    async fn exists(&self, key: &str) -> Result<bool, Error> {
        check_key(key)?;
        self.0.exists(key).await
    }
    async fn keys(&self) -> Result<Vec<String>, Error> {
        self.0.keys().await
    }
    async fn get_many(&self, keys: &[String]) -> Result<Vec<(String, Option<Vec<u8>>)>, Error> {
        keys.iter().try_for_each(|k| check_key(k))?;
        self.0.get_many(keys).await
    }
    async fn set_many(&self, pairs: &[(String, Vec<u8>)]) -> Result<(), Error> {
        pairs
            .iter()
            .try_for_each(|(k, v)| check_key(k).and_then(|()| check_value(v)))?;
        self.0.set_many(pairs).await
    }
    async fn delete_many(&self, keys: &[String]) -> Result<(), Error> {
        keys.iter().try_for_each(|k| check_key(k))?;
        self.0.delete_many(keys).await
    }
    async fn increment(&self, key: &str, delta: i64) -> Result<i64, Error> {
        check_key(key)?;
        self.0.increment(key, delta).await
    }
    async fn compare_and_swap(
        &self,
        key: &str,
        expected: Option<&[u8]>,
        new: &[u8],
    ) -> Result<bool, Error> {
        check_key(key)?;
        check_value(new)?;
        self.0.compare_and_swap(key, expected, new).await
    }
}

fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://***{}", &url[..scheme], &url[at..])
        }
        _ => url.to_string(),
    }
}

#[doc(hidden)]
pub mod contract {
    //! The behaviour every backend must share, run against each by e2e/tests/kv_backends.rs.
    use super::*;

    pub async fn run(store: Arc<dyn Store>) {
        assert_eq!(store.get("missing").await.unwrap(), None);
        store.set("a", b"1").await.unwrap();
        assert_eq!(store.get("a").await.unwrap().as_deref(), Some(&b"1"[..]));
        assert!(store.exists("a").await.unwrap());
        store.set("a", b"2").await.unwrap();
        assert_eq!(store.get("a").await.unwrap().as_deref(), Some(&b"2"[..]));
        store.delete("a").await.unwrap();
        store.delete("a").await.unwrap();
        assert!(!store.exists("a").await.unwrap());

        store
            .set_many(&[("x".into(), b"X".to_vec()), ("y".into(), b"Y".to_vec())])
            .await
            .unwrap();
        let got = store
            .get_many(&["x".into(), "nope".into(), "y".into()])
            .await
            .unwrap();
        assert_eq!(
            got,
            vec![
                ("x".into(), Some(b"X".to_vec())),
                ("nope".into(), None),
                ("y".into(), Some(b"Y".to_vec()))
            ]
        );
        let mut keys = store.keys().await.unwrap();
        keys.sort();
        assert_eq!(keys, vec!["x".to_string(), "y".to_string()]);
        store.delete_many(&["x".into(), "y".into()]).await.unwrap();
        assert!(store.keys().await.unwrap().is_empty());

        assert_eq!(store.increment("n", 5).await.unwrap(), 5);
        assert_eq!(store.increment("n", -2).await.unwrap(), 3);
        assert_eq!(store.increment("n", 0).await.unwrap(), 3);
        store.set("text", b"abc").await.unwrap();
        assert!(store.increment("text", 1).await.is_err());

        assert!(store.compare_and_swap("c", None, b"first").await.unwrap());
        assert!(!store.compare_and_swap("c", None, b"again").await.unwrap());
        assert!(!store
            .compare_and_swap("c", Some(b"stale"), b"x")
            .await
            .unwrap());
        assert!(store
            .compare_and_swap("c", Some(b"first"), b"second")
            .await
            .unwrap());
        assert_eq!(
            store.get("c").await.unwrap().as_deref(),
            Some(&b"second"[..])
        );

        let big = vec![7u8; 512 * 1024];
        store.set("big", &big).await.unwrap();
        assert_eq!(store.get("big").await.unwrap().unwrap().len(), big.len());
    }

    /// 32 tasks each add 1 to a JSON counter 10 times through CAS with retry: none is lost.
    pub async fn concurrent_cas(store: Arc<dyn Store>) {
        let tasks: Vec<_> = (0..32)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move {
                    for _ in 0..10 {
                        loop {
                            let current = store.get("counter").await.unwrap();
                            let n: u64 = current
                                .as_deref()
                                .map(|v| std::str::from_utf8(v).unwrap().parse().unwrap())
                                .unwrap_or(0);
                            if store
                                .compare_and_swap(
                                    "counter",
                                    current.as_deref(),
                                    (n + 1).to_string().as_bytes(),
                                )
                                .await
                                .unwrap()
                            {
                                break;
                            }
                        }
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(
            store.get("counter").await.unwrap().as_deref(),
            Some(&b"320"[..])
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_spins() {
        assert!(check_key(&"k".repeat(256)).is_ok());
        assert!(check_key(&"k".repeat(257)).is_err());
        assert!(check_value(&vec![0; MAX_VALUE_BYTES]).is_ok());
        assert!(check_value(&vec![0; MAX_VALUE_BYTES + 1]).is_err());
    }

    #[test]
    fn credentials_are_redacted_from_redis_urls() {
        assert_eq!(
            redact("redis://user:pw@host:6379/0"),
            "redis://***@host:6379/0"
        );
        assert_eq!(redact("redis://host"), "redis://host");
    }
}
