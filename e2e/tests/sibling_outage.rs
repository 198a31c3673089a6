//! A sibling made unavailable, then brought back, on the same state and port: the callers
//! answer a clear 502/503 naming the missing service (or go on without it where it is not
//! essential), nothing is lost, and everything works again when it returns.
//!
//! "Down" is the sibling taken out of the manifest (e2e/manifests/score-down.toml,
//! auth-down.toml): its `*.spin.internal` calls find no destination, as when it is not running.
//! The outage is a restart of the host with that manifest ([`e2e::TestHost::restart_with_manifest`]),
//! the recovery a restart with spin.toml. Both run on SQLite, and on Redis with `MOTUS_TEST_KV=redis`.

use e2e::api::{id_of, planted, points, Api, Reply, WebClient as Browser, PASSWORD};
use e2e::TestHost;

use serde_json::{json, Value};

/// Asserts the webapp's answer for a sibling it cannot use: `status` with the shared error
/// shape, the code, the service named, and `Retry-After` on a 503.
#[track_caller]
fn assert_sibling_error(reply: &Reply, status: u16, code: &str, service: &str) {
    reply.expect_error(status, code);
    assert_eq!(reply.json()["error"]["service"], service, "{}", reply.text);
    if status == 503 {
        assert!(
            reply.header("retry-after").is_some(),
            "503 without Retry-After"
        );
    }
}

/// Why these tests do not run on real Spin: "down" here is a sibling missing from the manifest.
const SIBLING_MISSING_TRAPS: &str = "on Spin 4 a call to a *.spin.internal component missing \
    from the manifest traps the caller (unknown routing destination: empty 500), so a sibling \
    taken out of the manifest cannot stand for one that is down";

async fn start(manifest: &str) -> (TestHost, Api, Browser) {
    let (app, api) = e2e::start_planted(manifest).await;
    let browser = Browser::new(api.clone());
    (app, api, browser)
}

#[tokio::test(flavor = "multi_thread")]
async fn games_finished_while_score_is_down_are_recorded_exactly_once_when_it_returns() {
    if e2e::skip_on_spin(SIBLING_MISSING_TRAPS) {
        return;
    }
    let (mut app, api, mut browser) = start("e2e/manifests/score-down.toml").await;

    // Through the webapp: the account, the page and the game work without score.
    browser.register("alice").await.expect(201);
    let me = browser.get("/api/me").await.expect(200);
    assert_eq!(
        (&me["stats"], &me["degraded"]),
        (&Value::Null, &json!(["score"])),
        "{me}"
    );
    assert_sibling_error(
        &browser.get("/api/leaderboard?period=all").await,
        503,
        "service_unavailable",
        "score",
    );
    assert_sibling_error(
        &browser.get("/api/history").await,
        503,
        "service_unavailable",
        "score",
    );
    // Daily games: only they score (practice has stats of its own and no points).
    let game = browser
        .post("/api/games", json!({ "mode": "daily" }))
        .await
        .expect(201);
    let alice_game = id_of(&game);
    let length = game["length"].as_u64().unwrap();
    let mut last = Value::Null;
    for word in planted(length).script(Some(2)) {
        let path = format!("/api/games/{alice_game}/guesses");
        last = browser
            .post(&path, json!({ "word": word }))
            .await
            .expect(200);
    }
    assert_eq!(
        (
            &last["status"],
            &last["recorded"],
            &last["score"],
            &last["degraded"]
        ),
        (
            &json!("won"),
            &json!(false),
            &Value::Null,
            &json!(["score"])
        ),
        "a guess motus accepted is not an error: {last}"
    );

    // Straight to motus: the finishing guess is accepted, the game waits to be recorded.
    let bob = api.register("bob").await;
    let bob_game = id_of(&api.new_game_reply(&bob, "daily", None).await.expect(201));
    let won = api
        .play(&bob, &bob_game, &planted(length).script(Some(3)))
        .await;
    assert_eq!(
        (&won["status"], &won["recorded"]),
        (&json!("won"), &json!(false)),
        "{won}"
    );

    app.restart_with_manifest("spin.toml").await;

    // Score is back: the page is whole again.
    let me = browser.get("/api/me").await.expect(200);
    assert_eq!(me["degraded"], json!([]), "{me}");
    browser.get("/api/leaderboard?period=all").await.expect(200);
    // The reads that retry: alice reloads her game through the webapp (motus settles it, and the
    // webapp also asks score); bob starts his next game (motus settles the previous one first).
    let reloaded = browser
        .get(&format!("/api/games/{alice_game}"))
        .await
        .expect(200);
    assert_eq!(reloaded["recorded"], true, "{reloaded}");
    assert_eq!(
        reloaded["score"]["points"],
        points(true, length, 2),
        "{reloaded}"
    );
    api.practice(&bob, 8).await;
    assert_eq!(
        api.game(&bob, &bob_game).await.expect(200)["recorded"],
        true
    );

    // Exactly once: more reads, a direct repeat to score, then the counts.
    browser
        .get(&format!("/api/games/{alice_game}"))
        .await
        .expect(200);
    api.game(&bob, &bob_game).await.expect(200);
    let alice = api.login("alice", PASSWORD).await;
    api.record(&alice_game, Some(&alice)).await.expect(200);
    api.record(&bob_game, Some(&bob)).await.expect(200);
    for (player, tries, history) in [("alice", 2, "/api/history"), ("bob", 3, "")] {
        let stats = api.stats(player).await;
        assert_eq!(
            (
                stats["played"].as_u64(),
                stats["won"].as_u64(),
                stats["total"].as_u64()
            ),
            (Some(1), Some(1), Some(points(true, length, tries))),
            "{player}: {stats}"
        );
        let who = if player == "alice" { &alice } else { &bob };
        let items = api.history(player, Some(who)).await.expect(200)["items"].clone();
        assert_eq!(items.as_array().unwrap().len(), 1, "{player}: {items}");
        if !history.is_empty() {
            let page = browser.get(history).await.expect(200);
            assert_eq!(page["items"], items);
        }
    }
    let board = api.leaderboard("all").await;
    let entries: Vec<(String, u64, u64)> = board["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["player"].as_str().unwrap().to_owned(),
                e["played"].as_u64().unwrap(),
                e["points"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            ("alice".to_owned(), 1, points(true, length, 2)),
            ("bob".to_owned(), 1, points(true, length, 3))
        ],
        "{board}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn while_auth_is_down_logins_and_guesses_answer_503_and_nothing_is_lost() {
    if e2e::skip_on_spin(SIBLING_MISSING_TRAPS) {
        return;
    }
    let (mut app, api, mut browser) = start("spin.toml").await;
    browser.register("carol").await.expect(201);
    let carol = api.login("carol", PASSWORD).await;
    let game = id_of(&api.practice(&carol, 6).await);
    api.play(&carol, &game, &planted(6).misses[..1]).await;
    let words = |game: &Value| game["guesses"].as_array().unwrap().len();

    app.restart_with_manifest("e2e/manifests/auth-down.toml")
        .await;
    // Its access token has expired: the page needs auth again. (With a live one the player goes
    // on playing through an auth outage: e2e/access_tokens.)
    browser.cookies.retain(|c| !c.starts_with("motus_access="));

    let body = json!({ "username": "carol", "password": PASSWORD });
    assert_sibling_error(
        &browser.post("/api/login", body).await,
        503,
        "service_unavailable",
        "auth",
    );
    let body = json!({ "username": "dave", "password": PASSWORD });
    assert_sibling_error(
        &browser.post("/api/register", body).await,
        503,
        "service_unavailable",
        "auth",
    );
    assert_sibling_error(
        &browser.get("/api/me").await,
        503,
        "service_unavailable",
        "auth",
    );
    // motus cannot check the token: its own 503, which the webapp passes on naming auth, the
    // service that is actually down.
    api.guess(&carol, &game, planted(6).misses[1])
        .await
        .expect_error(503, "service_unavailable");
    assert_sibling_error(
        &browser
            .post(
                &format!("/api/games/{game}/guesses"),
                json!({ "word": planted(6).misses[1] }),
            )
            .await,
        503,
        "service_unavailable",
        "auth",
    );
    // What needs no identity still works.
    browser.get("/api/leaderboard?period=all").await.expect(200);
    api.get("/motus/daily", None).await.expect(200);

    app.restart_with_manifest("spin.toml").await;

    // The session opened before the outage still holds, and no guess counted twice or vanished.
    let me = browser.get("/api/me").await.expect(200);
    assert_eq!(
        (&me["user"]["username"], &me["degraded"]),
        (&json!("carol"), &json!([])),
        "{me}"
    );
    assert_eq!(
        words(&api.game(&carol, &game).await.expect(200)),
        1,
        "the refused guesses wrote nothing"
    );
    let won = api.guess(&carol, &game, "MAISON").await.expect(200);
    assert_eq!(
        (&won["status"], words(&won), &won["recorded"]),
        (&json!("won"), 2, &json!(true)),
        "{won}"
    );
    browser.login("carol", PASSWORD).await.expect(200);
    browser.register("dave").await.expect(201);
}
