//! Several instances of the app on one Redis behind a real load balancer, as operators run it:
//! [`Cluster`] starts a `redis-server`, N instances (our `host up` as child processes, or real
//! Spin's `spin up`), each on its own port with every store label on the same Redis database,
//! and [`Balancer`], an HAProxy in front of them (round robin, no stickiness, health checks on
//! `GET /motus/health`, a refused connection retried on another instance).
//!
//! HAProxy comes from Debian's `haproxy` package (`scripts/test-deps` installs it).

use crate::api::Api;
use crate::spin::{SpinProcess, SpinStart};
use crate::stores::Stores;
use crate::{free_addr, repo_root, HostProcess, RedisServer};
use host::manifest::LoadedManifest;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What runs each instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// `target/release/host up`.
    Host,
    /// Real Spin (`spin up`, see [`crate::spin::binary`]).
    Spin,
}

enum Instance {
    Host(HostProcess),
    Spin {
        process: SpinProcess,
        addr: SocketAddr,
        // Dropped after the process (fields drop in order).
        _state: tempfile::TempDir,
    },
}

impl Instance {
    fn addr(&self) -> SocketAddr {
        match self {
            Instance::Host(host) => host.addr(),
            Instance::Spin { addr, .. } => *addr,
        }
    }

    fn kill(&mut self) {
        match self {
            Instance::Host(host) => host.kill(),
            Instance::Spin { process, .. } => process.kill(),
        }
    }

    fn output(&self) -> String {
        match self {
            Instance::Host(host) => host.stderr_tail(),
            Instance::Spin { process, .. } => process.log_text(),
        }
    }
}

/// N instances of `manifest` on one Redis, behind HAProxy.
pub struct Cluster {
    // Dropped in this order: the balancer, then the instances, then Redis.
    balancer: Balancer,
    instances: Vec<Instance>,
    _redis: RedisServer,
}

impl Cluster {
    /// Starts Redis, `n` instances with the same `variables` (so the same daily word) and every
    /// store label on Redis database 0, then HAProxy once it sees every instance healthy.
    pub async fn start(
        engine: Engine,
        manifest: &str,
        n: usize,
        variables: &[(&str, &str)],
    ) -> Cluster {
        let redis = RedisServer::start().await;
        let loaded = LoadedManifest::load(&repo_root().join(manifest)).expect("test manifest");
        let mut stores = Stores::one_database();
        stores.add(&loaded);
        let config = stores.config(Some(&redis));
        let mut instances = Vec::new();
        for _ in 0..n {
            instances.push(match engine {
                Engine::Host => {
                    Instance::Host(HostProcess::start_on(manifest, &config, variables).await)
                }
                Engine::Spin => start_spin(&loaded.path, &config, variables).await,
            });
        }
        let addrs: Vec<SocketAddr> = instances.iter().map(Instance::addr).collect();
        let balancer = Balancer::start(&addrs).await;
        Cluster {
            balancer,
            instances,
            _redis: redis,
        }
    }

    /// A client that goes through the balancer.
    pub fn api(&self) -> Api {
        Api::at(self.balancer.url(""))
    }

    /// A client for instance `i` alone, bypassing the balancer.
    pub fn instance_api(&self, i: usize) -> Api {
        Api::at(format!("http://{}", self.instances[i].addr()))
    }

    pub fn len(&self) -> usize {
        self.instances.len()
    }

    pub fn is_empty(&self) -> bool {
        self.instances.is_empty()
    }

    pub fn balancer(&self) -> &Balancer {
        &self.balancer
    }

    /// SIGKILL to instance `i` (for Spin, its whole process group): no graceful stop.
    pub fn kill(&mut self, i: usize) {
        self.instances[i].kill();
    }

    /// Every instance's recent output, for failure messages.
    pub fn output(&self) -> String {
        self.instances
            .iter()
            .enumerate()
            .map(|(i, instance)| format!("--- instance {i}:\n{}\n", instance.output()))
            .collect()
    }
}

async fn start_spin(
    manifest: &std::path::Path,
    config: &str,
    variables: &[(&str, &str)],
) -> Instance {
    let state = tempfile::Builder::new()
        .prefix("motus-spin-cluster-")
        .tempdir()
        .expect("temp state dir");
    let runtime_config = state.path().join("runtime-config.toml");
    std::fs::write(&runtime_config, config).unwrap();
    let variables: Vec<(String, String)> = variables
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut failures = Vec::new();
    for attempt in 0..3 {
        let addr = free_addr();
        let start = SpinStart {
            manifest,
            runtime_config: &runtime_config,
            state_dir: state.path(),
            variables: &variables,
            max_memory_bytes: 256 << 20,
            addr,
            log: state.path().join(format!("spin-{attempt}.log")),
        };
        match SpinProcess::start(start).await {
            Ok(process) => {
                return Instance::Spin {
                    process,
                    addr,
                    _state: state,
                }
            }
            Err(log) => failures.push(log),
        }
    }
    panic!("real Spin did not start:\n{}", failures.join("\n\n"));
}

/// An HAProxy in front of some servers, with its statistics page.
pub struct Balancer {
    child: Child,
    addr: SocketAddr,
    stats: SocketAddr,
    config: tempfile::NamedTempFile,
}

/// One server line of HAProxy's statistics.
#[derive(Debug, Clone)]
pub struct ServerStats {
    /// `UP`, `DOWN`, ... as HAProxy's health checks see it.
    pub status: String,
    /// Requests HAProxy sent it (`stot`: sessions, one a request here).
    pub requests: u64,
}

impl Balancer {
    /// Starts HAProxy in front of `servers` and waits until its health checks see them all up.
    pub async fn start(servers: &[SocketAddr]) -> Balancer {
        let addr = free_addr();
        let stats = free_addr();
        let config = tempfile::Builder::new()
            .prefix("motus-haproxy-")
            .suffix(".cfg")
            .tempfile()
            .expect("temp config");
        std::fs::write(config.path(), haproxy_config(addr, stats, servers)).unwrap();
        let child = Command::new(haproxy_binary())
            .arg("-db")
            .arg("-f")
            .arg(config.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("haproxy must be installed for the multi-instance tests (scripts/test-deps)");
        let mut balancer = Balancer {
            child,
            addr,
            stats,
            config,
        };
        balancer.wait_until_all_up(servers.len()).await;
        balancer
    }

    async fn wait_until_all_up(&mut self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut last = BTreeMap::new();
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                let mut err = String::new();
                if let Some(mut stderr) = self.child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut stderr, &mut err);
                }
                panic!("haproxy exited with {status}: {err}");
            }
            if let Ok(servers) = self.servers().await {
                if servers.len() == n && servers.values().all(|s| s.status == "UP") {
                    return;
                }
                last = servers;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("haproxy did not see its {n} servers up within 20 s: {last:?}");
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The config HAProxy runs with, for failure messages.
    pub fn config(&self) -> String {
        std::fs::read_to_string(self.config.path()).unwrap_or_default()
    }

    /// Each server (`s0`, `s1`, ...) as HAProxy sees it now.
    pub async fn servers(&self) -> reqwest::Result<BTreeMap<String, ServerStats>> {
        let csv = reqwest::get(format!("http://{}/stats;csv", self.stats))
            .await?
            .text()
            .await?;
        Ok(parse_stats(&csv))
    }
}

/// `haproxy` on PATH, else where Debian puts it (/usr/sbin, not on every user's PATH).
fn haproxy_binary() -> std::path::PathBuf {
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("haproxy"))
            .find(|bin| bin.is_file())
    });
    on_path.unwrap_or_else(|| "/usr/sbin/haproxy".into())
}

impl Drop for Balancer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Round robin, no stickiness; health checks every 200 ms on the cheap health route (HTTP/1.1
/// with a `Host`: Spin refuses HAProxy's default HTTP/1.0 check without one; two failures take
/// a server out, one success brings it back; a check may take 2 s, so a busy instance is not
/// taken for a dead one, whose refused connection fails at once); a connection refused or reset
/// before the request was sent is retried on another server (`redispatch`), never a request
/// a server may have started, which could then be applied twice.
fn haproxy_config(addr: SocketAddr, stats: SocketAddr, servers: &[SocketAddr]) -> String {
    let mut text = format!(
        "global
    maxconn 4096

defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    timeout http-request 10s
    retries 3
    option redispatch 1

frontend app
    bind {addr}
    default_backend instances

backend instances
    balance roundrobin
    option httpchk
    http-check send meth GET uri /motus/health ver HTTP/1.1 hdr Host localhost
    http-check expect status 200
    timeout check 2s
    default-server inter 200ms fastinter 100ms downinter 200ms fall 2 rise 1
"
    );
    for (i, server) in servers.iter().enumerate() {
        text.push_str(&format!("    server s{i} {server} check\n"));
    }
    text.push_str(&format!(
        "
listen stats
    bind {stats}
    stats enable
    stats uri /stats
"
    ));
    text
}

/// The `instances` backend's server lines of HAProxy's CSV statistics.
fn parse_stats(csv: &str) -> BTreeMap<String, ServerStats> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines
        .next()
        .unwrap_or_default()
        .trim_start_matches("# ")
        .split(',')
        .collect();
    let column = |name: &str| header.iter().position(|h| *h == name);
    let (Some(px), Some(sv), Some(status), Some(stot)) = (
        column("pxname"),
        column("svname"),
        column("status"),
        column("stot"),
    ) else {
        return BTreeMap::new();
    };
    lines
        .map(|line| line.split(',').collect::<Vec<_>>())
        .filter(|f| f.len() > stot.max(status) && f[px] == "instances")
        .filter(|f| f[sv] != "FRONTEND" && f[sv] != "BACKEND")
        .map(|f| {
            let stats = ServerStats {
                status: f[status].to_owned(),
                requests: f[stot].parse().unwrap_or(0),
            };
            (f[sv].to_owned(), stats)
        })
        .collect()
}
