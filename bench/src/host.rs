//! Our host (`host up`) on a free port of 127.0.0.1 with a temporary state directory.

use crate::server::{answers_200, free_addr, Server};
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Where the key-value stores of an app live.
#[derive(Clone)]
pub enum Stores {
    /// The host's defaults (the hello fixture has no store).
    None,
    /// One SQLite file per label in the state directory, as runtime-config.toml does.
    Sqlite(&'static [&'static str]),
    /// One database of one Redis per label, in order (db 0, 1, 2…).
    Redis(String, &'static [&'static str]),
}

impl Stores {
    /// The runtime config file's text (the same for our host and real Spin).
    pub fn runtime_config(&self) -> String {
        match self {
            Stores::None => String::new(),
            Stores::Sqlite(labels) => labels
                .iter()
                .map(|l| format!("[key_value_store.{l}]\ntype = \"spin\"\npath = \"{l}.db\"\n"))
                .collect(),
            Stores::Redis(url, labels) => labels
                .iter()
                .enumerate()
                .map(|(db, l)| {
                    format!("[key_value_store.{l}]\ntype = \"redis\"\nurl = \"{url}/{db}\"\n")
                })
                .collect(),
        }
    }
}

pub struct Spawn<'a> {
    pub bin: &'a Path,
    pub manifest: PathBuf,
    pub cache: &'a Path,
    pub variables: Vec<String>,
    pub stores: Stores,
    /// Extra `host up` arguments (the bench's `--host-arg`), to measure a host setting.
    pub extra: &'a [String],
    /// RUST_LOG for the host: `warn` when measuring, `info` for the per-request lines.
    pub log_level: &'static str,
}

impl Spawn<'_> {
    pub fn start(&self, ready_path: &str) -> Result<Server> {
        let state = tempfile::tempdir()?;
        let addr = free_addr();
        let mut command = Command::new(self.bin);
        command
            .args(["up", "-f"])
            .arg(&self.manifest)
            .args(["--listen", &addr, "--cache-dir"])
            .arg(self.cache)
            .arg("--state-dir")
            .arg(state.path());
        if !matches!(self.stores, Stores::None) {
            let config = state.path().join("runtime-config.toml");
            std::fs::write(&config, self.stores.runtime_config())?;
            command.arg("--runtime-config-file").arg(config);
        }
        for v in &self.variables {
            command.args(["--variable", v]);
        }
        command.args(self.extra).env("RUST_LOG", self.log_level);
        let log = state.path().join("host.log");
        let mut server = Server::spawn(command, addr, log, Some(state))?;
        server.wait_until(Duration::from_secs(120), |a| answers_200(a, ready_path))?;
        Ok(server)
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
