//! `cargo run --release -p bench` (or `scripts/bench`, which builds everything first): starts
//! the host on free ports of 127.0.0.1 with temporary state and measures, each on a fresh host:
//! a hello component (against a native hyper server, plus cold starts), login, the authenticated
//! guess, the full game flow, the leaderboard read and the webapp's `/api/me` fan-out.
//!
//! Flags: `--seconds N` per scenario (default 10), `--only a,b` (hello, login, guess, flow,
//! leaderboard, me), `--host-arg ARG` (repeatable) passed to `host up`, `--host-bin PATH` to
//! measure another build of the host, `--write docs/benchmarks.md` to record the table there (between the
//! `bench:begin`/`bench:end` markers) and the figures in the `.json` beside it.

mod app;
mod client;
mod flow;
mod host_proc;
mod native;
mod report;
mod wrk;

use anyhow::{bail, Context, Result};
use host_proc::{cold_start, HostProc, Spawn};
use report::{ColdStart, Measure, Report, Row, Target};
use std::path::{Path, PathBuf};

const CONNECTIONS: u32 = 32;
const SCENARIOS: [&str; 6] = ["hello", "login", "guess", "flow", "leaderboard", "me"];
const BEGIN: &str = "<!-- bench:begin -->";
const END: &str = "<!-- bench:end -->";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seconds: u64 = flag(&args, "--seconds")
        .map(str::parse)
        .transpose()?
        .unwrap_or(10);
    let write = flag(&args, "--write").map(PathBuf::from);
    let only: Vec<&str> =
        flag(&args, "--only").map_or(SCENARIOS.to_vec(), |s| s.split(',').collect());
    if let Some(unknown) = only.iter().find(|s| !SCENARIOS.contains(s)) {
        bail!(
            "unknown scenario {unknown:?}; known: {}",
            SCENARIOS.join(", ")
        );
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let bin = flag(&args, "--host-bin").map_or(root.join("target/release/host"), PathBuf::from);
    for needed in [
        bin.clone(),
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
    // Measured hosts find their components compiled, as every `host up` after the first does;
    // the cold-start figure uses its own empty cache.
    let cache = root.join("target/bench-cache");
    let cold_cache = tempfile::tempdir()?;
    let scratch = tempfile::tempdir()?;
    let mut report = Report {
        date: String::from_utf8(
            std::process::Command::new("date")
                .arg("+%Y-%m-%d")
                .output()?
                .stdout,
        )?
        .trim()
        .to_owned(),
        machine: machine_description(),
        connections: CONNECTIONS,
        seconds,
        load_generator: wrk_version(),
        native_hello: None,
        cold_start: None,
        scenarios: Vec::new(),
    };
    let extra: Vec<String> = args
        .windows(2)
        .filter(|w| w[0] == "--host-arg")
        .map(|w| w[1].clone())
        .collect();
    let app = app::spawn(&bin, &root, &cache, &extra);
    // A host that had to compile keeps the compiler's memory: compile before measuring.
    drop(start(&app)?);
    let (c, s, dir) = (CONNECTIONS, seconds, scratch.path());
    for scenario in &only {
        let target = |rps: Option<f64>, p99: Option<f64>| Target {
            min_requests_per_sec: rps,
            max_p99_ms: p99,
        };
        let (measure, target): (Measure, Target) = match *scenario {
            "hello" => {
                let mut hello = Spawn {
                    bin: &bin,
                    manifest: root.join("e2e/manifests/no-catch-all.toml"),
                    cache: cold_cache.path(),
                    variables: Vec::new(),
                    labels: &[],
                    extra: &extra,
                };
                report.cold_start = Some(ColdStart {
                    uncached_ms: cold_start(&hello, "/hello")?.as_secs_f64() * 1000.0,
                    cached_ms: cold_start(&hello, "/hello")?.as_secs_f64() * 1000.0,
                });
                hello.cache = &cache;
                drop(hello.start("/hello")?);
                let host = hello.start("/hello")?;
                let m = app::measure(&host, "hello component (GET /hello)", s, || {
                    wrk::run(&host.url("/hello"), None, &[], c, s)
                })?;
                drop(host);
                let native_port = host_proc::free_port();
                let _native = native::spawn(native_port)?;
                let url = format!("http://127.0.0.1:{native_port}/hello");
                report.native_hello = Some(wrk::run(&url, None, &[], c, s)?);
                (m, target(None, None))
            }
            "login" => (
                app::login(&start(&app)?, s, c, dir)?,
                target(Some(20.0), None),
            ),
            "guess" => (
                app::guess_load(&start(&app)?, s, c, dir)?,
                target(Some(2000.0), Some(20.0)),
            ),
            "flow" => (flow::run(&start(&app)?, s, c)?, target(None, None)),
            "leaderboard" => (
                app::leaderboard(&start(&app)?, s, c, 50)?,
                target(Some(4000.0), None),
            ),
            "me" => (app::me(&start(&app)?, s, c)?, target(None, Some(25.0))),
            _ => unreachable!(),
        };
        let row = Row::judge(measure, target);
        eprintln!(
            "bench:   {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms, {} errors, CPU {:.2} ms/req, RSS {} → {} MiB{}",
            row.measure.load.requests_per_sec,
            row.measure.load.p50_ms,
            row.measure.load.p99_ms,
            row.measure.load.errors,
            row.measure.host_cpu_ms_per_request.unwrap_or(f64::NAN),
            row.measure.rss_idle_mib.map_or("?".into(), |r| r.to_string()),
            row.measure.rss_peak_mib.map_or("?".into(), |r| r.to_string()),
            if row.met { String::new() } else { format!(" — missed: {}", row.misses.join(", ")) }
        );
        report.scenarios.push(row);
    }
    let command = format!("target/release/bench {}", args.join(" "));
    let markdown = report.markdown(&command);
    println!("{markdown}");
    if let Some(path) = write {
        record(&path, &markdown)?;
        let json = path.with_extension("json");
        std::fs::write(&json, serde_json::to_string_pretty(&report)? + "\n")
            .with_context(|| format!("write {}", json.display()))?;
        eprintln!("bench: wrote {} and {}", path.display(), json.display());
    }
    Ok(())
}

fn start(app: &Spawn) -> Result<HostProc> {
    app.start("/motus/daily")
}

/// Replaces the table between the markers, keeping the hand-written analysis around it.
fn record(path: &Path, markdown: &str) -> Result<()> {
    let old = std::fs::read_to_string(path).unwrap_or_default();
    let new = match (old.find(BEGIN), old.find(END)) {
        (Some(b), Some(e)) if b < e => format!("{}{BEGIN}\n{markdown}{}", &old[..b], &old[e..]),
        _ => format!("# Benchmarks\n\n{BEGIN}\n{markdown}{END}\n"),
    };
    std::fs::write(path, new).with_context(|| format!("write {}", path.display()))
}

fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

fn wrk_version() -> String {
    let out = std::process::Command::new("wrk").arg("--version").output();
    out.ok()
        .and_then(|o| {
            let text = String::from_utf8_lossy(&o.stdout).into_owned()
                + &String::from_utf8_lossy(&o.stderr);
            text.split_whitespace()
                .take(2)
                .collect::<Vec<_>>()
                .join(" ")
                .into()
        })
        .filter(|s: &String| !s.is_empty())
        .map_or("wrk".into(), |v| format!("{v} (2 threads)"))
}

fn machine_description() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    format!("{cores} cores ({cpu})")
}
