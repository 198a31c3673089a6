//! What a started app needs around it: its key-value stores (SQLite files or Redis databases),
//! the runtime config naming them, its components built, and a free port.

use crate::RedisServer;
use host::manifest::LoadedManifest;
use std::collections::BTreeMap;
use std::net::SocketAddr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Redis,
}

impl Backend {
    /// `MOTUS_TEST_KV=redis` runs the same black-box tests over Redis.
    pub fn from_env() -> Backend {
        match std::env::var("MOTUS_TEST_KV").as_deref() {
            Ok("redis") => Backend::Redis,
            _ => Backend::Sqlite,
        }
    }
}

/// The key-value store of each label: a SQLite file per label, or one Redis database per label,
/// as separate stores would be in production. A label keeps its database number once given, so
/// a restart with another manifest finds the same data. With `shared`, every label is mapped to
/// one database (`shared.db`, or Redis database 0), as operators often do.
#[derive(Default, Clone)]
pub(crate) struct Stores {
    labels: BTreeMap<String, usize>,
    pub(crate) shared: bool,
}

/// Where one label's data lives, for tests that read or rewrite a store behind the host's back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreLocation {
    /// The SQLite file (rows whose `store` column holds the label).
    Sqlite(std::path::PathBuf),
    /// The Redis URL with its database number, e.g. `redis://127.0.0.1:6379/1`.
    Redis(String),
}

impl Stores {
    /// Every label on one database.
    pub(crate) fn one_database() -> Stores {
        Stores {
            shared: true,
            ..Stores::default()
        }
    }

    pub(crate) fn add(&mut self, manifest: &LoadedManifest) {
        let mut labels: Vec<&String> = manifest
            .manifest
            .component
            .values()
            .flat_map(|c| &c.key_value_stores)
            .collect();
        labels.sort();
        for label in labels {
            let next = self.labels.len();
            self.labels.entry(label.clone()).or_insert(next);
        }
    }

    pub(crate) fn config(&self, redis: Option<&RedisServer>) -> String {
        self.labels
            .iter()
            .map(|(label, i)| match redis {
                Some(r) => format!(
                    "[key_value_store.{label}]\ntype = \"redis\"\nurl = \"{}/{}\"\n",
                    r.url(),
                    if self.shared { 0 } else { *i }
                ),
                None => format!(
                    "[key_value_store.{label}]\ntype = \"spin\"\npath = \"{}.db\"\n",
                    if self.shared { "shared" } else { label }
                ),
            })
            .collect()
    }

    /// Each label and where [`Stores::config`] puts it (SQLite paths under `state_dir`).
    pub(crate) fn locations(
        &self,
        redis: Option<&RedisServer>,
        state_dir: &std::path::Path,
    ) -> Vec<(String, StoreLocation)> {
        self.labels
            .iter()
            .map(|(label, i)| {
                let db = if self.shared { 0 } else { *i };
                let file = if self.shared { "shared" } else { label };
                let location = match redis {
                    Some(r) => StoreLocation::Redis(format!("{}/{db}", r.url())),
                    None => StoreLocation::Sqlite(state_dir.join(format!("{file}.db"))),
                };
                (label.clone(), location)
            })
            .collect()
    }
}

/// The runtime config [`crate::TestHost`] writes for `manifest`.
pub(crate) fn runtime_config_for(manifest: &LoadedManifest, redis: Option<&RedisServer>) -> String {
    let mut stores = Stores::default();
    stores.add(manifest);
    stores.config(redis)
}

/// A loopback address with a port free at the time of asking.
pub fn free_addr() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
}

/// Fails with instructions when a component the manifest names has not been built: the
/// README's test command builds them before `cargo test`.
pub(crate) fn ensure_built(manifest: &LoadedManifest) {
    for (id, c) in &manifest.manifest.component {
        let wasm = manifest.resolve(&c.source);
        assert!(
            wasm.exists(),
            "component `{id}` is not built ({}): run the README's test command (scripts/test), \
             or `cargo run --release -p host -- build -f {}` first",
            wasm.display(),
            manifest.path.display()
        );
    }
}
