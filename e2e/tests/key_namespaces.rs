//! Every key a service stores lives under its store label (`motus/game:…`, `score/game:…`), so
//! any mapping of labels to databases is safe, and stores written before the prefix existed
//! (bare keys, one store per label) keep working after an upgrade.
//!
//! The bare layout is made the way an older version left it: the app writes its data, stops,
//! and every key is renamed to its bare form behind the host's back (rusqlite, redis-cli).

use std::process::Command;

use e2e::api::{id_of, planted, points, tries_of, Api, Session, PASSWORD};
use e2e::{Backend, StoreLocation, TestHost};
use reqwest::Method;
use serde_json::{json, Value};

/// Every key in the store of `label`, as the backend holds it.
fn raw_keys(label: &str, location: &StoreLocation) -> Vec<String> {
    let mut keys = match location {
        StoreLocation::Sqlite(path) => {
            let db = rusqlite::Connection::open(path).unwrap();
            let mut query = db
                .prepare("SELECT key FROM spin_key_value WHERE store = ?1")
                .unwrap();
            let rows = query.query_map([label], |r| r.get::<_, String>(0)).unwrap();
            rows.map(Result::unwrap).collect()
        }
        StoreLocation::Redis(url) => redis_cli(url, &["--scan"])
            .lines()
            .map(str::to_owned)
            .collect::<Vec<_>>(),
    };
    keys.sort();
    keys
}

fn redis_cli(url: &str, args: &[&str]) -> String {
    let out = Command::new("redis-cli")
        .arg("-u")
        .arg(url)
        .args(args)
        .output()
        .expect("redis-cli (package redis-tools, installed with redis-server)");
    assert!(out.status.success(), "redis-cli {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// Whether a prefixed key is the namespacing's own bookkeeping (the "moved" marker and the
/// move's counters), which the bare layout did not have.
fn bookkeeping(bare: &str) -> bool {
    bare == "kv#layout" || bare.starts_with("kv#move-")
}

/// Rewrites the store of `label` as the version before namespacing left it: `label/key`
/// becomes `key`, and the move's bookkeeping goes.
fn to_bare_layout(label: &str, location: &StoreLocation) {
    let prefix = format!("{label}/");
    for key in raw_keys(label, location) {
        let Some(bare) = key.strip_prefix(&prefix) else {
            continue;
        };
        match location {
            StoreLocation::Sqlite(path) => {
                let db = rusqlite::Connection::open(path).unwrap();
                let sql = if bookkeeping(bare) {
                    "DELETE FROM spin_key_value WHERE store = ?1 AND key = ?2"
                } else {
                    "UPDATE spin_key_value SET key = ?3 WHERE store = ?1 AND key = ?2"
                };
                let params: &[&dyn rusqlite::ToSql] = if bookkeeping(bare) {
                    &[&label, &key]
                } else {
                    &[&label, &key, &bare]
                };
                db.execute(sql, params).unwrap();
            }
            StoreLocation::Redis(url) if bookkeeping(bare) => {
                redis_cli(url, &["DEL", &key]);
            }
            StoreLocation::Redis(url) => {
                redis_cli(url, &["RENAME", &key, bare]);
            }
        }
    }
}

/// Asserts that every key of every store is under its label, and returns how many there are.
fn all_keys_are_namespaced(app: &TestHost) -> usize {
    let mut count = 0;
    for (label, location) in app.store_locations() {
        for key in raw_keys(&label, &location) {
            let owner = key.split('/').next().unwrap();
            assert!(
                ["auth", "motus", "score"].contains(&owner) && key.contains('/'),
                "{label} ({location:?}) holds a key outside every namespace: {key}"
            );
            if let StoreLocation::Sqlite(_) = location {
                assert_eq!(
                    owner, label,
                    "a SQLite store holds only its own label's keys"
                );
            }
            count += 1;
        }
    }
    count
}

/// What alice's and bob's accounts, games, stats, histories and the leaderboards show.
async fn everything_players_see(api: &Api, players: &[(&Session, &str)]) -> Vec<Value> {
    let mut seen = Vec::new();
    for (who, game) in players {
        seen.push(api.me(&who.token).await.expect(200));
        seen.push(api.game(who, game).await.expect(200));
        seen.push(api.stats(&who.username).await);
        seen.push(api.history(&who.username, Some(who)).await.expect(200));
    }
    seen.push(api.get("/motus/daily", None).await.expect(200));
    for period in ["day", "week", "all"] {
        seen.push(api.leaderboard(period).await);
    }
    seen
}

/// alice wins a practice game in 3, bob loses one; both are recorded with score (score's
/// `game:{id}` beside motus's `game:{id}`: the keys that collided on one database).
async fn play_two_games(api: &Api) -> ((Session, String), (Session, String)) {
    let alice = api.register("alice").await;
    let bob = api.register("bob").await;
    let won = id_of(&api.practice(&alice, 7).await);
    let end = api.play(&alice, &won, &planted(7).script(Some(3))).await;
    assert_eq!(end["status"], "won", "{end}");
    let lost = id_of(&api.practice(&bob, 6).await);
    let end = api.play(&bob, &lost, &planted(6).script(None)).await;
    assert_eq!(end["status"], "lost", "{end}");
    for (who, id) in [(&alice, &won), (&bob, &lost)] {
        let game = api.game(who, id).await.expect(200);
        assert_eq!(game["recorded"], true, "recorded with score: {game}");
    }
    ((alice, won), (bob, lost))
}

async fn scores_are_exact(api: &Api) {
    let alice = api.stats("alice").await;
    assert_eq!(alice["practice"]["won"], 1, "{alice}");
    let bob = api.stats("bob").await;
    assert_eq!(bob["practice"]["played"], 1, "{bob}");
    assert_eq!(bob["practice"]["won"], 0, "{bob}");
}

async fn scores_of_alice_stay(api: &Api) {
    let alice = api.stats("alice").await;
    assert_eq!(alice["practice"]["won"], 1, "{alice}");
}

async fn one_database_serves_every_store(backend: Backend) {
    let (app, api) = TestHost::builder("spin.toml")
        .planted()
        .backend(backend)
        .one_database()
        .start_with_api()
        .await;
    let ((alice, _), (bob, _)) = play_two_games(&api).await;
    scores_are_exact(&api).await;
    // The daily game and its record: motus's daily key and score's day board side by side.
    let daily = api.new_game_reply(&alice, "daily", None).await.expect(201);
    let word = planted(daily["length"].as_u64().unwrap());
    let end = api.play(&alice, &id_of(&daily), &[word.word]).await;
    assert_eq!((end["status"].as_str(), tries_of(&end)), (Some("won"), 1));
    let due = points(true, word.word.len() as u64, 1);
    let stats = api.stats("alice").await;
    assert_eq!(
        (&stats["won"], &stats["total"]),
        (&json!(1), &json!(due)),
        "{stats}"
    );
    let board = api.leaderboard("all").await;
    assert_eq!(
        board["entries"],
        json!([{ "rank": 1, "player": "alice", "points": due, "played": 1, "won": 1 }])
    );
    // Deleting bob reaches all three services' keys and no one else's.
    api.json(
        Method::DELETE,
        "/auth/me",
        bob.token(),
        json!({ "password": PASSWORD }),
    )
    .await
    .expect(204);
    let login = api.login_reply("bob", PASSWORD).await;
    assert_eq!(login.status, 401, "bob's account is gone: {}", login.text);
    let history = api.history("bob", None).await;
    assert!(
        history.status == 404 || history.json()["items"] == json!([]),
        "bob's history is gone: {} {}",
        history.status,
        history.text
    );
    scores_of_alice_stay(&api).await;
    api.login("alice", PASSWORD).await;
    assert!(all_keys_are_namespaced(&app) > 10);
}

#[tokio::test(flavor = "multi_thread")]
async fn games_are_recorded_when_every_store_shares_one_sqlite_file() {
    one_database_serves_every_store(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn games_are_recorded_when_every_store_shares_one_redis_database() {
    one_database_serves_every_store(Backend::Redis).await;
}

async fn data_survives_the_upgrade_to_namespaced_keys(backend: Backend) {
    let (mut app, api) = TestHost::builder("spin.toml")
        .planted()
        .backend(backend)
        .start_with_api()
        .await;
    let ((alice, won), (bob, lost)) = play_two_games(&api).await;
    let ongoing = id_of(&api.practice(&alice, 8).await);
    api.play(&alice, &ongoing, &planted(8).misses[..2]).await;
    let before = everything_players_see(&api, &[(&alice, &won), (&bob, &lost)]).await;

    app.stop_keeping_state().await;
    let mut bare = 0;
    for (label, location) in app.store_locations() {
        to_bare_layout(&label, &location);
        let keys = raw_keys(&label, &location);
        assert!(keys.iter().all(|k| !k.contains('/')), "{label}: {keys:?}");
        bare += keys.len();
    }
    assert!(
        bare > 10,
        "the old layout holds the players' data ({bare} keys)"
    );
    app.restart().await;

    let after = everything_players_see(&api, &[(&alice, &won), (&bob, &lost)]).await;
    assert_eq!(after, before, "accounts, games and scores read the same");
    api.login("alice", PASSWORD).await;
    api.register_reply("bob", PASSWORD)
        .await
        .expect_error(409, "username_taken");
    let end = api.guess(&alice, &ongoing, "CHOCOLAT").await.expect(200);
    assert_eq!((end["status"].as_str(), tries_of(&end)), (Some("won"), 3));
    let stats = api.stats("alice").await;
    assert_eq!(
        stats["practice"]["won"], 2,
        "counted on top of the old: {stats}"
    );
    assert!(all_keys_are_namespaced(&app) >= bare, "every old key moved");
}

#[tokio::test(flavor = "multi_thread")]
async fn accounts_games_and_scores_survive_the_upgrade_on_sqlite() {
    data_survives_the_upgrade_to_namespaced_keys(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn accounts_games_and_scores_survive_the_upgrade_on_redis() {
    data_survives_the_upgrade_to_namespaced_keys(Backend::Redis).await;
}
