//! Smaller races at the edges of each service: one name claimed many times at once, a brute force
//! sent in parallel, one daily game claimed many times at once, the seed route without a current
//! game, and administrator credits landing together. Each runs on SQLite and on Redis.

use e2e::api::{id_of, planted, tries_of, Api, Reply, PASSWORD};
use e2e::concurrent::{at_once, statuses};
use e2e::{Backend, TestHost};
use serde_json::json;
use std::collections::BTreeMap;

const ADMIN: &str = "race-admin-token";

async fn start(backend: Backend) -> (TestHost, Api) {
    e2e::clear_of_a_lockout_window_end().await;
    TestHost::builder("spin.toml")
        .planted()
        .variable("admin_token", ADMIN)
        .backend(backend)
        .start_with_api()
        .await
}

async fn one_name_registered_at_once_in_many_cases_makes_one_account(backend: Backend) {
    let (_app, api) = start(backend).await;
    let spellings = ["Zoe", "zoe", "ZOE", "zOe", "ZoE", "zoE", "ZOe", "zOE"];

    let replies = at_once(16, |i| {
        let api = api.clone();
        async move {
            api.register_reply(
                spellings[i % spellings.len()],
                &format!("password number {i}"),
            )
            .await
        }
    })
    .await;

    assert_eq!(
        statuses(&replies),
        BTreeMap::from([(201, 1), (409, 15)]),
        "{replies:#?}"
    );
    let winner = replies.iter().position(|r| r.status == 201).unwrap();
    assert_eq!(
        replies[winner].json()["username"],
        spellings[winner % spellings.len()]
    );
    api.login("zoe", &format!("password number {winner}")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn one_name_registered_at_once_in_many_cases_makes_one_account_on_sqlite() {
    one_name_registered_at_once_in_many_cases_makes_one_account(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn one_name_registered_at_once_in_many_cases_makes_one_account_on_redis() {
    one_name_registered_at_once_in_many_cases_makes_one_account(Backend::Redis).await;
}

async fn a_parallel_brute_force_still_locks_the_name(backend: Backend) {
    let (_app, api) = start(backend).await;
    api.register("alice").await;

    let replies = at_once(20, |i| {
        let api = api.clone();
        async move { api.login_reply("alice", &format!("guess number {i}")).await }
    })
    .await;

    let counts = statuses(&replies);
    assert!(counts.keys().all(|s| [401, 429].contains(s)), "{counts:?}");
    let right = api.login_reply("alice", PASSWORD).await;
    right.expect_error(429, "too_many_attempts");
    assert!(right.header("retry-after").is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_parallel_brute_force_still_locks_the_name_on_sqlite() {
    a_parallel_brute_force_still_locks_the_name(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_parallel_brute_force_still_locks_the_name_on_redis() {
    a_parallel_brute_force_still_locks_the_name(Backend::Redis).await;
}

async fn one_daily_game_claimed_at_once_is_one_game(backend: Backend) {
    let (_app, api) = start(backend).await;
    let alice = api.register("alice").await;

    let replies = at_once(32, |_| {
        let (api, alice) = (api.clone(), alice.clone());
        async move { api.new_game_reply(&alice, "daily", None).await }
    })
    .await;

    assert_eq!(statuses(&replies), BTreeMap::from([(200, 31), (201, 1)]));
    let ids: Vec<String> = replies.iter().map(|r| id_of(&r.json())).collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn one_daily_game_claimed_at_once_is_one_game_on_sqlite() {
    one_daily_game_claimed_at_once_is_one_game(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn one_daily_game_claimed_at_once_is_one_game_on_redis() {
    one_daily_game_claimed_at_once_is_one_game(Backend::Redis).await;
}

/// The seed route creates today's game when the player has none: many first guesses at once
/// must still land in one game and use at most its six tries.
async fn seed_route_guesses_at_once_share_one_daily_game(backend: Backend) {
    let (_app, api) = start(backend).await;
    let alice = api.register("alice").await;
    let daily = api.get("/motus/daily", None).await.expect(200);
    let word = planted(daily["length"].as_u64().unwrap());

    let replies = at_once(32, |i| {
        let (api, alice) = (api.clone(), alice.clone());
        async move {
            api.post(
                "/motus/guess",
                alice.token(),
                json!({ "word": word.misses[i % 6] }),
            )
            .await
        }
    })
    .await;

    let counts = statuses(&replies);
    assert!(
        counts.keys().all(|s| [200, 409].contains(s)),
        "{replies:#?}"
    );
    let accepted: Vec<_> = replies
        .iter()
        .filter(|r| r.status == 200)
        .map(Reply::json)
        .collect();
    let ids: Vec<String> = accepted.iter().map(id_of).collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "one game: {ids:?}");
    let game = api.new_game_reply(&alice, "daily", None).await.expect(200);
    assert_eq!(id_of(&game), ids[0]);
    assert_eq!(
        (tries_of(&game), accepted.len()),
        (6, 6),
        "six misses and no more: {game}"
    );
    assert_eq!(game["status"], "lost");
}

#[tokio::test(flavor = "multi_thread")]
async fn seed_route_guesses_at_once_share_one_daily_game_on_sqlite() {
    seed_route_guesses_at_once_share_one_daily_game(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn seed_route_guesses_at_once_share_one_daily_game_on_redis() {
    seed_route_guesses_at_once_share_one_daily_game(Backend::Redis).await;
}

async fn admin_credits_at_once_all_count(backend: Backend) {
    let (_app, api) = start(backend).await;

    let replies = at_once(32, |i| {
        let api = api.clone();
        async move {
            api.post(
                "/score/update",
                Some(ADMIN),
                json!({ "player": "alice", "score": i + 1 }),
            )
            .await
        }
    })
    .await;

    assert_eq!(
        statuses(&replies),
        BTreeMap::from([(200, 32)]),
        "{replies:#?}"
    );
    let total = (1..=32).sum::<u64>();
    let stats = api.stats("alice").await;
    assert_eq!(
        (&stats["total"], &stats["played"]),
        (&json!(total), &json!(0)),
        "{stats}"
    );
    for period in ["all", "week", "day"] {
        let board = api.leaderboard(period).await;
        assert_eq!(board["entries"][0]["points"], total, "{period}: {board}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_credits_at_once_all_count_on_sqlite() {
    admin_credits_at_once_all_count(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_credits_at_once_all_count_on_redis() {
    admin_credits_at_once_all_count(Backend::Redis).await;
}
