//! HAProxy (Debian's package) in front of the hosts: round robin, no stickiness, keep-alive on
//! both sides, started for one measurement and stopped with it. No health checks: every host is
//! up for the whole measurement, and a check would add its own requests to the figures.

use crate::server::{answers_200, free_addr, Server};
use anyhow::{bail, Result};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

pub fn ensure_installed() -> Result<()> {
    if Command::new("haproxy").arg("-v").output().is_ok() {
        return Ok(());
    }
    eprintln!("bench: installing haproxy");
    let status = Command::new("sh")
        .arg("-c")
        .arg("apt-get install -y -qq haproxy || (apt-get update -qq && apt-get install -y -qq haproxy)")
        .status()?;
    if !status.success() {
        bail!("haproxy is needed: apt-get install haproxy");
    }
    Ok(())
}

pub fn version() -> String {
    Command::new("haproxy")
        .arg("-v")
        .output()
        .ok()
        .and_then(|o| {
            let text = String::from_utf8_lossy(&o.stdout).into_owned();
            let line = text.lines().next()?.to_owned();
            Some(line.split(" - ").next().unwrap_or(&line).trim().to_owned())
        })
        .unwrap_or_else(|| "HAProxy".into())
}

/// The configuration: one frontend on `listen`, the hosts as one round-robin backend.
pub fn config(listen: &str, backends: &[String]) -> String {
    let servers: String = backends
        .iter()
        .enumerate()
        .map(|(i, b)| format!("    server host{i} {b}\n"))
        .collect();
    format!(
        "global\n    maxconn 4096\n\n\
         defaults\n    mode http\n    timeout connect 5s\n    timeout client 60s\n    timeout server 60s\n\n\
         frontend bench\n    bind {listen}\n    default_backend hosts\n\n\
         backend hosts\n    balance roundrobin\n{servers}"
    )
}

/// Starts HAProxy before `backends` and waits until `ready_path` answers 200 through it.
pub fn start(backends: &[String], dir: &Path, ready_path: &str) -> Result<Server> {
    let addr = free_addr();
    let file = dir.join("haproxy.cfg");
    std::fs::write(&file, config(&addr, backends))?;
    let mut command = Command::new("haproxy");
    // -db: stay in the foreground, so the bench owns the process.
    command.arg("-db").arg("-f").arg(&file);
    let mut server = Server::spawn(command, addr, dir.join("haproxy.log"), None)?;
    server.wait_until(Duration::from_secs(30), |a| answers_200(a, ready_path))?;
    Ok(server)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_balances_round_robin_over_every_host_without_stickiness() {
        let text = config(
            "127.0.0.1:9000",
            &["127.0.0.1:1".into(), "127.0.0.1:2".into()],
        );
        assert!(text.contains("bind 127.0.0.1:9000\n"));
        assert!(text.contains(
            "balance roundrobin\n    server host0 127.0.0.1:1\n    server host1 127.0.0.1:2\n"
        ));
        assert!(!text.contains("cookie") && !text.contains("stick"));
    }
}
