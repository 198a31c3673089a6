//! `kill -9` of the host in the middle of a write load, then a restart on the same state: the
//! store is not corrupted and every write the host acknowledged (answered 2xx) is there.
//!
//! The host runs as a child process (`target/release/host up`, see [`e2e::HostProcess`]) so it
//! can be SIGKILLed. Each round: several clients write at once (new practice games, guesses in
//! them — finishing games makes motus record them in score — and new accounts) and note every
//! acknowledged write; the host is killed while they are still sending; it is started again on
//! the same state directory; then every acknowledged write must be visible:
//!
//! - every acknowledged account logs in; the sessions opened before the load still work;
//! - every acknowledged game exists and holds exactly its acknowledged guesses, in order (plus at
//!   most the one guess in flight at the kill, which may or may not have landed);
//! - score counts every finished game exactly once (practice `played` and `won`, history; practice
//!   earns no points and reaches no leaderboard), after the read that lets motus retry a
//!   recording the kill cut short;
//! - SQLite: `PRAGMA integrity_check` is `ok` for every store; the app serves a new game normally.
//!
//! Default: one round of about 1.5 s of load per backend. `MOTUS_RELIABILITY_LONG=1` runs the
//! long version (5 rounds of 5 s each on the same, growing state), as the bench command does.
//! On Redis the `redis-server` survives, only the host dies.

use e2e::api::{planted, Api, Reply, Session, PASSWORD};
use e2e::{Backend, HostProcess};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const ANSWER: &str = "MAISON";
const PLAYERS: usize = 3;
const GUESS_WORKERS_PER_PLAYER: usize = 2;

struct Plan {
    rounds: usize,
    load: Duration,
}

fn plan() -> Plan {
    if std::env::var("MOTUS_RELIABILITY_LONG").is_ok_and(|v| !v.is_empty() && v != "0") {
        Plan {
            rounds: 5,
            load: Duration::from_secs(5),
        }
    } else {
        Plan {
            rounds: 1,
            load: Duration::from_millis(1500),
        }
    }
}

/// One game as the clients saw it: the guesses the host acknowledged, in order, and the guess
/// that was on its way when the host died, if any.
#[derive(Debug, Clone)]
struct GameLog {
    id: String,
    owner: Session,
    acked: Vec<&'static str>,
    in_flight: Option<&'static str>,
}

/// What the clients of one round saw.
#[derive(Default)]
struct Ledger {
    accounts: Vec<String>,
    games: Vec<GameLog>,
    acknowledged: usize,
    /// Answers that were neither the expected success nor a cut connection after the kill.
    unexpected: Vec<String>,
}

/// Why a worker stopped.
enum Stop {
    Killed,
}

/// Sends one request; `Err` once the host is gone (a failure before the kill is noted).
async fn send(
    api: &Api,
    killed: &AtomicBool,
    ledger: &mut Ledger,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> Result<Reply, Stop> {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("content-type", "application/json")];
    if let Some(auth) = &auth {
        headers.push(("authorization", auth.as_str()));
    }
    match api.try_send(method, path, &headers, body.to_string()).await {
        Ok(reply) => Ok(reply),
        Err(e) => {
            if !killed.load(Ordering::SeqCst) {
                ledger
                    .unexpected
                    .push(format!("{path}: {e} before the kill"));
            }
            Err(Stop::Killed)
        }
    }
}

/// A small deterministic generator, enough to vary the games.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Starts practice games and plays them to a win at a random try or to a loss, until the host
/// dies.
async fn guess_worker(api: Api, who: Session, killed: Arc<AtomicBool>, seed: u64) -> Ledger {
    let mut ledger = Ledger::default();
    let mut rng = Rng(seed);
    let word = planted(6);
    'games: loop {
        let body = json!({ "mode": "practice", "length": 6 });
        let Ok(reply) = send(
            &api,
            &killed,
            &mut ledger,
            Method::POST,
            "/motus/games",
            who.token(),
            body,
        )
        .await
        else {
            break;
        };
        if reply.status != 201 {
            ledger
                .unexpected
                .push(format!("new game: {} {}", reply.status, reply.text));
            continue;
        }
        ledger.acknowledged += 1;
        let id = reply.json()["id"].as_str().unwrap().to_owned();
        ledger.games.push(GameLog {
            id: id.clone(),
            owner: who.clone(),
            acked: Vec::new(),
            in_flight: None,
        });
        let tries = rng.below(7) as usize; // 0: lost, else won at that try
        let script = word.script((tries > 0).then_some(tries));
        for w in script {
            ledger.games.last_mut().unwrap().in_flight = Some(w);
            let path = format!("/motus/games/{id}/guesses");
            let Ok(reply) = send(
                &api,
                &killed,
                &mut ledger,
                Method::POST,
                &path,
                who.token(),
                json!({ "word": w }),
            )
            .await
            else {
                break 'games;
            };
            let game = ledger.games.last_mut().unwrap();
            game.in_flight = None;
            if reply.status != 200 {
                ledger
                    .unexpected
                    .push(format!("guess: {} {}", reply.status, reply.text));
                continue 'games;
            }
            game.acked.push(w);
            ledger.acknowledged += 1;
            let answer = reply.json();
            let seen: Vec<&str> = answer["guesses"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g["word"].as_str().unwrap())
                .collect();
            if seen != game.acked {
                ledger
                    .unexpected
                    .push(format!("guess answer {answer} after {:?}", game.acked));
            }
        }
    }
    ledger
}

/// Opens accounts one after another (each costs an Argon2id hash) until the host dies.
async fn register_worker(api: Api, killed: Arc<AtomicBool>, prefix: String) -> Ledger {
    let mut ledger = Ledger::default();
    for n in 0.. {
        let name = format!("{prefix}{n}");
        let body = json!({ "username": name, "password": PASSWORD });
        let Ok(reply) = send(
            &api,
            &killed,
            &mut ledger,
            Method::POST,
            "/auth/register",
            None,
            body,
        )
        .await
        else {
            break;
        };
        if reply.status == 201 {
            ledger.accounts.push(name);
            ledger.acknowledged += 1;
        } else {
            ledger
                .unexpected
                .push(format!("register: {} {}", reply.status, reply.text));
        }
    }
    ledger
}

/// Runs the write load for about `load` (jittered, so the kill lands at different points of
/// the requests), SIGKILLs the host mid-load and returns what the clients saw.
async fn load_then_kill(
    host: &mut HostProcess,
    players: &[Session],
    round: usize,
    load: Duration,
) -> Ledger {
    let api = Api::at(host.url(""));
    let killed = Arc::new(AtomicBool::new(false));
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    let mut workers = Vec::new();
    for (p, who) in players.iter().enumerate() {
        for w in 0..GUESS_WORKERS_PER_PLAYER {
            let worker_seed = seed ^ ((p * 16 + w) as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            workers.push(tokio::spawn(guess_worker(
                api.clone(),
                who.clone(),
                killed.clone(),
                worker_seed,
            )));
        }
    }
    workers.push(tokio::spawn(register_worker(
        api.clone(),
        killed.clone(),
        format!("r{round}x"),
    )));

    // Kill somewhere between 75 % and 125 % of the nominal load time.
    let jitter = load.mul_f64(0.75 + (seed % 1000) as f64 / 2000.0);
    tokio::time::sleep(jitter).await;
    killed.store(true, Ordering::SeqCst);
    host.kill();

    let mut ledger = Ledger::default();
    for worker in workers {
        let part = tokio::time::timeout(Duration::from_secs(30), worker)
            .await
            .expect("the clients notice the host is gone")
            .expect("worker");
        ledger.accounts.extend(part.accounts);
        ledger.games.extend(part.games);
        ledger.acknowledged += part.acknowledged;
        ledger.unexpected.extend(part.unexpected);
    }
    ledger
}

/// The figures one run reports (printed, for docs/reliability.md).
#[derive(Debug, Default)]
struct Figures {
    acknowledged: usize,
    accounts: usize,
    games: usize,
    guesses: usize,
    in_flight_landed: usize,
    in_flight_lost: usize,
    finished: usize,
}

/// Checks, after the restart, that every acknowledged write of `ledger` (all rounds so far) is
/// there and that score counted every finished game exactly once.
/// A finished game after the read that lets motus retry its recording: recorded. One more read
/// is allowed: a kill between score's claim on a new document and its first write leaves the
/// claim behind, which the next writer waits out for the kit's creator grace (5 s) — as long as
/// motus waits for score — so the first read after the restart may answer `recorded: false`;
/// the grace is over by the second.
async fn recorded_by_a_read(api: &Api, log: &GameLog, first: Value, host: &HostProcess) -> Value {
    if first["recorded"] == true {
        return first;
    }
    let again = api.game(&log.owner, &log.id).await.expect(200);
    assert_eq!(
        again["recorded"],
        true,
        "a read records a finished game (second read; the first answered {first}): {again}\n\
         host stderr:\n{}",
        host.stderr_tail()
    );
    again
}

async fn verify(
    host: &HostProcess,
    players: &[Session],
    ledger: &Ledger,
    round: usize,
    figures: &mut Figures,
) {
    let api = Api::at(host.url(""));
    if host.redis().is_none() {
        for label in ["auth", "motus", "score"] {
            let path = host.state_dir().join(format!("{label}.db"));
            let db = rusqlite::Connection::open(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let check: String = db
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                .unwrap();
            assert_eq!(check, "ok", "{label}.db after kill -9");
            let _: i64 = db
                .query_row("SELECT count(*) FROM spin_key_value", [], |r| r.get(0))
                .unwrap();
        }
    }
    for who in players {
        api.me(&who.token).await.expect(200);
    }
    api.assert_all_log_in(&ledger.accounts).await;

    // Per player: the finished games as motus now shows them (a read also lets motus retry a
    // recording the kill interrupted).
    let mut finished: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let (mut landed, mut lost, mut guesses) = (0, 0, 0);
    let games =
        futures::future::join_all(ledger.games.iter().map(|g| api.game(&g.owner, &g.id))).await;
    for (log, reply) in ledger.games.iter().zip(games) {
        let game = reply.expect(200);
        let words: Vec<&str> = game["guesses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["word"].as_str().unwrap())
            .collect();
        guesses += log.acked.len();
        let mut with_flight = log.acked.clone();
        with_flight.extend(log.in_flight);
        if words == with_flight && log.in_flight.is_some() {
            landed += 1;
        } else if log.in_flight.is_some() {
            lost += 1;
        }
        assert!(
            words == log.acked || words == with_flight,
            "game {}: acknowledged {:?} (in flight {:?}), found {words:?}",
            log.id,
            log.acked,
            log.in_flight
        );
        if game["status"] != "playing" {
            let game = recorded_by_a_read(&api, log, game, host).await;
            finished
                .entry(log.owner.username.clone())
                .or_default()
                .push(game);
        }
    }
    let board = api.leaderboard("all").await;
    for who in players {
        let games = finished.get(&who.username).cloned().unwrap_or_default();
        let won = games.iter().filter(|g| g["status"] == "won").count();
        let stats = api.stats(&who.username).await;
        assert_eq!(
            (
                stats["practice"]["played"].as_u64(),
                stats["practice"]["won"].as_u64(),
                stats["total"].as_u64()
            ),
            (Some(games.len() as u64), Some(won as u64), Some(0)),
            "{}: every finished game counted once: {stats}",
            who.username
        );
        assert_eq!(
            history_ids(&api, &who.username).await.len(),
            games.len(),
            "{} history",
            who.username
        );
        let ranked = board["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["player"] == who.username.as_str());
        assert!(!ranked, "practice reached the leaderboard: {board}");
        figures.finished += games.len();
    }
    figures.acknowledged = ledger.acknowledged;
    figures.accounts = ledger.accounts.len();
    figures.games = ledger.games.len();
    figures.guesses = guesses;
    figures.in_flight_landed = landed;
    figures.in_flight_lost = lost;

    // The app goes on as usual.
    let fresh = api.register(&format!("after{round}")).await;
    let game = api.practice(&fresh, 6).await;
    let id = game["id"].as_str().unwrap();
    let won = api.play(&fresh, id, &[ANSWER]).await;
    assert_eq!(
        (won["status"].as_str(), won["recorded"].as_bool()),
        (Some("won"), Some(true))
    );
}

/// The game ids of a player's whole history, page after page.
async fn history_ids(api: &Api, player: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/score/{player}/history?limit=100&cursor={c}"),
            None => format!("/score/{player}/history?limit=100"),
        };
        let page = api.get(&path, None).await.expect(200);
        ids.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["game_id"].as_str().unwrap().to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return ids,
        }
    }
}

async fn acknowledged_writes_survive_kill_9(backend: Backend) {
    let plan = plan();
    let mut host = HostProcess::start("spin.toml", backend, &[("answer_words", ANSWER)]).await;
    let api = Api::at(host.url(""));
    let names: Vec<String> = (0..PLAYERS).map(|i| format!("player{i}")).collect();
    let players = api.register_all(&names).await;
    let mut all = Ledger::default();
    for round in 0..plan.rounds {
        let started = Instant::now();
        let ledger = load_then_kill(&mut host, &players, round, plan.load).await;
        assert!(
            ledger.unexpected.is_empty(),
            "round {round}: answers other than success before the kill: {:#?}\n{}",
            ledger.unexpected,
            host.stderr_tail()
        );
        assert!(
            ledger.acknowledged > 0,
            "round {round}: no write acknowledged"
        );
        let loaded = started.elapsed();
        host.restart().await;
        all.accounts.extend(ledger.accounts);
        all.games.extend(ledger.games);
        all.acknowledged += ledger.acknowledged;
        let mut figures = Figures::default();
        verify(&host, &players, &all, round, &mut figures).await;
        println!(
            "{backend:?} round {}: load + kill {:.1} s; acknowledged so far {} writes ({} accounts, {} games, \
             {} guesses), {} finished games counted once; guesses in flight at the kills: {} landed, {} not",
            round + 1,
            loaded.as_secs_f64(),
            figures.acknowledged,
            figures.accounts,
            figures.games,
            figures.guesses,
            figures.finished,
            figures.in_flight_landed,
            figures.in_flight_lost,
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn acknowledged_writes_survive_kill_9_on_sqlite() {
    acknowledged_writes_survive_kill_9(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn acknowledged_writes_survive_kill_9_on_redis() {
    acknowledged_writes_survive_kill_9(Backend::Redis).await;
}
