//! The app's scenarios on the real spin.toml (SQLite stores in a temp state dir): login, the
//! authenticated guess, the leaderboard read and the webapp's `/api/me` fan-out, driven by wrk.
//! The full game flow has its own driver (flow.rs) because each step needs the previous answer.

use crate::client::post_json;
use crate::host_proc::{HostProc, Spawn};
use crate::report::Measure;
use crate::wrk;
use anyhow::{Context, Result};
use std::path::Path;

/// The configured answer of every game, so a run can win or lose on purpose.
pub const ANSWER: &str = "MAISON";
/// Valid six-letter words that are not the answer: each guess is accepted and written.
pub const MISSES: [&str; 5] = ["MARCHE", "MOUTON", "MINUIT", "MODELE", "MUSCLE"];
pub const PASSWORD: &str = "a long enough password";

pub fn spawn<'a>(bin: &'a Path, root: &Path, cache: &'a Path, extra: &'a [String]) -> Spawn<'a> {
    Spawn {
        bin,
        manifest: root.join("spin.toml"),
        cache,
        variables: vec![format!("answer_words={ANSWER}")],
        labels: &["auth", "motus", "score"],
        extra,
    }
}

pub fn register(addr: &str, name: &str) -> Result<String> {
    let body = format!(r#"{{"username":"{name}","password":"{PASSWORD}"}}"#);
    let answer = post_json(addr, "/auth/register", None, &body, 201)?;
    answer["token"]
        .as_str()
        .map(str::to_owned)
        .context("no token")
}

pub fn new_game_body() -> &'static str {
    r#"{"mode":"practice","length":6}"#
}

pub fn new_game(addr: &str, token: &str) -> Result<String> {
    let answer = post_json(addr, "/motus/games", Some(token), new_game_body(), 201)?;
    answer["id"]
        .as_str()
        .map(str::to_owned)
        .context("no game id")
}

pub fn guess(addr: &str, token: &str, id: &str, word: &str) -> Result<serde_json::Value> {
    let body = format!(r#"{{"word":"{word}"}}"#);
    post_json(
        addr,
        &format!("/motus/games/{id}/guesses"),
        Some(token),
        &body,
        200,
    )
}

/// `POST /auth/login` with the right password: bound by Argon2id.
pub fn login(host: &HostProc, seconds: u64, connections: u32, dir: &Path) -> Result<Measure> {
    register(&host.addr, "loginbench")?;
    let script = dir.join("login.lua");
    std::fs::write(
        &script,
        format!(
            r#"wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{{"username":"loginbench","password":"{PASSWORD}"}}'
"#
        ),
    )?;
    measure(host, "login (POST /auth/login)", seconds, || {
        wrk::run(
            &host.url("/auth/login"),
            Some(&script),
            &[],
            connections,
            seconds,
        )
    })
}

/// `POST /motus/games/{id}/guesses`: chains motus → auth, reads and writes the game with
/// compare-and-swap, looks the word up. Each game takes five misses, so the load walks many games.
pub fn guess_load(host: &HostProc, seconds: u64, connections: u32, dir: &Path) -> Result<Measure> {
    let token = register(&host.addr, "guessbench")?;
    // Enough games for 8,000 guesses a second with at most five per game: every guess is a miss
    // that is accepted and written, none ends a game (the flow scenario covers that).
    let games = (seconds as usize * 8000).div_ceil(MISSES.len()).max(500);
    let ids = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    (0..games / 4)
                        .map(|_| new_game(&host.addr, &token))
                        .collect::<Result<Vec<_>>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("setup thread"))
            .collect::<Result<Vec<_>>>()
    })?
    .concat();
    let list = ids
        .iter()
        .map(|id| format!("\"{id}\""))
        .collect::<Vec<_>>()
        .join(",");
    let script = dir.join("guess.lua");
    std::fs::write(
        &script,
        format!(
            r#"local ids = {{{list}}}
local counter = 0
setup = function(thread) thread:set("offset", math.random(#ids)) end
request = function()
  counter = counter + 1
  local id = ids[((counter + (offset or 0)) % #ids) + 1]
  return wrk.format("POST", "/motus/games/" .. id .. "/guesses",
    {{["Authorization"] = "Bearer {token}", ["Content-Type"] = "application/json"}}, '{{"word":"{word}"}}')
end
"#,
            word = MISSES[0]
        ),
    )?;
    measure(
        host,
        "authenticated guess (POST /motus/games/{id}/guesses)",
        seconds,
        || wrk::run(&host.url("/"), Some(&script), &[], connections, seconds),
    )
}

/// `GET /score/leaderboard`, after `players` players each won a game.
pub fn leaderboard(
    host: &HostProc,
    seconds: u64,
    connections: u32,
    players: usize,
) -> Result<Measure> {
    for i in 0..players {
        let token = register(&host.addr, &format!("board{i}"))?;
        let id = new_game(&host.addr, &token)?;
        for word in MISSES.iter().take(i % MISSES.len()) {
            guess(&host.addr, &token, &id, word)?;
        }
        guess(&host.addr, &token, &id, ANSWER)?;
    }
    measure(
        host,
        "leaderboard read (GET /score/leaderboard?period=all)",
        seconds,
        || {
            wrk::run(
                &host.url("/score/leaderboard?period=all&limit=10"),
                None,
                &[],
                connections,
                seconds,
            )
        },
    )
}

/// `GET /api/me`: the webapp reads the session cookies and asks auth, score and motus at once.
pub fn me(host: &HostProc, seconds: u64, connections: u32) -> Result<Measure> {
    let token = register(&host.addr, "mebench")?;
    let id = new_game(&host.addr, &token)?;
    guess(&host.addr, &token, &id, ANSWER)?;
    // Both cookies a browser holds after /api/login: with the name hint the webapp asks auth,
    // score and motus at the same time instead of waiting for auth before score.
    let cookie = format!("Cookie: motus_session={token}; motus_user=mebench");
    measure(host, "webapp fan-out (GET /api/me)", seconds, || {
        wrk::run(&host.url("/api/me"), None, &[&cookie], connections, seconds)
    })
}

/// Runs `load` and adds the host's memory: resident before (idle) and at its peak.
pub fn measure(
    host: &HostProc,
    name: &str,
    seconds: u64,
    load: impl FnOnce() -> Result<wrk::Load>,
) -> Result<Measure> {
    eprintln!("bench: {name}, {seconds} s");
    let idle = host.rss_mib();
    let cpu = host.cpu_ms();
    let load = load()?;
    Ok(Measure {
        name: name.to_owned(),
        host_cpu_ms_per_request: per_request(cpu, host.cpu_ms(), &load, seconds),
        load,
        rss_idle_mib: idle,
        rss_peak_mib: host.peak_rss_mib(),
    })
}

pub fn per_request(
    before: Option<f64>,
    after: Option<f64>,
    load: &wrk::Load,
    seconds: u64,
) -> Option<f64> {
    let requests = load.requests_per_sec * seconds as f64;
    Some((after? - before?) / requests).filter(|_| requests > 0.0)
}
