//! `cargo run --release -p bench`: measures, in one run on 127.0.0.1,
//! 1. a hello component on the host vs a native hyper hello server (wrk, 32 connections),
//! 2. the host's cold start (process start → first 200) without and with the compiled cache,
//! 3. the app's hot path, an authenticated guess, on the real spin.toml.
//!
//! Prints a Markdown table; `--write docs/benchmarks.md` also records it there.

mod guess;
mod native;
mod wrk;

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CONNECTIONS: u32 = 32;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seconds: u64 = flag(&args, "--seconds")
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(10);
    let write = flag(&args, "--write").map(PathBuf::from);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let host_bin = root.join("target/release/host");
    if !host_bin.exists()
        || !root
            .join("target/wasm32-wasip2/release/fixture.wasm")
            .exists()
    {
        bail!("build first: cargo build --release -p host && cargo build --release --target wasm32-wasip2 -p fixture");
    }
    wrk::ensure_installed()?;
    let manifest = root.join("e2e/manifests/no-catch-all.toml");
    let cache = tempfile::tempdir()?;

    let cold_uncached = cold_start(&host_bin, &manifest, cache.path())?;
    let cold_cached = cold_start(&host_bin, &manifest, cache.path())?;

    let port = free_port();
    let state = tempfile::tempdir()?;
    let mut host = spawn_host(&host_bin, &manifest, cache.path(), state.path(), port)?;
    wait_for_200(
        &format!("http://127.0.0.1:{port}/hello"),
        Duration::from_secs(30),
    )?;
    let on_host = wrk::run(
        &format!("http://127.0.0.1:{port}/hello"),
        CONNECTIONS,
        seconds,
    )?;
    let rss = rss_mib(host.id());
    let _ = host.kill();
    let _ = host.wait();

    let native_port = free_port();
    let _native = native::spawn(native_port)?;
    let on_native = wrk::run(
        &format!("http://127.0.0.1:{native_port}/hello"),
        CONNECTIONS,
        seconds,
    )?;

    let guess = guess::run(&host_bin, &root, seconds, CONNECTIONS)?;

    let report = format!(
        "| measure | host (hello component) | native hyper | ratio |\n|---|---|---|---|\n\
         | req/s ({CONNECTIONS} conn, {seconds} s) | {:.0} | {:.0} | {:.2}× |\n\
         | p50 latency | {:.2} ms | {:.2} ms | |\n| p99 latency | {:.2} ms | {:.2} ms | |\n\
         | errors | {} | {} | |\n\n\
         | cold start (process start → first 200) | |\n|---|---|\n\
         | without compiled cache | {:.0} ms |\n| with compiled cache | {:.0} ms |\n| host RSS after the run | {} |\n\n\
         | authenticated guess (POST /motus/games/{{id}}/guesses, {CONNECTIONS} conn) | |\n|---|---|\n\
         | req/s | {:.0} |\n| p50 / p99 | {:.2} ms / {:.2} ms |\n| non-2xx or socket errors | {} |\n| host RSS | {} |\n",
        on_host.requests_per_sec,
        on_native.requests_per_sec,
        on_host.requests_per_sec / on_native.requests_per_sec,
        on_host.p50_ms,
        on_native.p50_ms,
        on_host.p99_ms,
        on_native.p99_ms,
        on_host.errors,
        on_native.errors,
        cold_uncached.as_secs_f64() * 1000.0,
        cold_cached.as_secs_f64() * 1000.0,
        rss.map_or("n/a".to_string(), |r| format!("{r} MiB")),
        guess.load.requests_per_sec,
        guess.load.p50_ms,
        guess.load.p99_ms,
        guess.load.errors,
        guess.rss_mib.map_or("n/a".to_string(), |r| format!("{r} MiB")),
    );
    println!("{report}");
    if let Some(path) = write {
        let machine = machine_description();
        let date = Command::new("date").arg("+%Y-%m-%d").output()?.stdout;
        let section = format!(
            "## Host vs native (issue 3)\n\nMeasured {} on {machine}, by `cargo run --release -p bench -- --write {}`.\n\n{report}",
            String::from_utf8_lossy(&date).trim(),
            path.display()
        );
        std::fs::write(&path, format!("# Benchmarks\n\n{section}"))
            .with_context(|| format!("write {}", path.display()))?;
    }
    Ok(())
}

fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

fn spawn_host(bin: &Path, manifest: &Path, cache: &Path, state: &Path, port: u16) -> Result<Child> {
    Command::new(bin)
        .args(["up", "-f"])
        .arg(manifest)
        .args(["--listen", &format!("127.0.0.1:{port}"), "--cache-dir"])
        .arg(cache)
        .arg("--state-dir")
        .arg(state)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .context("spawn host")
}

/// Process start to first 200, then the process is stopped.
fn cold_start(bin: &Path, manifest: &Path, cache: &Path) -> Result<Duration> {
    let state = tempfile::tempdir()?;
    let port = free_port();
    let started = Instant::now();
    let mut child = spawn_host(bin, manifest, cache, state.path(), port)?;
    let result = wait_for_200(
        &format!("http://127.0.0.1:{port}/hello"),
        Duration::from_secs(30),
    )
    .map(|()| started.elapsed());
    let _ = child.kill();
    let _ = child.wait();
    result
}

pub(crate) fn wait_for_200(url: &str, limit: Duration) -> Result<()> {
    let started = Instant::now();
    let authority = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let path = format!(
        "/{}",
        url.trim_start_matches("http://")
            .split_once('/')
            .map_or("", |(_, p)| p)
    );
    while started.elapsed() < limit {
        if let Ok(mut stream) = std::net::TcpStream::connect(&authority) {
            use std::io::{Read, Write};
            let _ = write!(
                stream,
                "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
            );
            let mut head = [0u8; 12];
            if stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 200") {
                return Ok(());
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    bail!("{url} did not answer 200 within {limit:?}")
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) fn rss_mib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: u64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024)
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
