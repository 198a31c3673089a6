//! What players built survives a restart of the host: accounts and sessions, games finished and
//! in progress, the daily word, stats, history and leaderboards.

use e2e::api::{id_of, planted, tries_of, Api, Session, PASSWORD};
use e2e::{Backend, TestHost};
use serde_json::Value;

/// What alice's account, games, stats, history and the leaderboard show: a restart keeps it all.
async fn everything_alice_sees(
    api: &Api,
    alice: &Session,
    finished: &str,
    ongoing: &str,
) -> [Value; 7] {
    [
        api.me(&alice.token).await.expect(200),
        api.game(alice, finished).await.expect(200),
        api.game(alice, ongoing).await.expect(200),
        api.get("/motus/daily", None).await.expect(200),
        api.stats("alice").await,
        api.get("/score/alice/history", None).await.expect(200),
        api.leaderboard("all").await,
    ]
}

async fn data_survives_a_restart(backend: Backend) {
    let (mut app, api) = TestHost::builder("spin.toml")
        .planted()
        .backend(backend)
        .start_with_api()
        .await;
    let alice = api.register("alice").await;
    let finished = id_of(&api.practice(&alice, 7).await);
    api.play(&alice, &finished, &planted(7).script(Some(3)))
        .await;
    let ongoing = id_of(&api.practice(&alice, 8).await);
    api.play(&alice, &ongoing, &planted(8).misses[..2]).await;
    let daily = api.new_game_reply(&alice, "daily", None).await.expect(201);
    let daily_word = planted(daily["length"].as_u64().unwrap());
    api.guess(&alice, &id_of(&daily), daily_word.misses[0])
        .await
        .expect(200);
    let snapshot = everything_alice_sees(&api, &alice, &finished, &ongoing).await;

    app.restart().await;

    let after = everything_alice_sees(&api, &alice, &finished, &ongoing).await;
    assert_eq!(after, snapshot);
    api.login("alice", PASSWORD).await;
    api.register_reply("alice", PASSWORD)
        .await
        .expect_error(409, "username_taken");
    let resumed = api.new_game_reply(&alice, "daily", None).await.expect(200);
    assert_eq!(
        (id_of(&resumed), tries_of(&resumed)),
        (id_of(&daily), 1),
        "today's game goes on"
    );
    let won = api.guess(&alice, &ongoing, "CHOCOLAT").await.expect(200);
    assert_eq!((won["status"].as_str(), tries_of(&won)), (Some("won"), 3));
    let stats = api.stats("alice").await;
    assert_eq!(
        (&stats["practice"]["played"], &stats["practice"]["won"]),
        (&2.into(), &2.into()),
        "practice games, counted apart: {stats}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn accounts_games_and_stats_survive_a_restart_on_sqlite() {
    data_survives_a_restart(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn accounts_games_and_stats_survive_a_restart_on_redis() {
    data_survives_a_restart(Backend::Redis).await;
}
