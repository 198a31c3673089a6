//! The real `host` binary as a child process, for the tests that must kill it outright
//! (SIGKILL: no graceful shutdown, no flush), which the in-process [`crate::TestHost`] cannot.
//!
//! It runs `target/release/host up` on a free port with a temporary state directory and the
//! same runtime config as [`crate::TestHost`] (one SQLite file per label, or one Redis database
//! per label on a [`RedisServer`] that outlives the host). `scripts/test` builds the binary.
//! The host logs at `warn`; `MOTUS_HOST_LOG=info` keeps every request line, which a failure
//! message then shows the tail of.

use crate::{free_addr, repo_root, runtime_config_for, Backend, RedisServer};
use host::manifest::LoadedManifest;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant, SystemTime};

/// A `host up` child process and the state it keeps across restarts.
pub struct HostProcess {
    child: Option<Child>,
    manifest: PathBuf,
    variables: Vec<(String, String)>,
    runtime_config: PathBuf,
    addr: SocketAddr,
    state: tempfile::TempDir,
    redis: Option<RedisServer>,
    starts: usize,
}

impl HostProcess {
    /// Starts `target/release/host up -f <manifest>` (relative to the repository root) and waits
    /// until it serves.
    pub async fn start(
        manifest: &str,
        backend: Backend,
        variables: &[(&str, &str)],
    ) -> HostProcess {
        let loaded = LoadedManifest::load(&repo_root().join(manifest)).expect("test manifest");
        let redis = match backend {
            Backend::Redis => Some(RedisServer::start().await),
            Backend::Sqlite => None,
        };
        let config = runtime_config_for(&loaded, redis.as_ref());
        Self::launch(manifest, &config, redis, variables).await
    }

    /// Starts the host on stores the caller keeps: `runtime_config` is the text of its runtime
    /// config, e.g. every instance of a cluster on one Redis ([`crate::balancer`]).
    pub async fn start_on(
        manifest: &str,
        runtime_config: &str,
        variables: &[(&str, &str)],
    ) -> HostProcess {
        Self::launch(manifest, runtime_config, None, variables).await
    }

    async fn launch(
        manifest: &str,
        config: &str,
        redis: Option<RedisServer>,
        variables: &[(&str, &str)],
    ) -> HostProcess {
        let manifest = repo_root().join(manifest);
        let state = tempfile::Builder::new()
            .prefix("motus-proc-")
            .tempdir()
            .expect("temp state dir");
        let runtime_config = state.path().join("runtime-config.toml");
        std::fs::write(&runtime_config, config).unwrap();
        let mut process = HostProcess {
            child: None,
            manifest,
            variables: variables
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            runtime_config,
            addr: free_addr(),
            state,
            redis,
            starts: 0,
        };
        process.spawn().await;
        process
    }

    /// The binary the tests run: `target/release/host`, built by `scripts/test`.
    pub fn binary() -> PathBuf {
        let bin = repo_root().join("target/release/host");
        assert!(
            bin.exists(),
            "{} is missing: run scripts/test, or build it with \
             `cargo build --release --workspace --tests --bin host`",
            bin.display()
        );
        // An old binary tests yesterday's host; say so (scripts/test always rebuilds it).
        if modified(&bin) < newest_file(&repo_root().join("host")) {
            eprintln!(
                "warning: {} is older than the host sources; rebuild it with \
                 `cargo build --release --workspace --tests --bin host` (scripts/test does)",
                bin.display()
            );
        }
        bin
    }

    async fn spawn(&mut self) {
        self.starts += 1;
        let log = |name: &str| {
            std::fs::File::create(
                self.state
                    .path()
                    .join(format!("host-{}-{name}.txt", self.starts)),
            )
            .unwrap()
        };
        let mut cmd = Command::new(Self::binary());
        cmd.arg("up")
            .arg("-f")
            .arg(&self.manifest)
            .args(["--listen", &self.addr.to_string()])
            .arg("--state-dir")
            .arg(self.state.path())
            .arg("--runtime-config-file")
            .arg(&self.runtime_config)
            .env(
                "RUST_LOG",
                std::env::var("MOTUS_HOST_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .stdout(log("stdout"))
            .stderr(log("stderr"));
        for (name, value) in &self.variables {
            cmd.args(["--variable", &format!("{name}={value}")]);
        }
        let child = cmd.spawn().expect("spawn target/release/host");
        self.child = Some(child);
        self.wait_until_serving().await;
    }

    async fn wait_until_serving(&mut self) {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().unwrap()) {
                panic!(
                    "the host exited with {status} before serving: {}",
                    self.stderr_tail()
                );
            }
            if client.get(self.url("/")).send().await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!(
            "the host did not serve {} within 60 s: {}",
            self.url("/"),
            self.stderr_tail()
        );
    }

    /// The last lines the host wrote to stderr in its latest run, for failure messages.
    pub fn stderr_tail(&self) -> String {
        let path = self
            .state
            .path()
            .join(format!("host-{}-stderr.txt", self.starts));
        let mut tail = last_lines(&path, 20);
        // What the components printed (a sibling that failed says why there).
        for component in ["auth", "motus", "score", "webapp"] {
            let path = self
                .state
                .path()
                .join("logs")
                .join(format!("{component}_stderr.txt"));
            let lines = last_lines(&path, 10);
            if !lines.is_empty() {
                tail.push_str(&format!("\n{component} stderr:\n{lines}"));
            }
        }
        tail
    }

    /// SIGKILL (on Unix `Child::kill` sends SIGKILL): the process gets no chance to finish
    /// anything. Waits until it is gone.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().expect("kill the host");
            child.wait().expect("reap the host");
        }
    }

    /// Starts the binary again on the same port, state directory and runtime config.
    pub async fn restart(&mut self) {
        self.kill();
        self.spawn().await;
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn state_dir(&self) -> &Path {
        self.state.path()
    }

    pub fn redis(&self) -> Option<&RedisServer> {
        self.redis.as_ref()
    }
}

impl Drop for HostProcess {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The last `n` lines of a file, empty if it cannot be read.
fn last_lines(path: &Path, n: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// The latest modification time of the files under `dir`.
fn newest_file(dir: &Path) -> SystemTime {
    let mut newest = SystemTime::UNIX_EPOCH;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let time = if path.is_dir() {
            newest_file(&path)
        } else {
            modified(&path)
        };
        newest = newest.max(time);
    }
    newest
}
