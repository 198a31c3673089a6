//! The side-by-side run: every chosen scenario on our host, then at once on real Spin (so both
//! meet the machine in the same state), each on a fresh server; the Flask seed's baselines first;
//! then the profile of one guess. A scenario that fails on one system is reported and left out
//! rather than ending the run.

use crate::host::{self, Stores};
use crate::report::{ColdStart, Measure, Report, FLASK_FORWARD, FLASK_GUESS};
use crate::scenarios::{self, Load, Under};
use crate::server::{repo_root, Server};
use crate::{flask, flow, machine, native, profile, record, spin, wrk, Options};
use anyhow::{bail, Result};

pub const LABELS: &[&str] = &["auth", "motus", "score"];
/// A route that answers 200 once every component is ready (motus reads its store).
pub const READY: &str = "/motus/daily";

/// The app's variables for a run: the known answer; a fresh `access_secret` when the manifest
/// declares one, so the services check signed access tokens themselves as in production; then the
/// `--variable NAME=VALUE` flags, which replace those (`--variable access_secret=` measures the app
/// asking auth on every request instead).
pub fn variables(o: &Options) -> Vec<String> {
    let mut vars = vec![format!("answer_words={}", scenarios::ANSWER)];
    let manifest = std::fs::read_to_string(repo_root().join("spin.toml")).unwrap_or_default();
    if manifest
        .lines()
        .any(|l| l.trim_start().starts_with("access_secret = {"))
    {
        vars.push(format!("access_secret={}", random_hex()));
    }
    // wrk keeps the token it was given: a load longer than the tokens' lifetime (60 s by default)
    // would measure 401s, or the webapp renewing the cookie on every request. Their lifetime does
    // not change what a request costs, so long runs get the longest one allowed.
    if o.seconds > 40
        && manifest
            .lines()
            .any(|l| l.trim_start().starts_with("access_ttl_seconds = {"))
    {
        vars.push("access_ttl_seconds=600".into());
    }
    for v in &o.variables {
        let name = v.split('=').next().unwrap_or_default();
        vars.retain(|old| old.split('=').next() != Some(name));
        vars.push(v.clone());
    }
    vars
}

fn random_hex() -> String {
    use std::io::Read;
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .expect("/dev/urandom");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn app_spawn<'a>(o: &'a Options, cache: &'a std::path::Path) -> host::Spawn<'a> {
    host::Spawn {
        bin: &o.host_bin,
        manifest: repo_root().join("spin.toml"),
        cache,
        variables: variables(o),
        stores: Stores::Sqlite(LABELS),
        extra: &o.host_args,
        log_level: "warn",
    }
}

pub fn run(o: &Options) -> Result<()> {
    let root = repo_root();
    let cache = root.join("target/bench-cache");
    let scratch = tempfile::tempdir()?;
    let load = Load {
        connections: o.connections,
        seconds: o.seconds,
        dir: scratch.path(),
    };
    let mut report = Report {
        date: machine::date(),
        machine: machine::description(),
        load_average_before: machine::load_average(),
        connections: o.connections,
        seconds: o.seconds,
        load_generator: machine::wrk_version(),
        ..Report::default()
    };
    let chosen = |key: &str| o.only.iter().any(|k| k == key);
    let wants = |system: &str| o.systems.iter().any(|s| s == system);
    let app = app_spawn(o, &cache);
    // A host that had to compile keeps the compiler's memory: compile before measuring.
    drop(app.start(READY)?);
    let spin_bin = spin::binary().filter(|_| wants("spin"));
    if wants("spin") && spin_bin.is_none() {
        report
            .skipped
            .push("real Spin (no binary: set SPIN_BIN)".into());
    }
    let spin = spin_bin.as_ref().map(|bin| spin::Spin {
        bin,
        manifest: root.join("spin.toml"),
        variables: variables(o),
        stores: Stores::Sqlite(LABELS),
    });
    if let Some(spin) = &spin {
        report.spin = Some(spin::version(spin.bin));
        eprintln!(
            "bench: {} (a first start compiles the components)",
            report.spin.as_deref().unwrap_or("")
        );
        drop(spin.start(READY)?);
    }
    let needs_baseline = o
        .only
        .iter()
        .any(|k| crate::report::scenario(k).is_some_and(|s| s.baseline.is_some()));
    if wants("flask") && needs_baseline {
        match flask::source() {
            Some(source) => report.measures.extend(flask_baselines(&source, load)?),
            None => report
                .skipped
                .push("the Flask seed (not found: set FLASK_SEED)".into()),
        }
    }
    let mut failures = Vec::new();
    for key in o
        .only
        .iter()
        .filter(|k| !matches!(k.as_str(), "hello" | "profile"))
    {
        eprintln!("bench: {key}");
        if wants("host") {
            match app.start(READY).and_then(|s| app_scenario(key, &s, load)) {
                Ok(m) => report.measures.push(tagged(m, "host")),
                Err(e) => failures.push(format!("ours, {key}: {e:#}")),
            }
        }
        if let Some(spin) = &spin {
            match spin.start(READY).and_then(|s| app_scenario(key, &s, load)) {
                Ok(m) => report.measures.push(tagged(m, "spin")),
                Err(e) => report.skipped.push(format!("real Spin on {key} ({e:#})")),
            }
        }
    }
    if chosen("hello") && wants("host") {
        hello(o, &cache, load, &mut report)?;
    }
    report.load_average_after = machine::load_average();
    report.judge();
    let markdown = report.markdown(&o.command);
    if !report.measures.is_empty() {
        println!("{markdown}");
    }
    let profile = if chosen("profile") && wants("host") {
        Some(profile::run(&app, load)?)
    } else {
        None
    };
    if let Some(path) = &o.write {
        if !report.measures.is_empty() {
            record::write(
                path,
                "bench",
                &markdown,
                "side_by_side",
                serde_json::to_value(&report)?,
            )?;
        }
        if let Some((md, json)) = &profile {
            record::write(path, "bench-profile", md, "profile", json.clone())?;
        }
    }
    if let Some((md, _)) = &profile {
        println!("{md}");
    }
    if !failures.is_empty() {
        bail!("scenarios failed on our host:\n{}", failures.join("\n"));
    }
    Ok(())
}

fn tagged(mut m: Measure, system: &str) -> Measure {
    m.system = system.into();
    m
}

fn app_scenario(key: &str, server: &Server, load: Load) -> Result<Measure> {
    let under = Under {
        addr: server.addr.clone(),
        servers: vec![server],
    };
    let m = match key {
        "create" => scenarios::create(&under, load)?,
        "guess" => scenarios::guess_load(&under, load)?,
        "web_create" => scenarios::web_create(&under, load)?,
        "web_guess" => scenarios::web_guess(&under, load)?,
        "me" => scenarios::me(&under, load)?,
        "login" => scenarios::login(&under, load)?,
        "flow" => flow::run(&under, load.seconds, load.connections)?,
        "leaderboard" => scenarios::leaderboard(&under, load, 50)?,
        other => bail!("no scenario {other}"),
    };
    eprintln!(
        "bench:     {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms, {} errors, CPU {:.2} ms/req",
        m.load.requests_per_sec,
        m.load.p50_ms,
        m.load.p99_ms,
        m.load.errors,
        m.cpu_ms_per_request.unwrap_or(f64::NAN)
    );
    Ok(m)
}

/// The seed's guess (motus alone) and its webapp forwarding a guess to motus.
fn flask_baselines(source: &std::path::PathBuf, load: Load) -> Result<Vec<Measure>> {
    eprintln!("bench: the Flask seed");
    let seed = flask::FlaskSeed::start(source)?;
    let script = load.dir.join("flask.lua");
    std::fs::write(
        &script,
        format!(
            "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.body = '{}'\n",
            flask::GUESS_BODY
        ),
    )?;
    let mut out = Vec::new();
    for (key, server, path) in [
        (FLASK_GUESS, &seed.motus, "/motus/guess"),
        (FLASK_FORWARD, &seed.webapp, "/api/guess"),
    ] {
        let servers: Vec<&Server> = if key == FLASK_GUESS {
            vec![&seed.motus]
        } else {
            seed.servers().to_vec()
        };
        let under = Under {
            addr: server.addr.clone(),
            servers,
        };
        let m = scenarios::measure(&under, key, None, load.seconds, || {
            wrk::run(
                &server.url(path),
                Some(&script),
                &[],
                load.connections,
                load.seconds,
            )
        })?;
        out.push(tagged(m, "flask"));
    }
    Ok(out)
}

/// A component that answers a constant, against a native hyper server, and cold starts.
fn hello(o: &Options, cache: &std::path::Path, load: Load, report: &mut Report) -> Result<()> {
    let cold_cache = tempfile::tempdir()?;
    let mut spawn = host::Spawn {
        bin: &o.host_bin,
        manifest: repo_root().join("e2e/manifests/no-catch-all.toml"),
        cache: cold_cache.path(),
        variables: Vec::new(),
        stores: Stores::None,
        extra: &o.host_args,
        log_level: "warn",
    };
    report.cold_start = Some(ColdStart {
        uncached_ms: host::cold_start(&spawn, "/hello")?.as_secs_f64() * 1000.0,
        cached_ms: host::cold_start(&spawn, "/hello")?.as_secs_f64() * 1000.0,
    });
    spawn.cache = cache;
    drop(spawn.start("/hello")?);
    let server = spawn.start("/hello")?;
    let under = Under {
        addr: server.addr.clone(),
        servers: vec![&server],
    };
    let m = scenarios::measure(&under, "hello", None, load.seconds, || {
        wrk::run(
            &server.url("/hello"),
            None,
            &[],
            load.connections,
            load.seconds,
        )
    })?;
    report.measures.push(tagged(m, "host"));
    drop(server);
    let native_port = crate::server::free_port();
    let _native = native::spawn(native_port)?;
    let url = format!("http://127.0.0.1:{native_port}/hello");
    report.native_hello = Some(wrk::run(&url, None, &[], load.connections, load.seconds)?);
    Ok(())
}
