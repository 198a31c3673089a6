//! docs/deploy.md, "Backup and restore", done as an operator would: `redis-cli --rdb` takes a
//! snapshot of the live Redis the app writes to, a new redis-server starts from that file, and
//! the app pointed at it finds every account, game, stat and leaderboard entry, while the old
//! server has been emptied (so nothing can come from there).

use e2e::api::{id_of, planted, Api, Session, PASSWORD};
use e2e::{Backend, RedisServer, TestHost};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

async fn what_players_see(
    api: &Api,
    alice: &Session,
    bob: &Session,
    games: &[String],
) -> Vec<Value> {
    let mut seen = vec![
        api.me(&alice.token).await.expect(200),
        api.me(&bob.token).await.expect(200),
        api.stats("alice").await,
        api.get("/score/alice/history", None).await.expect(200),
        api.leaderboard("all").await,
    ];
    for id in games {
        seen.push(api.game(alice, id).await.expect(200));
    }
    seen
}

/// The port of the Redis every label of `runtime_config` points at.
fn redis_port(runtime_config: &Path) -> u16 {
    let text = std::fs::read_to_string(runtime_config).unwrap();
    let url = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("url = \"redis://127.0.0.1:"))
        .expect("a Redis runtime config");
    url.split(['/', '"']).next().unwrap().parse().unwrap()
}

fn redis_cli(port: u16, args: &[&str]) -> String {
    let out = Command::new("redis-cli")
        .args(["-h", "127.0.0.1", "-p", &port.to_string()])
        .args(args)
        .output()
        .expect("redis-cli (Debian's redis-tools, beside redis-server)");
    assert!(
        out.status.success(),
        "redis-cli {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `dbN:keys=K` for every database that holds keys (`INFO keyspace` less its TTL figures, which
/// move with time).
fn key_counts(port: u16) -> Vec<String> {
    redis_cli(port, &["INFO", "keyspace"])
        .lines()
        .filter_map(|line| line.split(',').next().filter(|db| db.starts_with("db")))
        .map(str::to_owned)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_rdb_snapshot_restored_into_a_new_redis_brings_back_accounts_games_and_scores() {
    let (mut app, api) = TestHost::builder("spin.toml")
        .planted()
        .backend(Backend::Redis)
        .start_with_api()
        .await;
    let alice = api.register("alice").await;
    let bob = api.register("bob").await;
    let won = id_of(&api.practice(&alice, 7).await);
    api.play(&alice, &won, &planted(7).script(Some(2))).await;
    let ongoing = id_of(&api.practice(&alice, 8).await);
    api.play(&alice, &ongoing, &planted(8).misses[..2]).await;
    let games = [won, ongoing];
    let before = what_players_see(&api, &alice, &bob, &games).await;

    let live = redis_port(app.runtime_config());
    let backup = tempfile::tempdir().unwrap();
    let rdb = backup.path().join("dump.rdb");
    redis_cli(live, &["--rdb", rdb.to_str().unwrap()]);
    let keys_per_db = key_counts(live);
    assert!(
        keys_per_db.len() >= 3,
        "auth, motus and score each wrote: {keys_per_db:?}"
    );
    redis_cli(live, &["FLUSHALL"]);

    let restored = RedisServer::from_snapshot(backup.path()).await;
    assert_eq!(
        key_counts(restored.port()),
        keys_per_db,
        "every database, every key"
    );
    app.stop_keeping_state().await;
    let config = std::fs::read_to_string(app.runtime_config()).unwrap();
    let moved = config.replace(&format!(":{live}/"), &format!(":{}/", restored.port()));
    std::fs::write(app.runtime_config(), moved).unwrap();
    app.restart().await;

    assert_eq!(what_players_see(&api, &alice, &bob, &games).await, before);
    api.login("bob", PASSWORD).await;
    let finished = api.guess(&alice, &games[1], "CHOCOLAT").await.expect(200);
    assert_eq!(
        finished["status"], "won",
        "a game in progress goes on after the restore"
    );
}
