//! Real Spin as the host under test: with `MOTUS_TEST_HOST=spin`, [`crate::TestHost`] runs
//! `spin up` as a child process instead of our host in-process, so the black-box suites check the
//! app on the reference implementation (the CLI from `SPIN_BIN`, `spin` on PATH, or
//! `../shared/spin/spin` beside the repository).
//!
//! Spin runs in a process group of its own: `spin up` starts its trigger as a second process, and
//! both must go when the test ends, however it ends. Its output goes to `spin-<n>.log` in the
//! state directory, printed when a start fails or a test panics with the host still up.

use crate::repo_root;
use std::net::SocketAddr;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Spin compiles each component on a cold cache; that can take this long on a loaded 2-core box.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// After SIGTERM, how long Spin gets to finish before SIGKILL.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// True when the suites target real Spin (`MOTUS_TEST_HOST=spin`).
pub fn on_spin() -> bool {
    matches!(std::env::var("MOTUS_TEST_HOST").as_deref(), Ok("spin"))
}

/// For tests that need what only our host has (a request deadline, host-internal state): on real
/// Spin it says why the test does not apply and returns true, and the test returns at once.
///
/// ```no_run
/// if e2e::skip_on_spin("Spin has no request deadline for WASIp2 components") {
///     return;
/// }
/// ```
pub fn skip_on_spin(why: &str) -> bool {
    if on_spin() {
        eprintln!("skipped on real Spin: {why}");
    }
    on_spin()
}

/// The Spin CLI to test against: `SPIN_BIN`, else `spin` on PATH, else `../shared/spin/spin`
/// beside the repository. `scripts/test` looks in the same places.
pub fn binary() -> Option<PathBuf> {
    if let Some(bin) = std::env::var_os("SPIN_BIN").filter(|b| !b.is_empty()) {
        return Some(PathBuf::from(bin));
    }
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("spin"))
            .find(|bin| bin.is_file())
    });
    on_path.or_else(|| {
        let shared = repo_root().join("../shared/spin/spin");
        shared.is_file().then_some(shared)
    })
}

/// What `spin up` needs for one start of an app.
pub struct SpinStart<'a> {
    pub manifest: &'a Path,
    pub runtime_config: &'a Path,
    pub state_dir: &'a Path,
    pub variables: &'a [(String, String)],
    pub max_memory_bytes: usize,
    pub addr: SocketAddr,
    pub log: PathBuf,
}

/// A running `spin up` and its process group.
pub struct SpinProcess {
    child: Option<Child>,
    log: PathBuf,
}

impl SpinProcess {
    /// Starts `spin up` and waits until it answers HTTP. Err(log) when it exits first (e.g. the
    /// port was taken between choosing it and binding it); panics when it never serves.
    pub async fn start(start: SpinStart<'_>) -> Result<SpinProcess, String> {
        let bin = binary().expect(
            "no Spin CLI found: set SPIN_BIN, put `spin` on PATH, \
             or place it at ../shared/spin/spin",
        );
        let log = std::fs::File::create(&start.log).expect("Spin log file");
        let mut cmd = Command::new(&bin);
        cmd.arg("up")
            .arg("-f")
            .arg(start.manifest)
            .args(["--listen", &start.addr.to_string()])
            .arg("--state-dir")
            .arg(start.state_dir)
            .arg("--runtime-config-file")
            .arg(start.runtime_config)
            // Spin copies the components' `files` here (inside the state directory, so they go
            // with it even after a SIGKILL). Not `--direct-mounts`: Spin 4.0.2 then resolves the
            // mounts against its working directory, and with another one every request hangs.
            .arg("--temp")
            .arg(start.state_dir.join("spin-temp"))
            .arg("--cache")
            .arg(wasmtime_cache_config())
            .args(["--max-instance-memory", &start.max_memory_bytes.to_string()])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .process_group(0);
        for (name, value) in start.variables {
            cmd.args(["--variable", &format!("{name}={value}")]);
        }
        // If the test process dies without dropping the host (a timeout's kill, Ctrl-C), Spin gets
        // SIGTERM from the kernel and takes its trigger process down with it, rather than living
        // on as an orphan holding the port. (It fires when the spawning thread ends: the test's
        // own or a runtime worker, both of which outlive the host.)
        // SAFETY: prctl is async-signal-safe and touches no memory of the parent.
        unsafe {
            cmd.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
        let mut process = SpinProcess {
            child: Some(child),
            log: start.log,
        };
        process.wait_until_serving(start.addr).await?;
        Ok(process)
    }

    async fn wait_until_serving(&mut self, addr: SocketAddr) -> Result<(), String> {
        let client = reqwest::Client::new();
        let url = format!("http://{addr}/");
        let deadline = Instant::now() + START_TIMEOUT;
        while Instant::now() < deadline {
            if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().unwrap()) {
                self.child = None;
                return Err(format!(
                    "spin up exited with {status} before serving:\n{}",
                    self.log_text()
                ));
            }
            if client.get(&url).send().await.is_ok() {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        self.stop();
        panic!(
            "spin up did not serve {url} within {START_TIMEOUT:?}:\n{}",
            self.log_text()
        );
    }

    /// Spin's own output and the components' output (`logs/` in the state directory), for
    /// failure messages.
    pub fn log_text(&self) -> String {
        let mut text = tail(&self.log, 60);
        if let Some(logs) = self.log.parent().map(|state| state.join("logs")) {
            let mut files: Vec<_> = std::fs::read_dir(logs)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .collect();
            files.sort();
            for file in files {
                let lines = tail(&file, 20);
                if !lines.trim().is_empty() {
                    text.push_str(&format!("\n--- {}\n{lines}", file.display()));
                }
            }
        }
        text
    }

    /// SIGKILL to the process group at once (`spin up` and its trigger): no graceful stop.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            signal_group(child.id() as libc::pid_t, libc::SIGKILL);
            let _ = child.wait();
        }
    }

    /// SIGTERM to the process group, then SIGKILL if it has not exited within the grace period.
    /// Blocking, so that it also serves `Drop`.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let group = child.id() as libc::pid_t;
        signal_group(group, libc::SIGTERM);
        let deadline = Instant::now() + STOP_GRACE;
        while Instant::now() < deadline {
            if child.try_wait().ok().flatten().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        // The trigger process may outlive `spin up` itself: the group goes in any case.
        signal_group(group, libc::SIGKILL);
        let _ = child.wait();
    }
}

impl Drop for SpinProcess {
    fn drop(&mut self) {
        if self.child.is_some() && std::thread::panicking() {
            eprintln!(
                "real Spin's output ({}):\n{}",
                self.log.display(),
                self.log_text()
            );
        }
        self.stop();
    }
}

fn signal_group(group: libc::pid_t, signal: libc::c_int) {
    // SAFETY: kill(2) with a negative pid signals that process group; it touches no memory.
    unsafe {
        libc::kill(-group, signal);
    }
}

fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// A wasmtime cache configuration shared by every Spin start of the test run, so each component
/// is compiled once rather than at each of the hundreds of starts: `target/spin-cache/`.
fn wasmtime_cache_config() -> &'static Path {
    static CONFIG: OnceLock<PathBuf> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let dir = repo_root().join("target/spin-cache");
        std::fs::create_dir_all(dir.join("wasmtime")).expect("Spin cache directory");
        let dir = dir.canonicalize().expect("Spin cache directory");
        let config = dir.join("wasmtime-cache.toml");
        let text = format!(
            "[cache]\ndirectory = \"{}\"\n",
            dir.join("wasmtime").display()
        );
        // Several test binaries may write it at once: write aside, then rename into place.
        let aside = dir.join(format!("wasmtime-cache.toml.{}", std::process::id()));
        std::fs::write(&aside, text).expect("write the wasmtime cache config");
        std::fs::rename(&aside, &config).expect("write the wasmtime cache config");
        config
    })
}
