//! The seed's original design as the baseline: its Flask motus and webapp services
//! (../shared/anchors/flask-seed, or `FLASK_SEED`) under gunicorn, 2 sync workers each, as its
//! README runs them. The seed is copied to target/bench-flask/ with a virtualenv holding its pinned
//! requirements from PyPI (made once, reused); nothing of it enters the repository. Ports are
//! free ones rather than the seed's fixed 5001–5004, so nothing else on the machine is hit.

use crate::server::{free_addr, repo_root, Server};
use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

pub const WORKERS: u32 = 2;
/// The seed's motus compares with a fixed secret, MAISON; this is a valid miss.
pub const GUESS_BODY: &str = r#"{"word":"MOUTON"}"#;

pub struct FlaskSeed {
    pub motus: Server,
    pub webapp: Server,
}

/// Where the seed comes from, when it is there.
pub fn source() -> Option<PathBuf> {
    let dir = std::env::var_os("FLASK_SEED")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/anchors/flask-seed"));
    dir.join("motus_service/app.py").is_file().then_some(dir)
}

/// Copies the seed and installs its requirements, unless done by an earlier run.
fn prepare(source: &PathBuf) -> Result<PathBuf> {
    let dir = repo_root().join("target/bench-flask");
    let seed = dir.join("seed");
    let venv = dir.join("venv");
    if !seed.join("requirements.txt").is_file() {
        std::fs::create_dir_all(&dir)?;
        run(Command::new("cp")
            .args(["-r", "--no-preserve=mode"])
            .arg(source)
            .arg(&seed))?;
    }
    if !venv.join("bin/gunicorn").is_file() {
        eprintln!(
            "bench: installing the Flask seed's requirements into {}",
            venv.display()
        );
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
        run(Command::new(venv.join("bin/pip"))
            .args(["install", "-q", "-r"])
            .arg(seed.join("requirements.txt")))?;
    }
    Ok(dir)
}

fn run(command: &mut Command) -> Result<()> {
    let status = command
        .status()
        .with_context(|| format!("run {:?}", command.get_program()))?;
    if !status.success() {
        bail!("{command:?} failed: {status}");
    }
    Ok(())
}

impl FlaskSeed {
    pub fn start(source: &PathBuf) -> Result<FlaskSeed> {
        let dir = prepare(source)?;
        let motus = gunicorn(&dir, "motus_service", None)?;
        let webapp = gunicorn(&dir, "webapp_service", Some(&motus.addr))?;
        Ok(FlaskSeed { motus, webapp })
    }

    pub fn servers(&self) -> [&Server; 2] {
        [&self.motus, &self.webapp]
    }
}

fn gunicorn(dir: &std::path::Path, service: &str, motus: Option<&str>) -> Result<Server> {
    let addr = free_addr();
    let mut command = Command::new(dir.join("venv/bin/gunicorn"));
    command
        .arg("--chdir")
        .arg(dir.join("seed").join(service))
        .args(["--workers", &WORKERS.to_string()])
        .args([
            "--worker-class",
            "sync",
            "--no-control-socket",
            "--bind",
            &addr,
            "app:app",
        ]);
    if let Some(motus) = motus {
        command.env("MOTUS_URL", format!("http://{motus}"));
    }
    let log = dir.join(format!("{service}.log"));
    let mut server = Server::spawn(command, addr, log, None)?;
    let path = if motus.is_some() {
        "/api/guess"
    } else {
        "/motus/guess"
    };
    server.wait_until(Duration::from_secs(60), |a| {
        matches!(
            crate::client::request(a, "POST", path, &[], GUESS_BODY),
            Ok((200, _))
        )
    })?;
    Ok(server)
}
