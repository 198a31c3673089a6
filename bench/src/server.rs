//! A server under test (our host, real Spin, a gunicorn service, redis-server, HAProxy) as a child
//! process in a process group of its own: measured from outside like any user's deployment (CPU
//! and memory summed over the whole group, since `spin up` and gunicorn run several processes),
//! and the whole group stopped when it is dropped.

use anyhow::{bail, Context, Result};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    pub addr: String,
    /// Where the group's stdout and stderr go.
    pub log: PathBuf,
    _state: Option<tempfile::TempDir>,
}

impl Server {
    /// Starts `command` in its own process group, output to `log`. `state` lives as long as the
    /// server (its files are removed after it stops).
    pub fn spawn(
        mut command: Command,
        addr: String,
        log: PathBuf,
        state: Option<tempfile::TempDir>,
    ) -> Result<Server> {
        let out = std::fs::File::create(&log).with_context(|| format!("{}", log.display()))?;
        let child = command
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            .process_group(0)
            .spawn()
            .with_context(|| format!("spawn {:?}", command.get_program()))?;
        Ok(Server {
            child,
            addr,
            log,
            _state: state,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits until `probe` holds, failing early (with the log's tail) if the process exits.
    pub fn wait_until(&mut self, limit: Duration, probe: impl Fn(&str) -> bool) -> Result<()> {
        let started = Instant::now();
        while started.elapsed() < limit {
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "{} exited with {status} before serving:\n{}",
                    self.addr,
                    self.log_tail(30)
                );
            }
            if probe(&self.addr) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        bail!(
            "{} did not serve within {limit:?}:\n{}",
            self.addr,
            self.log_tail(30)
        )
    }

    pub fn log_tail(&self, lines: usize) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    fn group(&self) -> Vec<u32> {
        group_members(self.pid())
    }

    /// CPU time the group has used so far (user + system), in milliseconds.
    pub fn cpu_ms(&self) -> Option<f64> {
        let ticks: Option<f64> = self
            .group()
            .into_iter()
            .map(|pid| {
                stat_fields(pid).and_then(|f| {
                    Some(f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?)
                })
            })
            .sum();
        ticks.map(|t| t * 1000.0 / 100.0) // USER_HZ is 100 on Linux
    }

    /// Resident memory of the group now, in MiB.
    pub fn rss_mib(&self) -> Option<u64> {
        self.status_sum("VmRSS:")
    }

    /// The sum of each process's high-water mark, in MiB.
    pub fn peak_rss_mib(&self) -> Option<u64> {
        self.status_sum("VmHWM:")
    }

    fn status_sum(&self, field: &str) -> Option<u64> {
        let kib: Option<u64> = self
            .group()
            .into_iter()
            .map(|pid| proc_status_kib(pid, field))
            .sum();
        kib.map(|k| k / 1024)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let group = self.pid() as libc::pid_t;
        // SAFETY: kill(2) with a negative pid signals that process group; it touches no memory.
        unsafe { libc::kill(-group, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.child.try_wait().ok().flatten().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        // Children (Spin's trigger, gunicorn's workers) may outlive the leader: the group goes.
        // SAFETY: as above.
        unsafe { libc::kill(-group, libc::SIGKILL) };
        let _ = self.child.wait();
    }
}

/// Every process whose process group is `group` (the leader's pid).
fn group_members(group: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return vec![group];
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            stat_fields(*pid)
                .and_then(|f| f.get(2)?.parse::<u32>().ok())
                .is_some_and(|g| g == group)
        })
        .collect()
}

/// The fields of /proc/<pid>/stat after the parenthesised command name (state is 0, pgrp 2,
/// utime 11, stime 12).
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    Some(
        stat.rsplit_once(')')?
            .1
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
    )
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

/// True when `GET path` answers 200.
pub fn answers_200(addr: &str, path: &str) -> bool {
    matches!(
        crate::client::request(addr, "GET", path, &[], ""),
        Ok((200, _))
    )
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn free_addr() -> String {
    format!("127.0.0.1:{}", free_port())
}

/// The repository root (the bench crate's parent).
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}
