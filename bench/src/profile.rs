//! Where the time of one authenticated guess goes, from the host's own request log (RUST_LOG=info
//! gives one line per component request, with its milliseconds and, for a chained call, its depth)
//! and, where `perf` can sample the host, its CPU by library and symbol:
//! - one guess at a time, then under the guess load: motus's whole request, the chained hop to auth,
//!   motus's own part;
//! - the floor under every request: a component that answers a constant (instance + HTTP), and what
//!   one key-value get, set and compare-and-swap add (the e2e fixture on the kv-probe manifest).

use crate::accounts;
use crate::client::exchange;
use crate::host::{Spawn, Stores};
use crate::scenarios::{self, Load, Under, MISSES};
use crate::server::{repo_root, Server};
use anyhow::Result;
use serde::Serialize;
use std::collections::HashMap;

const SERIAL: usize = 200;

/// One line of the host's request log.
#[derive(Debug, PartialEq)]
pub struct LogLine {
    pub component: String,
    pub path: String,
    pub ms: f64,
    /// Calls down a chain; 0 for the outside request.
    pub chained: u32,
    pub request_id: String,
}

/// Reads a `host::logs` request line (`request component=… path=… ms=… [chained=N] request_id=…`).
pub fn parse_line(line: &str) -> Option<LogLine> {
    let clean = strip_ansi(line);
    let (_, fields) = clean.split_once(" request ")?;
    let mut map = HashMap::new();
    for pair in fields.split_whitespace() {
        if let Some((k, v)) = pair.split_once('=') {
            map.insert(k, v);
        }
    }
    Some(LogLine {
        component: map.get("component")?.to_string(),
        path: map.get("path")?.to_string(),
        ms: map.get("ms")?.parse().ok()?,
        chained: map.get("chained").map_or(Some(0), |c| c.parse().ok())?,
        request_id: map.get("request_id")?.to_string(),
    })
}

fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// One outside request and the chained hops it made, in ms.
#[derive(Debug, Default, Clone)]
pub struct Hops {
    pub whole: f64,
    pub chained: f64,
}

/// The outside requests on paths containing `path_part`, with the time of their chained calls
/// (depth 1: what the component waited for).
pub fn requests(lines: &[LogLine], path_part: &str) -> HashMap<String, Hops> {
    let mut by_id: HashMap<String, Hops> = HashMap::new();
    let outside: std::collections::HashSet<&str> = lines
        .iter()
        .filter(|l| l.chained == 0 && l.path.contains(path_part))
        .map(|l| l.request_id.as_str())
        .collect();
    for l in lines
        .iter()
        .filter(|l| outside.contains(l.request_id.as_str()))
    {
        let hops = by_id.entry(l.request_id.clone()).or_default();
        match l.chained {
            0 => hops.whole = l.ms,
            1 => hops.chained += l.ms,
            _ => {}
        }
    }
    by_id
}

/// Median, 90th and 99th percentile.
#[derive(Serialize, Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
}

pub fn spread(mut values: Vec<f64>) -> Option<Spread> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let at = |q: f64| values[((values.len() as f64 * q) as usize).min(values.len() - 1)];
    Some(Spread {
        p50: at(0.5),
        p90: at(0.9),
        p99: at(0.99),
    })
}

#[derive(Serialize, Default)]
pub struct Profile {
    /// Rows of the table: what, one at a time, under load.
    pub rows: Vec<(String, Option<Spread>, Option<Spread>)>,
    /// CPU samples of the host under the guess load: share by library, top symbols.
    /// CPU samples of the host under the guess load, percent by what the code is.
    pub perf_by_category: Vec<(String, f64)>,
    /// The host's CPU per guess under load (all processes of the host), in ms.
    pub cpu_ms_per_guess: Option<f64>,
    pub perf_note: String,
}

pub fn run(app: &Spawn, load: Load) -> Result<(String, serde_json::Value)> {
    eprintln!("bench: profile of one authenticated guess");
    let mut profile = Profile::default();
    floor(app, &mut profile)?;
    guesses(app, load, &mut profile)?;
    let md = markdown(&profile);
    Ok((md, serde_json::to_value(&profile)?))
}

fn info<'a>(app: &Spawn<'a>) -> Spawn<'a> {
    Spawn {
        bin: app.bin,
        manifest: app.manifest.clone(),
        cache: app.cache,
        variables: app.variables.clone(),
        stores: app.stores.clone(),
        extra: app.extra,
        log_level: "info",
    }
}

fn log_lines(server: &Server) -> Vec<LogLine> {
    std::fs::read_to_string(&server.log)
        .unwrap_or_default()
        .lines()
        .filter_map(parse_line)
        .collect()
}

/// The fixture alone: a constant answer, then one key-value operation of each kind.
fn floor(app: &Spawn, profile: &mut Profile) -> Result<()> {
    let mut spawn = info(app);
    spawn.manifest = repo_root().join("e2e/manifests/kv-probe.toml");
    spawn.stores = Stores::None;
    spawn.variables = Vec::new();
    let server = spawn.start("/hello")?;
    let value = "x".repeat(600); // about a game's size
    let probes = [
        (
            "GET",
            "/hello",
            "",
            "a component that answers a constant (instance + HTTP, no store)",
        ),
        (
            "POST",
            "/kv/default/set/k",
            value.as_str(),
            "the same + one key-value set (SQLite, committed)",
        ),
        (
            "GET",
            "/kv/default/get/k",
            "",
            "the same + one key-value get",
        ),
        (
            "POST",
            "/cas/default/c",
            "",
            "the same + one compare-and-swap (read, swap)",
        ),
    ];
    for (method, path, body, _) in probes {
        for _ in 0..SERIAL {
            exchange(&server.addr, method, path, &[], body)?;
        }
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    let lines = log_lines(&server);
    for (_, path, _, what) in probes {
        let ms = lines
            .iter()
            .filter(|l| l.path == path)
            .map(|l| l.ms)
            .collect();
        profile.rows.push((what.into(), spread(ms), None));
    }
    Ok(())
}

/// The app: guesses one at a time, then the guess load (sampled by perf where it can).
fn guesses(app: &Spawn, load: Load, profile: &mut Profile) -> Result<()> {
    let server = info(app).start(crate::side::READY)?;
    let addr = server.addr.clone();
    let bearer = accounts::register(&addr, "profilebench")?;
    let ids: Vec<String> = (0..SERIAL)
        .map(|_| scenarios::new_game(&addr, &bearer))
        .collect::<Result<_>>()?;
    let bearer = accounts::login(&addr, "profilebench")?;
    let auth = format!("Bearer {}", bearer.token);
    let body = format!(r#"{{"word":"{}"}}"#, MISSES[0]);
    let mut round_trips = Vec::new();
    let mut serial_ids = std::collections::HashSet::new();
    for id in &ids {
        let started = std::time::Instant::now();
        let answer = exchange(
            &addr,
            "POST",
            &format!("/motus/games/{id}/guesses"),
            &[("Authorization", &auth)],
            &body,
        )?;
        round_trips.push(started.elapsed().as_secs_f64() * 1000.0);
        if let Some((_, rid)) = answer.headers.iter().find(|(k, _)| k == "x-request-id") {
            serial_ids.insert(rid.clone());
        }
    }
    let perf_data = load.dir.join("perf.data");
    let mut perf = None;
    let under = Under {
        addr: addr.clone(),
        servers: vec![&server],
    };
    let measured = scenarios::guess_load_with(&under, load, || {
        perf = crate::perf::start(server.pid(), &perf_data, load.seconds)
    })?;
    profile.cpu_ms_per_guess = measured.cpu_ms_per_request;
    let perf_ok = perf
        .map(|mut p| p.wait().map(|s| s.success()).unwrap_or(false))
        .unwrap_or(false);
    std::thread::sleep(std::time::Duration::from_millis(200));
    let all = requests(&log_lines(&server), "/guesses");
    let (serial, loaded): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|(id, _)| serial_ids.contains(id));
    let pick =
        |v: &[(String, Hops)], f: fn(&Hops) -> f64| spread(v.iter().map(|(_, h)| f(h)).collect());
    profile.rows.insert(
        0,
        (
            "client round trip (new connection each)".into(),
            spread(round_trips),
            None,
        ),
    );
    profile.rows.insert(
        1,
        (
            "motus's whole request, in the host".into(),
            pick(&serial, |h| h.whole),
            pick(&loaded, |h| h.whole),
        ),
    );
    profile.rows.insert(
        2,
        (
            "of which the chained hop to auth (GET /auth/me)".into(),
            pick(&serial, |h| h.chained),
            pick(&loaded, |h| h.chained),
        ),
    );
    profile.rows.insert(
        3,
        (
            "motus's own part (whole − hop)".into(),
            pick(&serial, |h| h.whole - h.chained),
            pick(&loaded, |h| h.whole - h.chained),
        ),
    );
    if perf_ok {
        profile.perf_by_category = crate::perf::by_category(&crate::perf::report(&perf_data)?);
        profile.perf_note = format!(
            "perf record -e cpu-clock -F 999 on the host during the guess load ({} s)",
            load.seconds
        );
    } else {
        profile.perf_note = "perf could not sample the host here: CPU by library left out".into();
    }
    Ok(())
}

fn cell(s: &Option<Spread>) -> String {
    s.map_or("—".into(), |s| {
        format!("{:.2} · {:.2} · {:.2}", s.p50, s.p90, s.p99)
    })
}

pub fn markdown(p: &Profile) -> String {
    let mut out = String::from(
        "Milliseconds, p50 · p90 · p99, from the host's own request log (RUST_LOG=info: one line per \
         component request, written when its answer is complete; chained calls carry their depth), over 200 \
         guesses sent one at a time and then under the guess load (32 connections). Each guess is a miss on a \
         practice game: motus reads the game, checks the word, writes the game with compare-and-swap.\n\n\
         | what | one at a time | under load |\n|---|---|---|\n",
    );
    for (what, serial, loaded) in &p.rows {
        out += &format!("| {what} | {} | {} |\n", cell(serial), cell(loaded));
    }
    out += &format!("\nCPU of the host under the guess load: {}.\n", p.perf_note);
    if !p.perf_by_category.is_empty() {
        out += &format!(
            "The host spent {} of CPU per guess (with its log at info level).\n\n\
             | where the host's CPU goes | share | ms per guess |\n|---|---|---|\n",
            p.cpu_ms_per_guess
                .map_or("n/a".into(), |c| format!("{c:.2} ms"))
        );
        for (what, pct) in &p.perf_by_category {
            let ms = p
                .cpu_ms_per_guess
                .map_or("—".into(), |c| format!("{:.3}", c * pct / 100.0));
            out += &format!("| {what} | {pct:.1} % | {ms} |\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTSIDE: &str = "2026-11-30T17:32:04.346653Z  INFO host::logs: request component=motus method=POST path=/motus/games/caa9/guesses status=200 ms=6.33 request_id=2f8a";
    const HOP: &str = "2026-11-30T17:32:04.345793Z  INFO host::logs: request component=auth method=GET path=/auth/me status=200 ms=0.69 chained=1 request_id=2f8a";

    #[test]
    fn reads_outside_and_chained_request_lines() {
        let line = parse_line(OUTSIDE).unwrap();
        assert_eq!(
            (line.component.as_str(), line.ms, line.chained),
            ("motus", 6.33, 0)
        );
        let hop = parse_line(&format!("\u{1b}[2m{HOP}\u{1b}[0m")).unwrap();
        assert_eq!(
            (
                hop.path.as_str(),
                hop.ms,
                hop.chained,
                hop.request_id.as_str()
            ),
            ("/auth/me", 0.69, 1, "2f8a")
        );
        assert_eq!(parse_line("2026 WARN host: something else"), None);
    }

    #[test]
    fn a_request_gathers_the_time_of_its_chained_hops() {
        let lines: Vec<LogLine> = [HOP, OUTSIDE]
            .iter()
            .filter_map(|l| parse_line(l))
            .collect();
        let by_id = requests(&lines, "/guesses");
        let hops = &by_id["2f8a"];
        assert_eq!((hops.whole, hops.chained), (6.33, 0.69));
        assert!(requests(&lines, "/leaderboard").is_empty());
    }

    #[test]
    fn spread_picks_percentiles_of_sorted_values() {
        let s = spread((1..=100).rev().map(f64::from).collect()).unwrap();
        assert_eq!((s.p50, s.p90, s.p99), (51.0, 91.0, 100.0));
        assert_eq!(spread(Vec::new()), None);
    }
}
