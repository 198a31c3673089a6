//! [`TestHost`]: the app under test, on our host in-process or on real Spin as a child process,
//! with a temporary state directory, stopped when dropped.

use crate::api::Api;
use crate::planted::all_planted;
use crate::spin::{SpinProcess, SpinStart};
use crate::stores::{ensure_built, free_addr, Backend, StoreLocation, Stores};
use crate::{init_tracing, on_spin, repo_root, RedisServer};
use host::manifest::LoadedManifest;
use host::{App, AppOptions, Server, ServerOptions};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub struct Builder {
    manifest: PathBuf,
    variables: Vec<(String, String)>,
    backend: Backend,
    request_timeout: Option<Duration>,
    max_memory_mb: usize,
    server: Option<ServerOptions>,
    one_database: bool,
}

impl Builder {
    /// Maps every key-value label to one database (one SQLite file, or Redis database 0)
    /// instead of one each.
    pub fn one_database(mut self) -> Self {
        self.one_database = true;
        self
    }

    pub fn variable(mut self, name: &str, value: &str) -> Self {
        self.variables.push((name.into(), value.into()));
        self
    }

    /// Plants every word of [`crate::planted::PLANTED`] as motus's answers.
    pub fn planted(self) -> Self {
        self.variable("answer_words", &all_planted())
    }

    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// Our host's request deadline. Real Spin has none for WASIp2 components: a test that sets
    /// it calls [`crate::skip_on_spin`] first.
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
    /// that sets them calls [`crate::skip_on_spin`] first.
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
        let mut stores = match self.one_database {
            true => Stores::one_database(),
            false => Stores::default(),
        };
        stores.add(&manifest);
        let runtime_config = state.path().join("runtime-config.toml");
        std::fs::write(&runtime_config, stores.config(redis.as_ref())).unwrap();
        let mut options = AppOptions::new(&self.manifest, state.path());
        options.runtime_config = Some(runtime_config);
        options.variables = effective_variables(&manifest, &self.variables);
        if let Some(timeout) = self.request_timeout {
            options.request_timeout = timeout;
        }
        options.engine.max_memory = self.max_memory_mb << 20;
        let mut host = TestHost {
            requested_variables: self.variables,
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

    /// [`Builder::start`], and a client for the host.
    pub async fn start_with_api(self) -> (TestHost, Api) {
        let app = self.start().await;
        let api = Api::new(&app);
        (app, api)
    }
}

/// A running host. Dropping it stops it: ours stops accepting and finishes what it is serving
/// (as [`TestHost::stop`] does), real Spin is terminated and reaped (its output printed if the
/// test failed); then its Redis and its state directory go.
pub struct TestHost {
    // First, so it is dropped first (fields drop in order): Spin stops, and its log is read,
    // before its state directory and its Redis go.
    spin: Option<SpinProcess>,
    spin_starts: usize,
    /// The variables the test asked for; `options.variables` are those the manifest run gets.
    requested_variables: Vec<(String, String)>,
    options: AppOptions,
    server_options: ServerOptions,
    state: Arc<tempfile::TempDir>,
    redis: Option<RedisServer>,
    stores: Stores,
    server: Option<Server>,
    addr: Option<SocketAddr>,
}

/// The `access_secret` the tests run with unless they set their own (empty turns access tokens
/// off): the configuration docs/deploy.md asks for, so the webapp's suites go the way production
/// does (the API suites' session tokens still go to auth).
pub const TEST_ACCESS_SECRET: &str = "the test suite's access secret (32+ bytes)";
const ACCESS_VARIABLES: [&str; 2] = ["access_secret", "access_ttl_seconds"];

/// What a run of `manifest` gets of the variables a test asked for: the access-token ones only if
/// the manifest declares them (the outage manifests do not all), and [`TEST_ACCESS_SECRET`] when
/// it declares `access_secret` and the test did not set it.
fn effective_variables(
    manifest: &LoadedManifest,
    requested: &[(String, String)],
) -> Vec<(String, String)> {
    let declared = |name: &str| manifest.manifest.variables.contains_key(name);
    let mut variables: Vec<(String, String)> = requested
        .iter()
        .filter(|(name, _)| !ACCESS_VARIABLES.contains(&name.as_str()) || declared(name))
        .cloned()
        .collect();
    let asked = requested.iter().any(|(name, _)| name == "access_secret");
    if declared("access_secret") && !asked {
        variables.push(("access_secret".into(), TEST_ACCESS_SECRET.into()));
    }
    variables
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
            one_database: false,
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
                runtime_config: self.runtime_config(),
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
        // Through its Drop, which prints Spin's output when the test is failing.
        drop(self.spin.take());
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

    /// Each key-value label and where its data lives.
    pub fn store_locations(&self) -> Vec<(String, StoreLocation)> {
        self.stores
            .locations(self.redis.as_ref(), self.state.path())
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
        let runtime_config = self.runtime_config().to_path_buf();
        std::fs::write(&runtime_config, self.stores.config(self.redis.as_ref())).unwrap();
        self.options.variables = effective_variables(&loaded, &self.requested_variables);
        self.options.manifest = path;
        self.restart().await;
    }

    /// Stops the host gracefully and removes its state: what dropping it does, awaited rather
    /// than blocking a runtime thread.
    pub async fn stop(mut self) {
        self.stop_running().await;
    }
}

impl Drop for TestHost {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            stop_blocking(server);
        }
        drop(self.spin.take());
    }
}

/// Stops our server from a `Drop`: on the multi-threaded runtime every black-box test uses, this
/// waits for the graceful stop as [`TestHost::stop`] does, so the next test's files and ports are
/// free. Elsewhere (no runtime, or one thread that must not block) dropping the handle still
/// tells the server to stop, and it finishes on its own.
fn stop_blocking(server: Server) {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(|| handle.block_on(server.stop()));
        }
        _ => drop(server),
    }
}
