//! The app's scenarios, run the same way against any server of the app (our host, real Spin, a
//! balancer in front of several hosts): set up players and games over plain requests, then drive
//! the load with wrk. The full game flow has its own driver (flow.rs): each step needs the last.

use crate::accounts::{self, Bearer, Cookies};
use crate::client::post_json;
use crate::report::Measure;
use crate::server::Server;
use crate::wrk;
use anyhow::{Context, Result};
use std::path::Path;

/// The configured answer of every game, so a run can win or lose on purpose.
pub const ANSWER: &str = "MAISON";
/// Valid six-letter words that are not the answer: each guess is accepted and written.
pub const MISSES: [&str; 5] = ["MARCHE", "MOUTON", "MINUIT", "MODELE", "MUSCLE"];
pub const NEW_GAME: &str = r#"{"mode":"practice","length":6}"#;
/// The most guesses a second a run prepares games for (2 cores: several times what they reach).
const MAX_GUESSES_PER_SECOND: f64 = 12_000.0;

/// What a load is aimed at: the address asked and the processes whose CPU and memory count.
pub struct Under<'a> {
    pub addr: String,
    pub servers: Vec<&'a Server>,
}

/// How wrk is run: connections, seconds, and where its scripts go.
#[derive(Clone, Copy)]
pub struct Load<'a> {
    pub connections: u32,
    pub seconds: u64,
    pub dir: &'a Path,
}

pub fn new_game(addr: &str, bearer: &Bearer) -> Result<String> {
    let answer = post_json(addr, "/motus/games", Some(&bearer.token), NEW_GAME, 201)?;
    id_of(&answer)
}

fn id_of(game: &serde_json::Value) -> Result<String> {
    game["id"].as_str().map(str::to_owned).context("no game id")
}

pub fn guess(addr: &str, bearer: &Bearer, id: &str, word: &str) -> Result<serde_json::Value> {
    let body = format!(r#"{{"word":"{word}"}}"#);
    let path = format!("/motus/games/{id}/guesses");
    post_json(addr, &path, Some(&bearer.token), &body, 200)
}

fn bearer_label(bearer: &Bearer) -> String {
    format!("bearer from `{}`", bearer.field)
}

fn cookie_label(cookies: &Cookies) -> String {
    format!("cookies {}", cookies.names().join(", "))
}

/// Request headers of one signed-in player.
type Headers = Vec<(&'static str, String)>;

/// Players a guess load spreads its games over, as real players would (one player's 32 parallel
/// creations would only measure the contention on that player's own records).
const GUESS_PLAYERS: usize = 8;

/// Games for a guess load of `seconds`: enough that each takes at most five guesses, so every
/// guess is an accepted miss and none ends a game (the flow covers endings). How many guesses a
/// second the server takes is estimated from how fast it creates the first games over 32
/// keep-alive connections, as wrk's load comes (a creation costs about what a guess does), with a
/// wide margin: a slow server then needs no long setup, a fast one runs out of no games.
fn games(seconds: u64, url: String, players: Vec<Headers>) -> Result<Vec<(String, usize)>> {
    const PROBE: usize = 320;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let batch = |count: usize| {
            let tasks: Vec<_> = (0..32)
                .map(|task| {
                    let player = task % players.len();
                    let (client, url) = (client.clone(), url.clone());
                    let headers = players[player].clone();
                    tokio::spawn(async move {
                        let mut ids = Vec::new();
                        for _ in 0..count.div_ceil(32) {
                            let mut request = client.post(&url).body(NEW_GAME);
                            for (name, value) in &headers {
                                request = request.header(*name, value);
                            }
                            let answer = request.send().await?;
                            let status = answer.status();
                            let body: serde_json::Value = answer.json().await?;
                            if !status.is_success() {
                                anyhow::bail!("POST {url} answered {status}: {body}");
                            }
                            ids.push((id_of(&body)?, player));
                        }
                        anyhow::Ok(ids)
                    })
                })
                .collect();
            async move {
                let mut ids = Vec::new();
                for task in tasks {
                    ids.extend(task.await??);
                }
                anyhow::Ok(ids)
            }
        };
        let started = std::time::Instant::now();
        let mut ids = batch(PROBE).await?;
        let rate = ids.len() as f64 / started.elapsed().as_secs_f64();
        let guesses = seconds as f64 * (rate * 4.0).min(MAX_GUESSES_PER_SECOND);
        let needed = (guesses as usize).div_ceil(MISSES.len());
        if needed > ids.len() {
            ids.extend(batch(needed - ids.len()).await?);
        }
        eprintln!(
            "bench:     {} games ready (created at {rate:.0}/s)",
            ids.len()
        );
        Ok(ids)
    })
}

/// `POST /motus/games` with a bearer token: a practice game created and persisted (motus knows the
/// player from the token, and today asks auth).
pub fn create(under: &Under, load: Load) -> Result<Measure> {
    accounts::register(&under.addr, "createbench")?;
    let bearer = accounts::login(&under.addr, "createbench")?;
    let headers = [
        format!("Authorization: Bearer {}", bearer.token),
        "Content-Type: application/json".into(),
    ];
    let script = body_script(load.dir, "create.lua", "POST", NEW_GAME)?;
    measure(
        under,
        "create",
        Some(bearer_label(&bearer)),
        load.seconds,
        || {
            wrk::run(
                &format!("http://{}/motus/games", under.addr),
                Some(&script),
                &refs(&headers),
                load.connections,
                load.seconds,
            )
        },
    )
}

/// `POST /motus/games/{id}/guesses` with a bearer token, spread over enough games that none ends.
pub fn guess_load(under: &Under, load: Load) -> Result<Measure> {
    guess_load_with(under, load, || ())
}

/// The guess load, calling `starting` just before wrk starts (after the games are set up).
pub fn guess_load_with(under: &Under, load: Load, starting: impl FnOnce()) -> Result<Measure> {
    let names: Vec<String> = (0..GUESS_PLAYERS).map(|i| format!("guess{i}")).collect();
    let bearers = names
        .iter()
        .map(|n| accounts::register(&under.addr, n))
        .collect::<Result<Vec<_>>>()?;
    let ids = games(
        load.seconds,
        format!("http://{}/motus/games", under.addr),
        bearers.iter().map(bearer_headers).collect(),
    )?;
    // Fresh logins: a short-lived access token then lasts the whole load.
    let bearers = names
        .iter()
        .map(|n| accounts::login(&under.addr, n))
        .collect::<Result<Vec<_>>>()?;
    let bearer = bearers[0].clone();
    let script = rotating_script(
        load.dir,
        "guess.lua",
        &ids,
        "/motus/games/",
        "/guesses",
        &bearers.iter().map(bearer_headers).collect::<Vec<_>>(),
    )?;
    measure(
        under,
        "guess",
        Some(bearer_label(&bearer)),
        load.seconds,
        || {
            starting();
            wrk::run(
                &format!("http://{}/", under.addr),
                Some(&script),
                &[],
                load.connections,
                load.seconds,
            )
        },
    )
}

/// `POST /api/games` as a signed-in browser: the webapp forwards to motus.
pub fn web_create(under: &Under, load: Load) -> Result<Measure> {
    accounts::web_register(&under.addr, "webcreatebench")?;
    let cookies = accounts::web_login(&under.addr, "webcreatebench")?;
    let headers = web_headers(&under.addr, &cookies);
    let script = body_script(load.dir, "web-create.lua", "POST", NEW_GAME)?;
    measure(
        under,
        "web_create",
        Some(cookie_label(&cookies)),
        load.seconds,
        || {
            wrk::run(
                &format!("http://{}/api/games", under.addr),
                Some(&script),
                &refs(&headers),
                load.connections,
                load.seconds,
            )
        },
    )
}

/// `POST /api/games/{id}/guesses` as a signed-in browser, over enough games that none ends.
pub fn web_guess(under: &Under, load: Load) -> Result<Measure> {
    let names: Vec<String> = (0..GUESS_PLAYERS).map(|i| format!("webguess{i}")).collect();
    let all = names
        .iter()
        .map(|n| accounts::web_register(&under.addr, n))
        .collect::<Result<Vec<_>>>()?;
    let ids = games(
        load.seconds,
        format!("http://{}/api/games", under.addr),
        all.iter().map(|c| cookie_headers(&under.addr, c)).collect(),
    )?;
    let all = names
        .iter()
        .map(|n| accounts::web_login(&under.addr, n))
        .collect::<Result<Vec<_>>>()?;
    let cookies = all[0].clone();
    let script = rotating_script(
        load.dir,
        "web-guess.lua",
        &ids,
        "/api/games/",
        "/guesses",
        &all.iter()
            .map(|c| cookie_headers(&under.addr, c))
            .collect::<Vec<_>>(),
    )?;
    measure(
        under,
        "web_guess",
        Some(cookie_label(&cookies)),
        load.seconds,
        || {
            wrk::run(
                &format!("http://{}/", under.addr),
                Some(&script),
                &[],
                load.connections,
                load.seconds,
            )
        },
    )
}

/// `GET /api/me` as a signed-in browser with a finished game (stats, daily, open games).
pub fn me(under: &Under, load: Load) -> Result<Measure> {
    let cookies = accounts::web_register(&under.addr, "mebench")?;
    let game = accounts::web_post(&under.addr, &cookies, "/api/games", NEW_GAME, &[201])?;
    let path = format!("/api/games/{}/guesses", id_of(&game)?);
    accounts::web_post(
        &under.addr,
        &cookies,
        &path,
        &format!(r#"{{"word":"{ANSWER}"}}"#),
        &[200],
    )?;
    let cookies = accounts::web_login(&under.addr, "mebench")?;
    let header = format!("Cookie: {}", cookies.header);
    measure(
        under,
        "me",
        Some(cookie_label(&cookies)),
        load.seconds,
        || {
            wrk::run(
                &format!("http://{}/api/me", under.addr),
                None,
                &[&header],
                load.connections,
                load.seconds,
            )
        },
    )
}

/// Accounts of the login load: one per connection, so auth's lockout (five checks at once per
/// name and client) never makes a login wait or answer 429.
const LOGIN_ACCOUNTS: usize = 32;

/// `POST /auth/login` with the right password, over distinct accounts: bound by Argon2id.
pub fn login(under: &Under, load: Load) -> Result<Measure> {
    let names: Vec<String> = (0..LOGIN_ACCOUNTS).map(|i| format!("login{i}")).collect();
    std::thread::scope(|scope| {
        let jobs: Vec<_> = names
            .chunks(LOGIN_ACCOUNTS / 4)
            .map(|chunk| {
                scope.spawn(|| {
                    chunk
                        .iter()
                        .try_for_each(|n| accounts::register(&under.addr, n).map(drop))
                })
            })
            .collect();
        jobs.into_iter()
            .try_for_each(|j| j.join().expect("setup thread"))
    })?;
    let script = load.dir.join("login.lua");
    std::fs::write(&script, login_script(&names, accounts::PASSWORD))?;
    measure(under, "login", None, load.seconds, || {
        wrk::run(
            &format!("http://{}/auth/login", under.addr),
            Some(&script),
            &[],
            load.connections,
            load.seconds,
        )
    })
}

/// `GET /score/leaderboard`, after `players` players each won a game.
pub fn leaderboard(under: &Under, load: Load, players: usize) -> Result<Measure> {
    for i in 0..players {
        let bearer = accounts::register(&under.addr, &format!("board{i}"))?;
        let id = new_game(&under.addr, &bearer)?;
        for word in MISSES.iter().take(i % MISSES.len()) {
            guess(&under.addr, &bearer, &id, word)?;
        }
        guess(&under.addr, &bearer, &id, ANSWER)?;
    }
    measure(under, "leaderboard", None, load.seconds, || {
        wrk::run(
            &format!(
                "http://{}/score/leaderboard?period=all&limit=10",
                under.addr
            ),
            None,
            &[],
            load.connections,
            load.seconds,
        )
    })
}

fn web_headers(addr: &str, cookies: &Cookies) -> [String; 3] {
    [
        format!("Cookie: {}", cookies.header),
        format!("Origin: {}", accounts::origin(addr)),
        "Content-Type: application/json".into(),
    ]
}

fn refs(headers: &[String]) -> Vec<&str> {
    headers.iter().map(String::as_str).collect()
}

/// The same request each time: `method` with `body` (the URL and headers come from wrk's flags).
fn body_script(dir: &Path, name: &str, method: &str, body: &str) -> Result<std::path::PathBuf> {
    let script = dir.join(name);
    std::fs::write(
        &script,
        format!("wrk.method = \"{method}\"\nwrk.body = '{body}'\n"),
    )?;
    Ok(script)
}

fn bearer_headers(bearer: &Bearer) -> Headers {
    vec![
        ("authorization", format!("Bearer {}", bearer.token)),
        ("content-type", "application/json".into()),
    ]
}

fn cookie_headers(addr: &str, cookies: &Cookies) -> Headers {
    vec![
        ("cookie", cookies.header.clone()),
        ("origin", accounts::origin(addr)),
        ("content-type", "application/json".into()),
    ]
}

/// A guess on game `prefix{id}{suffix}` with its player's headers, each thread walking the games
/// from its own place.
fn rotating_script(
    dir: &Path,
    name: &str,
    ids: &[(String, usize)],
    prefix: &str,
    suffix: &str,
    players: &[Headers],
) -> Result<std::path::PathBuf> {
    let list = ids
        .iter()
        .map(|(id, player)| format!("{{\"{id}\", {}}}", player + 1))
        .collect::<Vec<_>>()
        .join(",");
    let heads = players
        .iter()
        .map(|headers| {
            let fields: String = headers
                .iter()
                .map(|(k, v)| format!("[\"{k}\"] = \"{v}\", "))
                .collect();
            format!("{{{fields}}}")
        })
        .collect::<Vec<_>>()
        .join(",\n");
    let script = dir.join(name);
    std::fs::write(
        &script,
        format!(
            r#"local ids = {{{list}}}
local heads = {{{heads}}}
local counter = 0
setup = function(thread) thread:set("offset", math.random(#ids)) end
request = function()
  counter = counter + 1
  local game = ids[((counter + (offset or 0)) % #ids) + 1]
  return wrk.format("POST", "{prefix}" .. game[1] .. "{suffix}", heads[game[2]], '{{"word":"{word}"}}')
end
"#,
            word = MISSES[0]
        ),
    )?;
    Ok(script)
}

/// Each wrk thread takes its own half of the accounts and cycles through them.
pub fn login_script(names: &[String], password: &str) -> String {
    let bodies = names
        .iter()
        .map(|n| format!("'{{\"username\":\"{n}\",\"password\":\"{password}\"}}'"))
        .collect::<Vec<_>>()
        .join(",");
    format!(
        r#"local bodies = {{{bodies}}}
local threads = 0
local n = 0
setup = function(thread) thread:set("first", threads); threads = threads + 1 end
request = function()
  n = n + 1
  local half = math.floor(#bodies / 2)
  local i = ((first or 0) * half + n % half) % #bodies
  return wrk.format("POST", "/auth/login", {{["Content-Type"] = "application/json"}}, bodies[i + 1])
end
"#
    )
}

/// Runs `load` and adds the servers' CPU per request and memory: resident before (idle) and peak.
pub fn measure(
    under: &Under,
    scenario: &str,
    credential: Option<String>,
    seconds: u64,
    load: impl FnOnce() -> Result<wrk::Load>,
) -> Result<Measure> {
    eprintln!("bench:   {scenario} on {}, {seconds} s", under.addr);
    let idle = sum(under.servers.iter().map(|s| s.rss_mib()));
    let cpu = CpuMark::take(&under.servers);
    let load = load()?;
    let cpu_each = cpu.per_request(&under.servers, &load, seconds);
    Ok(Measure {
        scenario: scenario.to_owned(),
        system: String::new(),
        credential,
        cpu_ms_per_request: cpu_each.iter().copied().sum(),
        cpu_each,
        load,
        rss_idle_mib: idle,
        rss_peak_mib: sum(under.servers.iter().map(|s| s.peak_rss_mib())),
    })
}

fn sum(values: impl Iterator<Item = Option<u64>>) -> Option<u64> {
    values.sum()
}

/// The CPU time each server has used when a load starts.
pub struct CpuMark(Vec<Option<f64>>);

impl CpuMark {
    pub fn take(servers: &[&Server]) -> CpuMark {
        CpuMark(servers.iter().map(|s| s.cpu_ms()).collect())
    }

    /// Each server's CPU since the mark, per request of `load`.
    pub fn per_request(
        &self,
        servers: &[&Server],
        load: &wrk::Load,
        seconds: u64,
    ) -> Vec<Option<f64>> {
        let requests = load.requests_per_sec * seconds as f64;
        servers
            .iter()
            .zip(&self.0)
            .map(|(s, before)| {
                Some((s.cpu_ms()? - (*before)?) / requests).filter(|_| requests > 0.0)
            })
            .collect()
    }
}
