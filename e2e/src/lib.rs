//! Test kit for black-box tests: start the real host on a free port with the built components
//! and a temporary state directory, wait until it serves, drive it over HTTP, stop it. The host
//! is ours, in-process, or real Spin as a child process with `MOTUS_TEST_HOST=spin` ([`spin`]).
//!
//! ```no_run
//! # async fn demo() {
//! let app = e2e::TestHost::builder("spin.toml").variable("daily_secret", "s").start().await;
//! let res = reqwest::get(app.url("/motus/daily")).await.unwrap();
//! assert_eq!(res.status(), 200);
//! app.stop().await;
//! # }
//! ```

pub mod api;
pub mod browser;
pub mod process;
mod redis_server;
pub mod spin;

pub use process::HostProcess;
pub use redis_server::RedisServer;
pub use spin::{on_spin, skip_on_spin};

use host::manifest::LoadedManifest;
use host::{App, AppOptions, Server, ServerOptions};
use spin::{SpinProcess, SpinStart};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Auth counts password attempts in fixed windows of one UTC minute (auth/src/domain/lockout.rs),
/// so a test that fails a password a few times and expects the next attempt to be refused must
/// not straddle a window's end. When less than 15 s of the current minute remain, this waits for
/// the next minute to begin.
pub async fn clear_of_a_lockout_window_end() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    let left = Duration::from_secs(60) - Duration::from_millis((now.as_millis() % 60_000) as u64);
    if left < Duration::from_secs(15) {
        tokio::time::sleep(left + Duration::from_millis(50)).await;
    }
}

/// The repository root (manifests and `target/` are found from here).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

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

pub struct Builder {
    manifest: PathBuf,
    variables: Vec<(String, String)>,
    backend: Backend,
    request_timeout: Option<Duration>,
    max_memory_mb: usize,
    server: Option<ServerOptions>,
}

impl Builder {
    pub fn variable(mut self, name: &str, value: &str) -> Self {
        self.variables.push((name.into(), value.into()));
        self
    }

    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// Our host's request deadline. Real Spin has none for WASIp2 components: a test that sets
    /// it calls [`skip_on_spin`] first.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = Some(timeout);
        self
    }

    /// The memory cap of one instance (on Spin: `--max-instance-memory`).
    pub fn max_memory_mb(mut self, mib: usize) -> Self {
        self.max_memory_mb = mib;
        self
    }

    /// Our host's connection limits and timeouts (`host up --header-read-timeout` and the
    /// like), e.g. short ones so that a timeout test runs quickly. Real Spin has its own: a test
    /// that sets them calls [`skip_on_spin`] first.
    pub fn server(mut self, options: ServerOptions) -> Self {
        self.server = Some(options);
        self
    }

    pub async fn start(self) -> TestHost {
        init_tracing();
        assert!(
            !(on_spin() && self.server.is_some()),
            "the connection limits are our host's: call e2e::skip_on_spin in this test"
        );
        assert!(
            !(on_spin() && self.request_timeout.is_some()),
            "real Spin has no request deadline for WASIp2 components: \
             call e2e::skip_on_spin in this test"
        );
        let manifest = LoadedManifest::load(&self.manifest).expect("test manifest");
        ensure_built(&manifest);
        let state = tempfile::Builder::new()
            .prefix("motus-test-")
            .tempdir()
            .expect("temp state dir");
        let redis = match self.backend {
            Backend::Redis => Some(RedisServer::start().await),
            Backend::Sqlite => None,
        };
        let mut stores = Stores::default();
        stores.add(&manifest);
        let runtime_config = state.path().join("runtime-config.toml");
        std::fs::write(&runtime_config, stores.config(redis.as_ref())).unwrap();
        let mut options = AppOptions::new(&self.manifest, state.path());
        options.runtime_config = Some(runtime_config);
        options.variables = self.variables;
        if let Some(timeout) = self.request_timeout {
            options.request_timeout = timeout;
        }
        options.engine.max_memory = self.max_memory_mb << 20;
        let mut host = TestHost {
            options,
            server_options: self.server.unwrap_or_default(),
            state: Arc::new(state),
            redis,
            stores,
            server: None,
            spin: None,
            spin_starts: 0,
            addr: None,
        };
        host.start_server().await;
        host
    }
}

/// A running host. Dropping ours without [`TestHost::stop`] leaves the server task to the
/// runtime; dropping real Spin stops its processes (and prints their output if the test failed).
pub struct TestHost {
    // First, so it is dropped first (fields drop in order): Spin stops, and its log is read,
    // before its state directory and its Redis go.
    spin: Option<SpinProcess>,
    spin_starts: usize,
    options: AppOptions,
    server_options: ServerOptions,
    state: Arc<tempfile::TempDir>,
    redis: Option<RedisServer>,
    stores: Stores,
    server: Option<Server>,
    addr: Option<SocketAddr>,
}

impl TestHost {
    /// `manifest` is relative to the repository root, e.g. `"spin.toml"`.
    pub fn builder(manifest: &str) -> Builder {
        Builder {
            manifest: repo_root().join(manifest),
            variables: Vec::new(),
            backend: Backend::from_env(),
            request_timeout: None,
            max_memory_mb: 256,
            server: None,
        }
    }

    async fn start_server(&mut self) {
        if on_spin() {
            return self.start_spin().await;
        }
        let app = App::load(&self.options)
            .await
            .expect("the host loads the app");
        // Reuse the previous port on restart so URLs held by a test stay valid.
        let listen = self.addr.unwrap_or_else(|| "127.0.0.1:0".parse().unwrap());
        let server = Server::start_with(app, listen, &self.server_options)
            .await
            .expect("the host listens");
        self.addr = Some(server.addr);
        self.server = Some(server);
        self.wait_until_serving().await;
    }

    /// `spin up` on the port of the previous start, or on a free one; a first start retries on
    /// another port if the one chosen was taken meanwhile.
    async fn start_spin(&mut self) {
        let mut failures = Vec::new();
        for _ in 0..3 {
            let addr = self.addr.unwrap_or_else(free_addr);
            self.spin_starts += 1;
            let start = SpinStart {
                manifest: &self.options.manifest,
                runtime_config: self
                    .options
                    .runtime_config
                    .as_deref()
                    .expect("runtime config"),
                state_dir: self.state.path(),
                variables: &self.options.variables,
                max_memory_bytes: self.options.engine.max_memory,
                addr,
                log: self
                    .state
                    .path()
                    .join(format!("spin-{}.log", self.spin_starts)),
            };
            match SpinProcess::start(start).await {
                Ok(process) => {
                    self.addr = Some(addr);
                    self.spin = Some(process);
                    return;
                }
                Err(log) if self.addr.is_none() => failures.push(log),
                Err(log) => panic!("real Spin did not restart on {addr}: {log}"),
            }
        }
        panic!("real Spin did not start:\n{}", failures.join("\n\n"));
    }

    async fn stop_running(&mut self) {
        if let Some(server) = self.server.take() {
            server.stop().await;
        }
        if let Some(mut spin) = self.spin.take() {
            spin.stop();
        }
    }

    async fn wait_until_serving(&self) {
        let client = reqwest::Client::new();
        for _ in 0..200 {
            if client.get(self.url("/")).send().await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the host did not start serving on {}", self.url("/"));
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr.expect("started")
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr(), path)
    }

    pub fn state_dir(&self) -> &Path {
        self.state.path()
    }

    /// The runtime config the host runs with (in the state dir; SQLite paths are relative to it).
    pub fn runtime_config(&self) -> &Path {
        self.options
            .runtime_config
            .as_deref()
            .expect("runtime config")
    }

    /// Stops the host gracefully but keeps its state, stores and port, so another host can run
    /// on the same files; [`TestHost::restart`] starts it again.
    pub async fn stop_keeping_state(&mut self) {
        self.stop_running().await;
    }

    /// Stops the host gracefully and starts it again on the same port and state.
    pub async fn restart(&mut self) {
        self.stop_running().await;
        self.start_server().await;
    }

    /// Stops the host gracefully and starts `manifest` (relative to the repository root) in its
    /// place, on the same port, state and key-value stores: e.g. a sibling taken out of the
    /// manifest, then put back. Labels the new manifest adds get stores of their own.
    pub async fn restart_with_manifest(&mut self, manifest: &str) {
        let path = repo_root().join(manifest);
        let loaded = LoadedManifest::load(&path).expect("test manifest");
        ensure_built(&loaded);
        self.stores.add(&loaded);
        let runtime_config = self.options.runtime_config.clone().expect("runtime config");
        std::fs::write(&runtime_config, self.stores.config(self.redis.as_ref())).unwrap();
        self.options.manifest = path;
        self.restart().await;
    }

    pub async fn stop(mut self) {
        self.stop_running().await;
        drop(self.redis.take());
    }
}

/// The key-value store of each label: a SQLite file per label, or one Redis database per label,
/// as separate stores would be in production. A label keeps its database number once given, so
/// a restart with another manifest finds the same data.
#[derive(Default, Clone)]
struct Stores {
    labels: BTreeMap<String, usize>,
}

impl Stores {
    fn add(&mut self, manifest: &LoadedManifest) {
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

    fn config(&self, redis: Option<&RedisServer>) -> String {
        self.labels
            .iter()
            .map(|(label, i)| match redis {
                Some(r) => format!(
                    "[key_value_store.{label}]\ntype = \"redis\"\nurl = \"{}/{i}\"\n",
                    r.url()
                ),
                None => {
                    format!("[key_value_store.{label}]\ntype = \"spin\"\npath = \"{label}.db\"\n")
                }
            })
            .collect()
    }
}

/// A loopback address with a port free at the time of asking.
pub fn free_addr() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
}

/// The runtime config [`TestHost`] writes for `manifest`.
fn runtime_config_for(manifest: &LoadedManifest, redis: Option<&RedisServer>) -> String {
    let mut stores = Stores::default();
    stores.add(manifest);
    stores.config(redis)
}

/// Fails with instructions when a component the manifest names has not been built: the
/// README's test command builds them before `cargo test`.
fn ensure_built(manifest: &LoadedManifest) {
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

fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_test_writer()
        .try_init();
}
