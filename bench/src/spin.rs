//! Real Spin (`spin up`) serving the same manifest, components and kind of runtime config as our
//! host, on a free port with a temporary state directory.

use crate::host::Stores;
use crate::server::{answers_200, free_addr, repo_root, Server};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The Spin CLI: `SPIN_BIN`, else `spin` on PATH, else `../shared/spin/spin` beside the
/// repository (where scripts/test-spin and the e2e kit look too).
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

pub fn version(bin: &Path) -> String {
    Command::new(bin)
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "spin (version unknown)".into())
}

pub struct Spin<'a> {
    pub bin: &'a Path,
    pub manifest: PathBuf,
    pub variables: Vec<String>,
    pub stores: Stores,
}

impl Spin<'_> {
    pub fn start(&self, ready_path: &str) -> Result<Server> {
        let state = tempfile::tempdir()?;
        let addr = free_addr();
        let config = state.path().join("runtime-config.toml");
        std::fs::write(&config, self.stores.runtime_config())?;
        let mut command = Command::new(self.bin);
        command
            .args(["up", "-f"])
            .arg(&self.manifest)
            .args(["--listen", &addr, "--state-dir"])
            .arg(state.path())
            .arg("--runtime-config-file")
            .arg(&config)
            // Spin copies the components' files here; inside the state dir so they go with it.
            .arg("--temp")
            .arg(state.path().join("spin-temp"))
            .arg("--cache")
            .arg(cache_config()?);
        for v in &self.variables {
            command.args(["--variable", v]);
        }
        let log = state.path().join("spin.log");
        let mut server = Server::spawn(command, addr, log, Some(state))?;
        // A first start compiles every component: long on a busy 2-core machine.
        server.wait_until(Duration::from_secs(300), |a| answers_200(a, ready_path))?;
        Ok(server)
    }
}

/// A wasmtime cache of the bench's own, so that each start after the first loads compiled code,
/// as our host does with its `--cache-dir`.
fn cache_config() -> Result<PathBuf> {
    let dir = repo_root().join("target/bench-spin-cache");
    std::fs::create_dir_all(dir.join("wasmtime"))?;
    let dir = dir.canonicalize()?;
    let config = dir.join("wasmtime-cache.toml");
    std::fs::write(
        &config,
        format!(
            "[cache]\ndirectory = \"{}\"\n",
            dir.join("wasmtime").display()
        ),
    )
    .context("write the wasmtime cache config")?;
    Ok(config)
}
