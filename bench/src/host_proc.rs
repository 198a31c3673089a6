//! The host under test, as a child process on a free port with a temporary state directory:
//! measured from outside, like a user's `spin up`, and killed when dropped.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct HostProc {
    child: Child,
    pub addr: String,
    _state: Option<tempfile::TempDir>,
}

pub struct Spawn<'a> {
    pub bin: &'a Path,
    pub manifest: PathBuf,
    pub cache: &'a Path,
    pub variables: Vec<String>,
    /// One SQLite file per label in the state dir; `None` keeps the host's defaults.
    pub labels: &'a [&'a str],
    /// Extra `host up` arguments (the bench's `--host-arg`), to measure a host setting.
    pub extra: &'a [String],
}

impl Spawn<'_> {
    pub fn start(&self, ready_path: &str) -> Result<HostProc> {
        let state = tempfile::tempdir()?;
        let addr = format!("127.0.0.1:{}", free_port());
        let mut command = Command::new(self.bin);
        command
            .args(["up", "-f"])
            .arg(&self.manifest)
            .args(["--listen", &addr, "--cache-dir"])
            .arg(self.cache)
            .arg("--state-dir")
            .arg(state.path());
        if !self.labels.is_empty() {
            let config = state.path().join("runtime-config.toml");
            std::fs::write(
                &config,
                self.labels
                    .iter()
                    .map(|l| format!("[key_value_store.{l}]\ntype = \"spin\"\npath = \"{l}.db\"\n"))
                    .collect::<String>(),
            )?;
            command.arg("--runtime-config-file").arg(config);
        }
        for v in &self.variables {
            command.args(["--variable", v]);
        }
        command.args(self.extra);
        let child = command
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .context("spawn host")?;
        let host = HostProc {
            child,
            addr,
            _state: Some(state),
        };
        wait_for_200(&host.addr, ready_path, Duration::from_secs(60))?;
        Ok(host)
    }
}

impl HostProc {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory now, in MiB.
    pub fn rss_mib(&self) -> Option<u64> {
        proc_status_kib(self.pid(), "VmRSS:").map(|k| k / 1024)
    }

    /// CPU time the process has used so far (user + system), in milliseconds.
    pub fn cpu_ms(&self) -> Option<f64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).ok()?;
        // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let ticks: f64 =
            fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
        Some(ticks * 1000.0 / 100.0) // USER_HZ is 100 on Linux
    }

    /// The highest resident memory since the process started, in MiB.
    pub fn peak_rss_mib(&self) -> Option<u64> {
        proc_status_kib(self.pid(), "VmHWM:").map(|k| k / 1024)
    }
}

impl Drop for HostProc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Process start to first 200 on `path`, then the process is stopped.
pub fn cold_start(spawn: &Spawn, path: &str) -> Result<Duration> {
    let started = Instant::now();
    let host = spawn.start(path)?;
    let elapsed = started.elapsed();
    drop(host);
    Ok(elapsed)
}

pub fn wait_for_200(authority: &str, path: &str, limit: Duration) -> Result<()> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Ok((200, _)) = crate::client::request(authority, "GET", path, &[], "") {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    bail!("http://{authority}{path} did not answer 200 within {limit:?}")
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn proc_status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}
