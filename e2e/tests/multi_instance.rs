//! Three instances of the app on one Redis database, behind HAProxy (round robin, no
//! stickiness), driven through the balancer: the guarantees one instance gives hold across
//! them, and one instance killed with SIGKILL during a write load costs nothing acknowledged.
//!
//! Every store label is mapped to the same Redis database (the mapping operators often choose;
//! the keys are namespaced per label). `daily_secret` is left empty, so motus draws the daily
//! secret itself and keeps it in the store: the instances must agree on it through the store.
//!
//! On our host (`target/release/host up`) always; on real Spin too when a Spin CLI is found
//! (`MOTUS_TEST_HOST=spin`, as scripts/test-spin sets).

use e2e::api::{all_planted, id_of, planted, points, tries_of, Api, Reply, Session, PASSWORD};
use e2e::balancer::{Cluster, Engine};
use e2e::concurrent::{all_at_once, at_once, statuses};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const INSTANCES: usize = 3;

fn engine() -> Engine {
    if e2e::on_spin() {
        Engine::Spin
    } else {
        Engine::Host
    }
}

/// One cluster at a time: two (six instances and their load) on two cores would slow each
/// other's health checks and timings.
static ONE_CLUSTER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn start() -> (tokio::sync::MutexGuard<'static, ()>, Cluster) {
    let turn = ONE_CLUSTER.lock().await;
    let words = all_planted();
    let cluster = Cluster::start(
        engine(),
        "spin.toml",
        INSTANCES,
        &[("answer_words", words.as_str())],
    )
    .await;
    (turn, cluster)
}

/// The first daily reads land on every instance at once: they agree on one daily word.
async fn the_daily_word_is_the_same_on_every_instance(cluster: &Cluster) -> Value {
    let apis: Vec<Api> = (0..cluster.len())
        .map(|i| cluster.instance_api(i))
        .collect();
    let dailies = all_at_once(apis, |api| async move {
        api.get("/motus/daily", None).await.expect(200)
    })
    .await;
    for daily in &dailies {
        assert_eq!(daily, &dailies[0], "every instance serves the same daily");
    }
    dailies[0].clone()
}

async fn one_name_registered_at_once_through_the_balancer_makes_one_account(api: &Api) {
    let replies = at_once(12, |i| {
        let api = api.clone();
        async move {
            api.register_reply("zoe", &format!("password number {i}"))
                .await
        }
    })
    .await;
    assert_eq!(
        statuses(&replies),
        BTreeMap::from([(201, 1), (409, 11)]),
        "{replies:#?}"
    );
    let winner = replies.iter().position(|r| r.status == 201).unwrap();
    api.login("zoe", &format!("password number {winner}")).await;
}

async fn a_session_opened_on_one_instance_works_on_every_instance(cluster: &Cluster) -> Session {
    let alice = cluster.instance_api(0).register("alice").await;
    for i in 0..cluster.len() {
        let me = cluster.instance_api(i).me(&alice.token).await.expect(200);
        assert_eq!(me["username"], "alice", "instance {i}: {me}");
    }
    alice
}

/// alice's daily game, started on one instance, is the same game on the others.
async fn one_daily_game_whatever_instance_starts_it(cluster: &Cluster, alice: &Session) {
    let first = cluster
        .instance_api(1)
        .new_game_reply(alice, "daily", None)
        .await
        .expect(201);
    for i in 0..cluster.len() {
        let again = cluster
            .instance_api(i)
            .new_game_reply(alice, "daily", None)
            .await
            .expect(200);
        assert_eq!(id_of(&again), id_of(&first), "instance {i}");
    }
}

/// 48 misses at one game at once, through the balancer (so on all instances): six accepted,
/// each seeing its own state of the game, the game lost and recorded once.
async fn six_tries_at_most_whatever_instance_serves_each_guess(api: &Api, alice: &Session) {
    let word = planted(6);
    let id = id_of(&api.practice(alice, 6).await);
    let guesses: Vec<&'static str> = (0..48).map(|i| word.misses[i % 6]).collect();
    let replies = all_at_once(guesses, |w| {
        let (api, alice, id) = (api.clone(), alice.clone(), id.clone());
        async move { api.guess(&alice, &id, w).await }
    })
    .await;
    assert_eq!(
        statuses(&replies),
        BTreeMap::from([(200, 6), (409, 42)]),
        "{replies:#?}"
    );
    for refused in replies.iter().filter(|r| r.status == 409) {
        assert_eq!(refused.error_code(), "game_over", "{}", refused.text);
    }
    let mut seen: Vec<usize> = replies
        .iter()
        .filter(|r| r.status == 200)
        .map(|r| tries_of(&r.json()))
        .collect();
    seen.sort_unstable();
    assert_eq!(seen, [1, 2, 3, 4, 5, 6], "one state per accepted guess");
    let game = api.game(alice, &id).await.expect(200);
    assert_eq!(
        (game["status"].as_str(), tries_of(&game)),
        (Some("lost"), 6)
    );
    assert_eq!(game["recorded"], true, "{game}");

    // Every instance asked at once to record it again: still one game.
    let replies = all_at_once(vec![id.clone(); 24], |id| {
        let (api, alice) = (api.clone(), alice.clone());
        async move { api.record(&id, Some(&alice)).await }
    })
    .await;
    assert_eq!(statuses(&replies), BTreeMap::from([(200, 24)]));
    let stats = api.stats("alice").await;
    assert_eq!(stats["practice"]["played"], 1, "recorded once: {stats}");
}

/// Six players play today's game at once, each winning at another try: the day's board holds
/// exactly their points, in order.
async fn exact_totals_and_leaderboards(api: &Api) {
    let names: Vec<String> = (1..=6).map(|i| format!("player{i}")).collect();
    let players = api.register_all(&names).await;
    let played = all_at_once(players.into_iter().enumerate().collect(), |(i, who)| {
        let api = api.clone();
        async move {
            let daily = api.new_game_reply(&who, "daily", None).await.expect(201);
            let length = daily["length"].as_u64().unwrap();
            let end = api
                .play(&who, &id_of(&daily), &planted(length).script(Some(i + 1)))
                .await;
            assert_eq!(end["status"], "won", "{end}");
            (who.username, points(true, length, i as u64 + 1))
        }
    })
    .await;
    let board = api
        .get("/score/leaderboard?period=day&limit=100", None)
        .await
        .expect(200);
    let entries: BTreeMap<String, u64> = board["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["player"].as_str().unwrap().starts_with("player"))
        .map(|e| {
            (
                e["player"].as_str().unwrap().to_owned(),
                e["points"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected: BTreeMap<String, u64> = played.into_iter().collect();
    assert_eq!(entries, expected, "{board}");
    for (name, due) in &expected {
        let stats = api.stats(name).await;
        assert_eq!(
            (&stats["played"], &stats["total"]),
            (&json!(1), &json!(due)),
            "{stats}"
        );
    }
}

async fn every_instance_served_its_share(cluster: &Cluster) {
    let servers = cluster
        .balancer()
        .servers()
        .await
        .expect("haproxy statistics");
    let total: u64 = servers.values().map(|s| s.requests).sum();
    for (name, server) in &servers {
        assert!(
            server.requests * (INSTANCES as u64) * 2 >= total,
            "round robin: {name} served {} of {total} requests: {servers:?}",
            server.requests
        );
    }
    println!("{:?}: requests per instance {servers:?}", engine());
}

#[tokio::test(flavor = "multi_thread")]
async fn three_instances_behind_haproxy_keep_every_guarantee_on_one_redis() {
    let (_turn, cluster) = start().await;
    let api = cluster.api();
    let started = Instant::now();

    let daily = the_daily_word_is_the_same_on_every_instance(&cluster).await;
    one_name_registered_at_once_through_the_balancer_makes_one_account(&api).await;
    let alice = a_session_opened_on_one_instance_works_on_every_instance(&cluster).await;
    one_daily_game_whatever_instance_starts_it(&cluster, &alice).await;
    six_tries_at_most_whatever_instance_serves_each_guess(&api, &alice).await;
    exact_totals_and_leaderboards(&api).await;
    assert_eq!(
        the_daily_word_is_the_same_on_every_instance(&cluster).await,
        daily
    );
    every_instance_served_its_share(&cluster).await;
    println!(
        "{:?}: scenarios through the balancer in {:.1} s",
        engine(),
        started.elapsed().as_secs_f64()
    );
}

// ---- kill -9 of one instance during a write load ----

/// One game as the clients saw it: acknowledged guesses in order, and the guess whose answer
/// never came (cut by the kill), which may or may not have landed.
#[derive(Debug, Clone)]
struct GameLog {
    id: String,
    owner: Session,
    acked: Vec<&'static str>,
    in_flight: Option<&'static str>,
}

#[derive(Default, Debug)]
struct Ledger {
    accounts: Vec<String>,
    games: Vec<GameLog>,
    acknowledged: usize,
    acknowledged_after_kill: usize,
    /// Requests that got no answer from the app (a 502/503 from the balancer, or a cut
    /// connection): their effect is unknown, and there must be few.
    cut: Vec<String>,
    /// Answers no request should get, kill or no kill.
    unexpected: Vec<String>,
}

impl Ledger {
    fn merge(&mut self, other: Ledger) {
        self.accounts.extend(other.accounts);
        self.games.extend(other.games);
        self.acknowledged += other.acknowledged;
        self.acknowledged_after_kill += other.acknowledged_after_kill;
        self.cut.extend(other.cut);
        self.unexpected.extend(other.unexpected);
    }

    fn ack(&mut self, killed: &AtomicBool) {
        self.acknowledged += 1;
        if killed.load(Ordering::SeqCst) {
            self.acknowledged_after_kill += 1;
        }
    }
}

/// What came back for one request.
enum Outcome {
    Answer(Reply),
    /// No answer from the app: the request's effect is unknown.
    Cut(String),
}

async fn send(api: &Api, path: &str, token: Option<&str>, body: Value) -> Outcome {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("content-type", "application/json")];
    if let Some(auth) = &auth {
        headers.push(("authorization", auth.as_str()));
    }
    match api
        .try_send(reqwest::Method::POST, path, &headers, body.to_string())
        .await
    {
        Ok(reply) if matches!(reply.status, 502..=504) && !reply.text.contains("\"error\"") => {
            Outcome::Cut(format!(
                "{path}: {} from the balancer ({})",
                reply.status,
                reply
                    .text
                    .lines()
                    .find(|l| l.contains("<h1>"))
                    .unwrap_or("")
            ))
        }
        Ok(reply) => Outcome::Answer(reply),
        Err(e) => Outcome::Cut(format!("{path}: {e}")),
    }
}

/// Plays practice games (each to a win at try `1 + n % 6`, or a loss every seventh game) until
/// `stop`; a guess cut by the kill ends its game's log there.
async fn guess_worker(
    api: Api,
    who: Session,
    stop: Arc<AtomicBool>,
    killed: Arc<AtomicBool>,
) -> Ledger {
    let mut ledger = Ledger::default();
    let word = planted(6);
    let mut n = 0;
    while !stop.load(Ordering::SeqCst) {
        n += 1;
        let body = json!({ "mode": "practice", "length": 6 });
        let reply = match send(&api, "/motus/games", who.token(), body).await {
            Outcome::Answer(reply) if reply.status == 201 => reply,
            Outcome::Answer(reply) => {
                ledger
                    .unexpected
                    .push(format!("new game: {} {}", reply.status, reply.text));
                continue;
            }
            Outcome::Cut(why) => {
                ledger.cut.push(why);
                continue;
            }
        };
        ledger.ack(&killed);
        let id = id_of(&reply.json());
        let mut log = GameLog {
            id: id.clone(),
            owner: who.clone(),
            acked: Vec::new(),
            in_flight: None,
        };
        let script = word.script((n % 7 != 0).then_some(1 + n % 6));
        for w in script {
            let path = format!("/motus/games/{id}/guesses");
            match send(&api, &path, who.token(), json!({ "word": w })).await {
                Outcome::Answer(reply) if reply.status == 200 => {
                    log.acked.push(w);
                    ledger.ack(&killed);
                }
                Outcome::Answer(reply) => {
                    ledger
                        .unexpected
                        .push(format!("guess: {} {}", reply.status, reply.text));
                    break;
                }
                Outcome::Cut(why) => {
                    ledger.cut.push(why);
                    log.in_flight = Some(w);
                    break;
                }
            }
        }
        ledger.games.push(log);
    }
    ledger
}

/// Opens accounts one after another until `stop`.
async fn register_worker(
    api: Api,
    prefix: &'static str,
    stop: Arc<AtomicBool>,
    killed: Arc<AtomicBool>,
) -> Ledger {
    let mut ledger = Ledger::default();
    let mut n = 0;
    while !stop.load(Ordering::SeqCst) {
        n += 1;
        let name = format!("{prefix}{n}");
        let body = json!({ "username": name, "password": PASSWORD });
        match send(&api, "/auth/register", None, body).await {
            Outcome::Answer(reply) if reply.status == 201 => {
                ledger.accounts.push(name);
                ledger.ack(&killed);
            }
            Outcome::Answer(reply) => ledger
                .unexpected
                .push(format!("register: {} {}", reply.status, reply.text)),
            Outcome::Cut(why) => ledger.cut.push(why),
        }
    }
    ledger
}

/// Every acknowledged write is there, read through the balancer (the surviving instances):
/// accounts log in, games hold their acknowledged guesses (plus at most the one cut), and
/// score counts every finished game once.
async fn nothing_acknowledged_is_lost(api: &Api, players: &[Session], ledger: &Ledger) {
    api.assert_all_log_in(&ledger.accounts).await;
    let mut finished: BTreeMap<String, u64> = BTreeMap::new();
    for log in &ledger.games {
        let mut game = api.game(&log.owner, &log.id).await.expect(200);
        let words: Vec<&str> = game["guesses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["word"].as_str().unwrap())
            .collect();
        let mut with_cut = log.acked.clone();
        with_cut.extend(log.in_flight);
        assert!(
            words == log.acked || words == with_cut,
            "game {}: acknowledged {:?} (cut: {:?}), found {words:?}",
            log.id,
            log.acked,
            log.in_flight
        );
        if game["status"] != "playing" {
            if game["recorded"] != true {
                // A recording cut by the kill is retried by the next read.
                game = api.game(&log.owner, &log.id).await.expect(200);
            }
            assert_eq!(game["recorded"], true, "{game}");
            *finished.entry(log.owner.username.clone()).or_default() += 1;
        }
    }
    for who in players {
        let stats = api.stats(&who.username).await;
        assert_eq!(
            stats["practice"]["played"].as_u64().unwrap_or(0),
            finished.get(&who.username).copied().unwrap_or(0),
            "{}: every finished game counted once: {stats}",
            who.username
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_instance_killed_during_writes_is_routed_around_and_nothing_acknowledged_is_lost() {
    let (_turn, mut cluster) = start().await;
    let api = cluster.api();
    let names: Vec<String> = (0..4).map(|i| format!("writer{i}")).collect();
    let players = api.register_all(&names).await;
    let stop = Arc::new(AtomicBool::new(false));
    let killed = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::new();
    for who in &players {
        workers.push(tokio::spawn(guess_worker(
            api.clone(),
            who.clone(),
            stop.clone(),
            killed.clone(),
        )));
    }
    workers.push(tokio::spawn(register_worker(
        api.clone(),
        "late",
        stop.clone(),
        killed.clone(),
    )));

    tokio::time::sleep(Duration::from_millis(800)).await;
    killed.store(true, Ordering::SeqCst);
    let kill_at = Instant::now();
    cluster.kill(1);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, Ordering::SeqCst);
    let mut ledger = Ledger::default();
    for worker in workers {
        let part = tokio::time::timeout(Duration::from_secs(30), worker)
            .await
            .expect("the workers stop")
            .expect("worker");
        ledger.merge(part);
    }
    let load_after_kill = kill_at.elapsed();
    let servers = cluster.balancer().servers().await.unwrap();

    assert!(
        ledger.unexpected.is_empty(),
        "answers other than success: {:#?}\n{}",
        ledger.unexpected,
        cluster.output()
    );
    assert!(
        ledger.acknowledged_after_kill > 20,
        "the balancer routes around the dead instance: {} writes acknowledged after the kill",
        ledger.acknowledged_after_kill
    );
    // Each worker had at most one request on the dead instance; the balancer may also close
    // that worker's connection, cutting the request sent on it next.
    let workers = players.len() + 1;
    assert!(
        ledger.cut.len() <= 2 * workers,
        "only requests caught by the kill go unanswered: {:#?}",
        ledger.cut
    );
    assert_ne!(
        servers["s1"].status, "UP",
        "haproxy took s1 out: {servers:?}"
    );
    nothing_acknowledged_is_lost(&api, &players, &ledger).await;
    println!(
        "{:?}: {} writes acknowledged ({} after the kill, {:.1} s of load after it), {} accounts, \
         {} games; {} requests cut by the kill: {:?}",
        engine(),
        ledger.acknowledged,
        ledger.acknowledged_after_kill,
        load_after_kill.as_secs_f64(),
        ledger.accounts.len(),
        ledger.games.len(),
        ledger.cut.len(),
        ledger.cut
    );
}
