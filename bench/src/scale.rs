//! `--scale N`: the guess and game-flow scenarios straight to one host, then through HAProxy in
//! front of 1, 2, … N hosts sharing one redis-server (each measurement on fresh processes and an
//! empty Redis), with the CPU per request of the hosts, Redis and HAProxy apart: what the balancer
//! costs, and what a machine per instance would serve.

use crate::host::Stores;
use crate::scenarios::{self, Load, Under};
use crate::server::{free_addr, repo_root, Server};
use crate::side::{self, LABELS, READY};
use crate::{flow, haproxy, machine, record, wrk, Options};
use anyhow::{bail, Result};
use serde::Serialize;
use std::process::Command;
use std::time::Duration;

#[derive(Serialize, Clone, Debug)]
pub struct Row {
    pub scenario: String,
    /// Through HAProxy, or straight to the one host.
    pub balanced: bool,
    pub instances: u32,
    #[serde(flatten)]
    pub load: wrk::Load,
    pub hosts_cpu_ms_per_request: Option<f64>,
    pub redis_cpu_ms_per_request: Option<f64>,
    pub haproxy_cpu_ms_per_request: Option<f64>,
}

#[derive(Serialize, Default)]
pub struct ScaleReport {
    pub date: String,
    pub machine: String,
    pub cores: usize,
    pub load_average_before: String,
    pub load_average_after: String,
    pub connections: u32,
    pub seconds: u64,
    pub haproxy: String,
    pub redis: String,
    pub rows: Vec<Row>,
}

pub fn run(o: &Options, n: u32) -> Result<()> {
    if n == 0 {
        bail!("--scale needs at least 1 instance");
    }
    haproxy::ensure_installed()?;
    let cache = repo_root().join("target/bench-cache");
    let scratch = tempfile::tempdir()?;
    let load = Load {
        connections: o.connections,
        seconds: o.seconds,
        dir: scratch.path(),
    };
    let mut report = ScaleReport {
        date: machine::date(),
        machine: machine::description(),
        cores: std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_average_before: machine::load_average(),
        connections: o.connections,
        seconds: o.seconds,
        haproxy: haproxy::version(),
        redis: redis_version(),
        ..ScaleReport::default()
    };
    // Compile the components once, before anything is measured.
    drop(side::app_spawn(o, &cache).start(READY)?);
    for scenario in ["guess", "flow"]
        .into_iter()
        .filter(|s| o.only.iter().any(|k| k == s))
    {
        eprintln!("bench: {scenario}, straight to one host");
        report
            .rows
            .push(measure(o, &cache, load, scenario, 1, false)?);
        for instances in 1..=n {
            eprintln!("bench: {scenario}, HAProxy → {instances} host(s)");
            report
                .rows
                .push(measure(o, &cache, load, scenario, instances, true)?);
        }
    }
    report.load_average_after = machine::load_average();
    let md = markdown(&report, &o.command);
    println!("{md}");
    if let Some(path) = &o.write {
        record::write(
            path,
            "bench-scale",
            &md,
            "scale",
            serde_json::to_value(&report)?,
        )?;
    }
    Ok(())
}

fn measure(
    o: &Options,
    cache: &std::path::Path,
    load: Load,
    scenario: &str,
    instances: u32,
    balanced: bool,
) -> Result<Row> {
    let dir = tempfile::tempdir()?;
    let redis = start_redis(dir.path())?;
    let mut spawn = side::app_spawn(o, cache);
    spawn.stores = Stores::Redis(format!("redis://{}", redis.addr), LABELS);
    let hosts: Vec<Server> = (0..instances)
        .map(|_| spawn.start(READY))
        .collect::<Result<_>>()?;
    let backends: Vec<String> = hosts.iter().map(|h| h.addr.clone()).collect();
    let balancer = if balanced {
        Some(haproxy::start(&backends, dir.path(), READY)?)
    } else {
        None
    };
    let mut servers: Vec<&Server> = hosts.iter().collect();
    servers.push(&redis);
    servers.extend(balancer.as_ref());
    let under = Under {
        addr: balancer
            .as_ref()
            .map_or(backends[0].clone(), |b| b.addr.clone()),
        servers,
    };
    let m = match scenario {
        "guess" => scenarios::guess_load(&under, load)?,
        _ => flow::run(&under, load.seconds, load.connections)?,
    };
    let n = instances as usize;
    let hosts_cpu: Option<f64> = m.cpu_each[..n].iter().copied().sum();
    eprintln!(
        "bench:     {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms, {} errors",
        m.load.requests_per_sec, m.load.p50_ms, m.load.p99_ms, m.load.errors
    );
    Ok(Row {
        scenario: scenario.into(),
        balanced,
        instances,
        load: m.load,
        hosts_cpu_ms_per_request: hosts_cpu,
        redis_cpu_ms_per_request: m.cpu_each.get(n).copied().flatten(),
        haproxy_cpu_ms_per_request: m.cpu_each.get(n + 1).copied().flatten(),
    })
}

/// A throwaway redis-server without persistence (the figures are the hosts' and the balancer's).
fn start_redis(dir: &std::path::Path) -> Result<Server> {
    let addr = free_addr();
    let port = addr.rsplit(':').next().unwrap_or_default().to_owned();
    let mut command = Command::new("redis-server");
    command
        .args([
            "--port",
            &port,
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .arg("--dir")
        .arg(dir);
    let mut server = Server::spawn(command, addr, dir.join("redis.log"), None)?;
    server.wait_until(Duration::from_secs(10), |a| {
        std::net::TcpStream::connect(a).is_ok()
    })?;
    Ok(server)
}

fn redis_version() -> String {
    Command::new("redis-server")
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| {
            let text = String::from_utf8_lossy(&o.stdout).into_owned();
            text.split_whitespace()
                .find(|w| w.starts_with("v="))
                .map(|v| format!("redis-server {}", &v[2..]))
        })
        .unwrap_or_else(|| "redis-server".into())
}

fn ms(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{v:.2} ms"))
}

pub fn markdown(r: &ScaleReport, command: &str) -> String {
    let mut out = format!(
        "Measured {} on {}; load average {} before the run, {} after. {} connections for {} s per row, load \
         from {}, by `{command}`. {} in front of the hosts (round robin, no stickiness, keep-alive); {} \
         without persistence; each host is `host up` with a Redis runtime config (one database per store: \
         auth 0, motus 1, score 2). Each row starts fresh processes and an empty Redis.\n\n\
         | scenario | path | req/s | p50 | p99 | errors | CPU / req: hosts | Redis | HAProxy |\n\
         |---|---|---|---|---|---|---|---|---|\n",
        r.date,
        r.machine,
        r.load_average_before,
        r.load_average_after,
        r.connections,
        r.seconds,
        machine::wrk_version(),
        r.haproxy,
        r.redis,
    );
    for row in &r.rows {
        let path = if row.balanced {
            format!(
                "HAProxy → {} host{}",
                row.instances,
                if row.instances > 1 { "s" } else { "" }
            )
        } else {
            "straight to 1 host".into()
        };
        let title = if row.scenario == "guess" {
            "authenticated guess"
        } else {
            "full game flow"
        };
        out += &format!(
            "| {title} | {path} | {:.0} | {:.2} ms | {:.2} ms | {} | {} | {} | {} |\n",
            row.load.requests_per_sec,
            row.load.p50_ms,
            row.load.p99_ms,
            row.load.errors,
            ms(row.hosts_cpu_ms_per_request),
            ms(row.redis_cpu_ms_per_request),
            ms(row.haproxy_cpu_ms_per_request),
        );
    }
    out += &summary(r);
    out
}

/// The balancer's own cost and what the CPU per request predicts for a machine per instance.
pub fn summary(r: &ScaleReport) -> String {
    let mut out = String::new();
    let find = |scenario: &str, balanced: bool, instances: u32| {
        r.rows
            .iter()
            .find(|x| x.scenario == scenario && x.balanced == balanced && x.instances == instances)
    };
    for scenario in ["guess", "flow"] {
        let (Some(direct), Some(through)) = (find(scenario, false, 1), find(scenario, true, 1))
        else {
            continue;
        };
        out += &format!(
            "\nThe balancer's own cost ({}): {:.0} req/s straight to one host, {:.0} through HAProxy to the \
             same one ({:.2}×); p50 {:.2} → {:.2} ms, p99 {:.2} → {:.2} ms; HAProxy spends {} of CPU per request.",
            if scenario == "guess" { "guess" } else { "game flow" },
            direct.load.requests_per_sec,
            through.load.requests_per_sec,
            through.load.requests_per_sec / direct.load.requests_per_sec,
            direct.load.p50_ms,
            through.load.p50_ms,
            direct.load.p99_ms,
            through.load.p99_ms,
            ms(through.haproxy_cpu_ms_per_request),
        );
        if scenario == "guess" {
            if let (Some(host), Some(redis)) = (
                through.hosts_cpu_ms_per_request,
                through.redis_cpu_ms_per_request,
            ) {
                out += &format!(
                    " With a machine per instance, each host's {} cores would serve about {:.0} guesses/s \
                     at {host:.2} ms of host CPU per guess, and the one Redis (single-threaded, {redis:.3} ms \
                     per guess) would top out near {:.0} guesses/s in all.",
                    r.cores,
                    r.cores as f64 * 1000.0 / host,
                    1000.0 / redis,
                );
            }
        }
        out += "\n";
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(balanced: bool, instances: u32, rps: f64) -> Row {
        Row {
            scenario: "guess".into(),
            balanced,
            instances,
            load: wrk::Load {
                requests_per_sec: rps,
                p50_ms: 4.0,
                p99_ms: 12.0,
                errors: 0,
            },
            hosts_cpu_ms_per_request: Some(0.5),
            redis_cpu_ms_per_request: Some(0.05),
            haproxy_cpu_ms_per_request: balanced.then_some(0.1),
        }
    }

    #[test]
    fn the_summary_compares_one_host_through_haproxy_with_one_host_straight() {
        let report = ScaleReport {
            cores: 2,
            rows: vec![
                row(false, 1, 4000.0),
                row(true, 1, 3000.0),
                row(true, 2, 3100.0),
            ],
            ..ScaleReport::default()
        };
        let text = summary(&report);
        assert!(
            text.contains(
                "4000 req/s straight to one host, 3000 through HAProxy to the same one (0.75×)"
            ),
            "{text}"
        );
        assert!(text.contains("about 4000 guesses/s"), "{text}");
        assert!(text.contains("near 20000 guesses/s"), "{text}");
        let md = markdown(&report, "scripts/bench --scale 2");
        assert!(
            md.contains("| authenticated guess | HAProxy → 2 hosts | 3100 |"),
            "{md}"
        );
    }
}
