//! `scripts/bench` (which builds everything first, then runs this): the app's scenarios side by
//! side on our host, on real Spin serving the same components, and on the seed's Flask design,
//! each on a fresh server, then where the time of one authenticated guess goes; or, with
//! `--scale N`, 1…N hosts on one Redis behind HAProxy.
//!
//! Flags: `--seconds N` per scenario and system (default 5), `--connections N` (32),
//! `--only a,b` (scenarios: create, guess, web_create, web_guess, me, login, flow, leaderboard,
//! hello, profile), `--systems host,spin,flask`, `--host-arg ARG` (repeatable) passed to
//! `host up`, `--host-bin PATH` to measure another build of the host, `--variable NAME=VALUE`
//! (repeatable; e.g. `--variable access_secret=` to measure without access tokens), `--scale N`,
//! `--write PATH` (default docs/benchmarks.md; the figures go to the `.json` beside it) or
//! `--no-write`.

mod accounts;
mod client;
mod flask;
mod flow;
mod haproxy;
mod host;
mod machine;
mod native;
mod perf;
mod profile;
mod record;
mod report;
mod scale;
mod scenarios;
mod server;
mod side;
mod spin;
mod wrk;

use anyhow::{bail, Result};
use server::repo_root;
use std::path::PathBuf;

pub const SCENARIO_FLAGS: [&str; 10] = [
    "create",
    "guess",
    "web_create",
    "web_guess",
    "me",
    "login",
    "flow",
    "leaderboard",
    "hello",
    "profile",
];
pub const SYSTEMS: [&str; 3] = ["host", "spin", "flask"];

pub struct Options {
    pub seconds: u64,
    pub connections: u32,
    pub only: Vec<String>,
    pub systems: Vec<String>,
    pub host_bin: PathBuf,
    pub host_args: Vec<String>,
    /// `--variable NAME=VALUE` (repeatable): app variables for our host and real Spin alike.
    pub variables: Vec<String>,
    pub write: Option<PathBuf>,
    pub command: String,
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let list = |name: &str, all: &[&str]| -> Result<Vec<String>> {
        let chosen: Vec<String> = flag(&args, name)
            .map_or(all.iter().map(|s| s.to_string()).collect(), |s| {
                s.split(',').map(str::to_owned).collect()
            });
        if let Some(unknown) = chosen.iter().find(|s| !all.contains(&s.as_str())) {
            bail!("{name}: unknown {unknown:?}; known: {}", all.join(", "));
        }
        Ok(chosen)
    };
    let root = repo_root();
    let options = Options {
        seconds: flag(&args, "--seconds")
            .map(str::parse)
            .transpose()?
            .unwrap_or(5),
        connections: flag(&args, "--connections")
            .map(str::parse)
            .transpose()?
            .unwrap_or(32),
        only: list("--only", &SCENARIO_FLAGS)?,
        systems: list("--systems", &SYSTEMS)?,
        host_bin: flag(&args, "--host-bin").map_or(root.join("target/release/host"), PathBuf::from),
        host_args: args
            .windows(2)
            .filter(|w| w[0] == "--host-arg")
            .map(|w| w[1].clone())
            .collect(),
        variables: args
            .windows(2)
            .filter(|w| w[0] == "--variable")
            .map(|w| w[1].clone())
            .collect(),
        write: if args.iter().any(|a| a == "--no-write") {
            None
        } else {
            Some(flag(&args, "--write").map_or(root.join("docs/benchmarks.md"), PathBuf::from))
        },
        command: format!("scripts/bench {}", args.join(" "))
            .trim_end()
            .to_owned(),
    };
    for needed in [
        options.host_bin.clone(),
        root.join("target/wasm32-wasip2/release/motus.wasm"),
        root.join("target/wasm32-wasip2/release/fixture.wasm"),
    ] {
        if !needed.exists() {
            bail!(
                "{} is missing: run scripts/bench, which builds the host and the components",
                needed.display()
            );
        }
    }
    wrk::ensure_installed()?;
    match flag(&args, "--scale") {
        Some(n) => scale::run(&options, n.parse()?),
        None => side::run(&options),
    }
}

fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}
