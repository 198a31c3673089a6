//! score's public API through the real host: recording finished games exactly once, stats,
//! history pages, leaderboards, and the admin-only seed route `POST /score/update`.

use e2e::api::{id_of, planted, points, Api, Session};
use e2e::TestHost;
use reqwest::Method;
use serde_json::{json, Value};

/// The real app, where motus hands every finished game to score itself.
async fn start() -> (TestHost, Api) {
    e2e::start_planted("spin.toml").await
}

/// The app with motus unable to reach score: finished games wait for a client to record them.
async fn start_unlinked() -> (TestHost, Api) {
    e2e::start_planted("e2e/manifests/score-unlinked.toml").await
}

/// Plays a practice game of `length` letters, won at try `tries` or lost with `None`.
async fn finished(api: &Api, who: &Session, length: u64, tries: Option<usize>) -> Value {
    let id = id_of(&api.practice(who, length).await);
    api.play(who, &id, &planted(length).script(tries)).await
}

/// Plays today's daily game, won at try `tries` or lost with `None`; returns the last answer
/// and the word's length. Only daily games score.
async fn daily(api: &Api, who: &Session, tries: Option<usize>) -> (Value, u64) {
    let game = api.new_game_reply(who, "daily", None).await.expect(201);
    let length = game["length"].as_u64().unwrap();
    let last = api
        .play(who, &id_of(&game), &planted(length).script(tries))
        .await;
    (last, length)
}

#[tokio::test(flavor = "multi_thread")]
async fn recording_a_finished_game_answers_201_then_200_with_the_same_body() {
    let (_app, api) = start_unlinked().await;
    let alice = api.register("alice").await;
    let (game, length) = daily(&api, &alice, Some(2)).await;
    assert_eq!(
        game["recorded"], false,
        "motus cannot reach score here: {game}"
    );
    let id = id_of(&game);
    let due = points(true, length, 2);

    api.record(&id, None)
        .await
        .expect_error(401, "unauthenticated");
    let first = api.record(&id, Some(&alice)).await;
    let repeat = api.record(&id, Some(&alice)).await;

    let body = first.expect(201);
    assert_eq!(
        body,
        json!({ "game_id": id, "player": "alice", "points": due, "won": true, "tries": 2,
                "mode": "daily", "date": game["date"] })
    );
    assert_eq!(repeat.expect(200), body);
    let stats = api.stats("alice").await;
    assert_eq!(
        (stats["played"].as_u64(), stats["total"].as_u64()),
        (Some(1), Some(due)),
        "{stats}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_game_finished_through_motus_is_already_recorded() {
    let (_app, api) = start().await;
    let alice = api.register("alice").await;

    let (game, length) = daily(&api, &alice, Some(1)).await;

    assert_eq!(game["recorded"], true);
    let due = points(true, length, 1);
    let stats = api.stats("alice").await;
    assert_eq!(
        (stats["played"].as_u64(), stats["total"].as_u64()),
        (Some(1), Some(due)),
        "{stats}"
    );
    let body = api.record(&id_of(&game), Some(&alice)).await.expect(200);
    assert_eq!(body["points"], due);
    assert_eq!(api.stats("alice").await, stats, "a repeat changes nothing");
}

#[tokio::test(flavor = "multi_thread")]
async fn only_finished_games_can_be_recorded() {
    let (_app, api) = start().await;
    let alice = api.register("alice").await;
    let playing = id_of(&api.practice(&alice, 6).await);
    let cases = [
        (json!({ "game_id": playing }), 409, "game_not_finished"),
        (
            json!({ "game_id": "0123456789abcdef0123456789abcdef" }),
            409,
            "game_not_finished",
        ),
        (json!({ "game_id": "not-a-game" }), 400, "invalid_game_id"),
        (
            json!({ "game_id": "../../auth/me" }),
            400,
            "invalid_game_id",
        ),
        (json!({ "game_id": "a b" }), 400, "invalid_game_id"),
        (json!({ "game_id": "" }), 400, "invalid_game_id"),
        (json!({ "game_id": 42 }), 400, "invalid_json"),
        (json!({}), 400, "invalid_json"),
    ];

    api.post("/score/games", None, json!({ "game_id": playing }))
        .await
        .expect_error(401, "unauthenticated");
    for (body, status, code) in cases {
        let reply = api.post("/score/games", alice.token(), body.clone()).await;
        assert_eq!(
            (reply.status, reply.error_code().as_str()),
            (status, code),
            "{body}"
        );
    }
    assert_eq!(api.stats("alice").await["played"], 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn stats_count_daily_games_and_practice_apart_and_streaks_count_daily_wins() {
    let (_app, api) = start().await;
    let alice = api.register("alice").await;
    finished(&api, &alice, 6, Some(1)).await;
    finished(&api, &alice, 10, Some(3)).await;
    finished(&api, &alice, 7, None).await;
    let practice_only = api.stats("alice").await;
    let (_, length) = daily(&api, &alice, Some(2)).await;

    let stats = api.stats("alice").await;

    assert_eq!(
        (
            &practice_only["total"],
            &practice_only["played"],
            &practice_only["current_streak"],
            &practice_only["practice"]["played"]
        ),
        (&json!(0), &json!(0), &json!(0), &json!(3)),
        "practice earns no points: {practice_only}"
    );
    assert_eq!(
        stats,
        json!({ "player": "alice", "total": points(true, length, 2), "played": 1, "won": 1,
                "win_rate": 1.0, "current_streak": 1, "best_streak": 1,
                "distribution": { "1": 0, "2": 1, "3": 0, "4": 0, "5": 0, "6": 0 },
                "practice": { "played": 3, "won": 2, "win_rate": 0.667,
                              "distribution": { "1": 1, "2": 0, "3": 1, "4": 0, "5": 0, "6": 0 } } })
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_player_without_games_has_zero_stats_and_bad_names_are_refused() {
    let (_app, api) = start().await;

    let stats = api.stats("newcomer").await;

    assert_eq!(
        (
            stats["player"].as_str(),
            stats["total"].as_u64(),
            stats["played"].as_u64()
        ),
        (Some("newcomer"), Some(0), Some(0))
    );
    for bad in ["x", "zo%C3%A9", "a%20b", &"n".repeat(21)] {
        api.get(&format!("/score/{bad}"), None)
            .await
            .expect_error(400, "invalid_player");
        api.get(&format!("/score/{bad}/history"), None)
            .await
            .expect_error(400, "invalid_player");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn history_pages_go_newest_first_and_end_with_a_null_cursor() {
    let (_app, api) = start().await;
    let alice = api.register("alice").await;
    let mut played = Vec::new();
    for length in [6, 7, 8, 9, 10] {
        played.push(id_of(&finished(&api, &alice, length, Some(1)).await));
    }

    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = cursor
            .as_ref()
            .map(|c| format!("&cursor={c}"))
            .unwrap_or_default();
        let page = api
            .get(&format!("/score/alice/history?limit=2{query}"), None)
            .await
            .expect(200);
        pages.push(page["items"].as_array().unwrap().clone());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
        assert!(pages.len() < 5, "the cursor must move on: {page}");
    }

    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 1]);
    let listed: Vec<String> = pages
        .concat()
        .iter()
        .map(|i| i["game_id"].as_str().unwrap().to_owned())
        .collect();
    played.reverse();
    assert_eq!(listed, played, "newest first, each game once");
    let newest = &pages[0][0];
    assert_eq!(
        (
            &newest["mode"],
            &newest["length"],
            &newest["won"],
            &newest["tries"],
            &newest["points"],
            &newest["answer"]
        ),
        (
            &json!("practice"),
            &json!(10),
            &json!(true),
            &json!(1),
            &json!(0),
            &json!("CHAMPIGNON")
        )
    );
    assert!(
        newest["date"].is_string() && newest["finished_at"].is_u64(),
        "{newest}"
    );
    let all = api.get("/score/alice/history", None).await.expect(200);
    assert_eq!(
        (all["items"].as_array().unwrap().len(), &all["next_cursor"]),
        (5, &Value::Null)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn history_refuses_bad_limits_and_cursors() {
    let (_app, api) = start().await;
    let cases = [
        ("limit=0", "invalid_query"),
        ("limit=101", "invalid_query"),
        ("limit=-1", "invalid_query"),
        ("limit=ten", "invalid_query"),
        ("limit=99999999999999999999999", "invalid_query"),
        ("cursor=garbage", "invalid_query"),
        ("cursor=-3", "invalid_query"),
    ];

    for (query, code) in cases {
        let reply = api
            .get(&format!("/score/alice/history?{query}"), None)
            .await;
        assert_eq!(
            (reply.status, reply.error_code().as_str()),
            (400, code),
            "{query}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn leaderboards_rank_players_by_points_with_shared_ranks() {
    let (_app, api) = start().await;
    let names: Vec<String> = ["alice", "bob", "carol", "dave"].map(String::from).to_vec();
    let players = api.register_all(&names).await;
    let (game, length) = daily(&api, &players[0], Some(2)).await;
    daily(&api, &players[1], Some(2)).await;
    daily(&api, &players[2], Some(1)).await;
    daily(&api, &players[3], None).await;
    // Practice never ranks, however well it goes.
    finished(&api, &players[3], 10, Some(1)).await;

    let boards = [
        api.leaderboard("all").await,
        api.leaderboard("week").await,
        api.leaderboard("day").await,
    ];

    let (first, second) = (points(true, length, 1), points(true, length, 2));
    let expected = json!([
        { "rank": 1, "player": "carol", "points": first, "played": 1, "won": 1 },
        { "rank": 2, "player": "alice", "points": second, "played": 1, "won": 1 },
        { "rank": 2, "player": "bob", "points": second, "played": 1, "won": 1 },
        { "rank": 4, "player": "dave", "points": 0, "played": 1, "won": 0 },
    ]);
    for (board, period) in boards.iter().zip(["all", "week", "day"]) {
        assert_eq!(board["period"], period);
        assert_eq!(board["entries"], expected, "{period}");
    }
    assert_eq!(boards[0]["key"], "all");
    let date = game["date"].as_str().unwrap();
    assert_eq!(boards[1]["key"], iso_week(date), "the ISO week of {date}");
    assert_eq!(boards[2]["key"], game["date"], "today's Paris date");
    let top = api
        .get("/score/leaderboard?limit=1", None)
        .await
        .expect(200);
    assert_eq!(
        (&top["period"], &top["entries"]),
        (&json!("all"), &json!([expected[0]]))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn leaderboards_refuse_unknown_periods_and_bad_limits() {
    let (_app, api) = start().await;
    let cases = [
        ("period=year", "invalid_query"),
        ("period=", "invalid_query"),
        ("period=ALL", "invalid_query"),
        ("limit=0", "invalid_query"),
        ("limit=101", "invalid_query"),
        ("limit=x", "invalid_query"),
    ];

    for (query, code) in cases {
        let reply = api.get(&format!("/score/leaderboard?{query}"), None).await;
        assert_eq!(
            (reply.status, reply.error_code().as_str()),
            (400, code),
            "{query}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_seed_credit_route_is_refused_when_no_admin_token_is_configured() {
    let (_app, api) = start().await;
    let alice = api.register("alice").await;
    finished(&api, &alice, 6, Some(1)).await;
    let before = (api.stats("alice").await, api.leaderboard("all").await);
    let credit = json!({ "player": "alice", "score": 1000 });

    for token in [None, Some(""), Some("anything"), Some(alice.token.as_str())] {
        let reply = api.post("/score/update", token, credit.clone()).await;
        assert_eq!(
            (reply.status, reply.error_code().as_str()),
            (403, "forbidden"),
            "{token:?}"
        );
    }

    assert_eq!(
        (api.stats("alice").await, api.leaderboard("all").await),
        before,
        "nothing changed"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_seed_credit_route_needs_the_admin_token_and_adds_points_only() {
    let (_app, api) = TestHost::builder("spin.toml")
        .planted()
        .variable("admin_token", "admin-s3cret-token")
        .start_with_api()
        .await;
    let alice = api.register("alice").await;
    let (_, length) = daily(&api, &alice, Some(1)).await;
    let earned = points(true, length, 1);
    let before = api.stats("alice").await;
    let credit = json!({ "player": "alice", "score": 1000 });
    for token in [
        None,
        Some("admin-s3cret-tokeN"),
        Some("admin-s3cret-token2"),
        Some(alice.token.as_str()),
    ] {
        api.post("/score/update", token, credit.clone())
            .await
            .expect_error(403, "forbidden");
    }
    let raw = api.try_send(
        Method::POST,
        "/score/update",
        &[("authorization", "admin-s3cret-token")],
        credit.to_string(),
    );
    raw.await.unwrap().expect_error(403, "forbidden");
    assert_eq!(api.stats("alice").await, before);

    let reply = api
        .post("/score/update", Some("admin-s3cret-token"), credit)
        .await;

    let stats = reply.expect(200);
    assert_eq!(stats["total"], earned + 1000);
    assert_eq!(
        (&stats["played"], &stats["won"]),
        (&before["played"], &before["won"]),
        "a credit is not a game"
    );
    assert_eq!(api.stats("alice").await, stats);
    let all = api.leaderboard("all").await;
    assert_eq!(
        (&all["entries"][0]["player"], &all["entries"][0]["points"]),
        (&json!("alice"), &json!(earned + 1000))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_seed_credit_route_refuses_invalid_credits() {
    let (_app, api) = TestHost::builder("spin.toml")
        .variable("admin_token", "admin-token")
        .start_with_api()
        .await;
    let cases = [
        (json!({ "player": "alice", "score": 0 }), "invalid_score"),
        (json!({ "player": "alice", "score": -5 }), "invalid_score"),
        (
            json!({ "player": "alice", "score": 1_000_001 }),
            "invalid_score",
        ),
        (
            json!({ "player": "alice", "score": i64::MAX }),
            "invalid_score",
        ),
        (json!({ "player": "alice", "score": 1.5 }), "invalid_json"),
        (json!({ "player": "alice", "score": "100" }), "invalid_json"),
        (json!({ "player": "alice", "score": 1e300 }), "invalid_json"),
        (json!({ "player": "alice" }), "invalid_json"),
        (json!({ "player": "x", "score": 10 }), "invalid_player"),
        (json!({ "player": "zoé", "score": 10 }), "invalid_player"),
        (
            json!({ "player": "../alice", "score": 10 }),
            "invalid_player",
        ),
    ];

    for (body, code) in cases {
        let reply = api
            .post("/score/update", Some("admin-token"), body.clone())
            .await;
        assert_eq!(
            (reply.status, reply.error_code().as_str()),
            (400, code),
            "{body}"
        );
    }
    let huge = r#"{"player":"alice","score":99999999999999999999999999}"#;
    let reply = api
        .send(
            Method::POST,
            "/score/update",
            Some("admin-token"),
            Some("application/json"),
            huge,
        )
        .await;
    reply.expect_error(400, "invalid_json");
    assert_eq!(api.stats("alice").await["total"], 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_score_routes_and_wrong_methods_answer_in_json() {
    let (_app, api) = start().await;
    let cases = [
        (Method::GET, "/score/games", 405, Some("POST")),
        (Method::GET, "/score/update", 405, Some("POST")),
        (Method::POST, "/score/alice", 405, Some("GET")),
        (Method::DELETE, "/score/alice/history", 405, Some("GET")),
        (Method::GET, "/score/", 404, None),
        (Method::GET, "/score/alice/history/more", 404, None),
    ];

    for (method, path, status, allow) in cases {
        let reply = api
            .send(method.clone(), path, None, Some("application/json"), "{}")
            .await;
        assert_eq!(reply.status, status, "{method} {path}: {}", reply.text);
        reply.error_code();
        assert_eq!(reply.header("allow"), allow, "{method} {path}");
    }
}

/// `YYYY-Www`, the ISO 8601 week of a `YYYY-MM-DD` date, computed independently of score.
fn iso_week(date: &str) -> String {
    let part = |range: std::ops::Range<usize>| date[range].parse::<i64>().unwrap();
    let day = days_from_civil(part(0..4), part(5..7), part(8..10));
    let weekday = (day + 3).rem_euclid(7); // 0 = Monday; day 0 (1970-01-01) was a Thursday
    let thursday = day - weekday + 3;
    let year = (part(0..4) - 1..=part(0..4) + 1)
        .rev()
        .find(|&y| days_from_civil(y, 1, 1) <= thursday)
        .unwrap();
    let week = (thursday - days_from_civil(year, 1, 1)) / 7 + 1;
    format!("{year}-W{week:02}")
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    era * 146_097 + year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year - 719_468
}

#[test]
fn the_test_iso_week_agrees_with_known_weeks() {
    let cases = [
        ("2026-11-26", "2026-W48"),
        ("2021-01-03", "2020-W53"),
        ("2024-12-30", "2025-W01"),
        ("2027-01-01", "2026-W53"),
        ("1970-01-01", "1970-W01"),
    ];
    for (date, week) in cases {
        assert_eq!(iso_week(date), week, "{date}");
    }
}
