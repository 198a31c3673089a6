//! The score API exercised end to end over the in-memory store and a canned motus.

use futures::executor::block_on;
use serde_json::{json, Value};
use spin_kit::memory::MemKv;
use std::collections::HashMap;
use std::sync::atomic::AtomicUsize;

use super::{handle, ApiError, ApiRequest, Context, Credential, Lookup, Siblings};
use crate::app::Score;
use crate::domain::{GameId, Kv};
use crate::testing::Flaky;

/// 2026-11-26 12:00 in Paris.
const NOW: i64 = 1_795_690_800;
const TODAY: &str = "2026-11-26";
const ADMIN: &str = "s3cret-admin";
const SECRET: &str = "shared-result-secret";

/// The token auth knows for `player` in these tests.
fn token(player: &str) -> String {
    format!("tok-{}", player.to_ascii_lowercase())
}

#[derive(Default)]
struct FakeMotus {
    results: HashMap<String, Value>,
}

impl FakeMotus {
    fn finish(&mut self, id: &str, player: &str, date: &str, won: bool, tries: u32, length: u32) {
        self.results.insert(
            id.into(),
            json!({
                "game_id": id, "player": player, "mode": "daily", "date": date, "length": length,
                "won": won, "tries": tries, "answer": "A".repeat(length as usize),
                "finished_at": NOW as u64
            }),
        );
    }

    fn practice(&mut self, id: &str, player: &str, won: bool, tries: u32, length: u32) {
        self.finish(id, player, TODAY, won, tries, length);
        self.results.get_mut(id).unwrap()["mode"] = json!("practice");
    }
}

/// Motus and auth as score sees them: motus hands a result to the game's player or to the
/// holder of the shared secret, like the real one; auth knows `tok-{name}` as `name`.
impl Siblings for FakeMotus {
    async fn result(&self, id: &GameId, credential: Credential<'_>) -> Result<Lookup, ApiError> {
        let caller = match credential {
            Credential::Secret(SECRET) => None,
            Credential::Secret(_) => return Err(ApiError::Upstream("wrong secret".into())),
            Credential::Player(authorization) => Some(self.whoami(authorization).await?),
        };
        match id.as_str() {
            "down" => Err(ApiError::Upstream("unreachable".into())),
            "hung" => Err(ApiError::UpstreamTimeout(std::time::Duration::from_secs(5))),
            id => match self.results.get(id) {
                Some(body)
                    if caller.as_deref().is_none_or(|name| {
                        body["player"].as_str().unwrap().eq_ignore_ascii_case(name)
                    }) =>
                {
                    Ok(Lookup::Finished(
                        serde_json::from_value(body.clone()).unwrap(),
                    ))
                }
                _ => Ok(Lookup::NotFinished),
            },
        }
    }

    async fn whoami(&self, authorization: &str) -> Result<String, ApiError> {
        match authorization.strip_prefix("Bearer tok-") {
            Some("down") => Err(ApiError::AuthUnavailable),
            Some(name) => Ok(name.to_owned()),
            None => Err(ApiError::Unauthorized("invalid or expired token")),
        }
    }
}

struct Reply {
    status: u16,
    body: Value,
}

impl Reply {
    fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

struct World {
    kv: MemKv,
    motus: FakeMotus,
    admin_token: Option<&'static str>,
    result_secret: Option<&'static str>,
    now: i64,
}

impl World {
    fn new() -> Self {
        Self {
            kv: MemKv::default(),
            motus: FakeMotus::default(),
            admin_token: Some(ADMIN),
            result_secret: Some(SECRET),
            now: NOW,
        }
    }

    fn call_on<K: Kv>(
        &self,
        kv: &K,
        method: &str,
        target: &str,
        auth: Option<&str>,
        body: &str,
    ) -> Reply {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let ctx = Context {
            score: Score::new(kv, self.now),
            siblings: &self.motus,
            admin_token: self.admin_token,
            result_secret: self.result_secret,
        };
        let bearer = auth.map(|t| format!("Bearer {t}"));
        let req = ApiRequest {
            method,
            path,
            query,
            authorization: bearer.as_deref(),
            body: body.as_bytes(),
        };
        let response = block_on(handle(&ctx, &req));
        Reply {
            status: response.status,
            body: serde_json::from_slice(&response.body).unwrap_or(Value::Null),
        }
    }

    fn call(&self, method: &str, target: &str, body: &str) -> Reply {
        self.call_on(&self.kv, method, target, None, body)
    }

    fn record(&self, id: &str) -> Reply {
        self.call(
            "POST",
            "/score/games",
            &json!({ "game_id": id }).to_string(),
        )
    }

    fn get(&self, target: &str) -> Value {
        self.get_as(None, target)
    }

    /// A GET with `player`'s token, or none.
    fn get_as(&self, player: Option<&str>, target: &str) -> Value {
        let token = player.map(token);
        let reply = self.call_on(&self.kv, "GET", target, token.as_deref(), "");
        assert_eq!(reply.status, 200, "{target}: {}", reply.body);
        reply.body
    }

    fn delete(&self, player: &str, token: Option<&str>) -> Reply {
        let target = format!("/score/players/{player}");
        self.call_on(&self.kv, "DELETE", &target, token, "")
    }

    fn credit(&self, token: Option<&str>, body: Value) -> Reply {
        self.call_on(&self.kv, "POST", "/score/update", token, &body.to_string())
    }
}

#[test]
fn a_finished_game_is_recorded_once_then_repeated_with_the_same_body() {
    let mut world = World::new();
    world.motus.finish("g1", "Zoe", TODAY, true, 3, 7);
    let first = world.record("g1");
    assert_eq!(first.status, 201);
    assert_eq!(
        first.body,
        json!({ "game_id": "g1", "player": "Zoe", "points": 280, "won": true, "tries": 3,
                "mode": "daily", "date": TODAY })
    );
    let again = world.record("g1");
    assert_eq!((again.status, &again.body), (200, &first.body));
    assert_eq!(world.get("/score/zoe")["played"], 1);
}

#[test]
fn a_game_motus_does_not_report_as_finished_is_a_conflict() {
    let world = World::new();
    let reply = world.record("still-playing");
    assert_eq!((reply.status, reply.code()), (409, "game_not_finished"));
    assert!(world.kv.keys().is_empty());
}

#[test]
fn motus_failures_and_inconsistent_results_are_bad_gateway() {
    let mut world = World::new();
    world.motus.finish("odd", "Zoe", TODAY, true, 9, 7);
    for id in ["down", "odd"] {
        let reply = world.record(id);
        assert_eq!(
            (reply.status, reply.code()),
            (502, "upstream_error"),
            "{id}"
        );
    }
    assert!(world.kv.keys().is_empty());
}

#[test]
fn a_motus_that_does_not_answer_in_time_is_a_gateway_timeout_naming_it() {
    let world = World::new();
    let reply = world.record("hung");
    assert_eq!((reply.status, reply.code()), (504, "upstream_timeout"));
    assert_eq!(
        reply.body["error"]["message"],
        "motus: no answer within 5000 ms"
    );
    assert!(world.kv.keys().is_empty());
}

#[test]
fn malformed_recording_requests_are_bad_requests() {
    let world = World::new();
    let cases = [
        ("", "invalid_request"),
        ("{}", "invalid_request"),
        ("{\"game_id\":42}", "invalid_request"),
        ("{\"game_id\":\"../etc\"}", "invalid_game_id"),
        ("{\"game_id\":\"\"}", "invalid_game_id"),
    ];
    for (body, code) in cases {
        let reply = world.call("POST", "/score/games", body);
        assert_eq!((reply.status, reply.code()), (400, code), "{body:?}");
    }
}

#[test]
fn stats_sum_up_daily_games_count_daily_streaks_and_keep_practice_apart() {
    let mut world = World::new();
    world.motus.finish("d1", "Zoe", "2026-11-24", true, 1, 6);
    world.motus.finish("d2", "Zoe", "2026-11-25", true, 2, 6);
    world.motus.finish("d3", "Zoe", "2026-11-26", true, 2, 6);
    world.motus.finish("d0", "Zoe", "2026-11-22", true, 6, 6);
    world.motus.practice("p1", "Zoe", false, 6, 8);
    for id in ["d3", "d1", "p1", "d0", "d2"] {
        assert_eq!(world.record(id).status, 201, "{id}");
    }
    let stats = world.get("/score/ZOE");
    assert_eq!(
        stats,
        json!({
            "player": "Zoe", "total": 360 + 300 + 300 + 60, "played": 4, "won": 4,
            "win_rate": 1.0, "current_streak": 3, "best_streak": 3,
            "distribution": { "1": 1, "2": 2, "3": 0, "4": 0, "5": 0, "6": 1 },
            "practice": { "played": 1, "won": 0, "win_rate": 0.0,
                          "distribution": { "1": 0, "2": 0, "3": 0, "4": 0, "5": 0, "6": 0 } }
        })
    );
}

#[test]
fn an_unknown_player_has_zero_stats_and_an_empty_history() {
    let world = World::new();
    let stats = world.get("/score/Nobody");
    assert_eq!(
        (stats["player"].clone(), stats["total"].clone()),
        (json!("Nobody"), json!(0))
    );
    assert_eq!(stats["distribution"]["6"], 0);
    assert_eq!(
        world.get("/score/nobody/history"),
        json!({ "items": [], "next_cursor": null })
    );
    let bad = world.call("GET", "/score/x/history", "");
    assert_eq!((bad.status, bad.code()), (400, "invalid_player"));
}

#[test]
fn history_is_newest_first_and_paginated() {
    let mut world = World::new();
    for n in 0..5 {
        world
            .motus
            .practice(&format!("g{n}"), "Zoe", true, 1 + n, 6);
        world.record(&format!("g{n}"));
    }
    let page = world.get("/score/zoe/history?limit=2");
    let ids: Vec<_> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["game_id"].clone())
        .collect();
    assert_eq!(ids, [json!("g4"), json!("g3")]);
    assert_eq!(page["items"][0]["points"], 0, "practice earns no points");
    assert_eq!(page["items"][0]["answer"], "AAAAAA");

    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let page = world.get(&format!("/score/zoe/history?limit=2&cursor={cursor}"));
    assert_eq!(page["items"][1]["game_id"], "g1");
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let last = world.get(&format!("/score/zoe/history?limit=2&cursor={cursor}"));
    assert_eq!(last["items"].as_array().unwrap().len(), 1);
    assert_eq!(last["next_cursor"], Value::Null);

    for target in [
        "/score/zoe/history?limit=0",
        "/score/zoe/history?limit=101",
        "/score/zoe/history?cursor=x",
    ] {
        assert_eq!(world.call("GET", target, "").status, 400, "{target}");
    }
}

#[test]
fn leaderboards_rank_players_per_period() {
    let mut world = World::new();
    world.motus.finish("a1", "Ann", TODAY, true, 1, 6);
    world.motus.finish("b1", "Bob", "2026-11-23", true, 1, 10);
    world.motus.finish("c1", "Cat", "2026-11-20", true, 1, 10);
    world.motus.finish("d1", "Dan", TODAY, false, 6, 6);
    for id in ["a1", "b1", "c1", "d1"] {
        world.record(id);
    }
    let players = |period: &str| -> Vec<(Value, Value)> {
        let board = world.get(&format!("/score/leaderboard?period={period}"));
        board["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["rank"].clone(), e["player"].clone()))
            .collect()
    };
    assert_eq!(
        players("all"),
        [
            (json!(1), json!("Bob")),
            (json!(1), json!("Cat")),
            (json!(3), json!("Ann")),
            (json!(4), json!("Dan"))
        ]
    );
    assert_eq!(
        players("week"),
        [
            (json!(1), json!("Bob")),
            (json!(2), json!("Ann")),
            (json!(3), json!("Dan"))
        ]
    );
    assert_eq!(
        players("day"),
        [(json!(1), json!("Ann")), (json!(2), json!("Dan"))]
    );

    let board = world.get("/score/leaderboard?period=week&limit=1");
    assert_eq!(
        board,
        json!({ "period": "week", "key": "2026-W48",
                "entries": [{ "rank": 1, "player": "Bob", "points": 600, "played": 1, "won": 1 }] })
    );
    assert_eq!(world.get("/score/leaderboard")["key"], "all");
    assert_eq!(world.get("/score/leaderboard?period=day")["key"], TODAY);
    let bad = world.call("GET", "/score/leaderboard?period=month", "");
    assert_eq!((bad.status, bad.code()), (400, "invalid_period"));
}

#[test]
fn sixty_four_concurrent_recordings_of_one_game_count_it_once() {
    let mut world = World::new();
    world.motus.finish("g", "Zoe", TODAY, true, 2, 8);
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..64)
            .map(|_| s.spawn(|| world.record("g").status))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|&&s| s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(statuses.iter().filter(|&&s| s == 200).count(), 63);
    let stats = world.get("/score/zoe");
    assert_eq!(
        (stats["played"].clone(), stats["total"].clone()),
        (json!(1), json!(400))
    );
    let board = world.get("/score/leaderboard?period=day");
    assert_eq!(board["entries"][0]["points"], 400);
    assert_eq!(
        world.get("/score/zoe/history")["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn two_hundred_games_by_twenty_players_recorded_concurrently_add_up_exactly() {
    let mut world = World::new();
    let mut expected = HashMap::new();
    for n in 0..200u32 {
        let player = format!("player{:02}", n % 20);
        let won = n % 3 != 0;
        let (tries, length) = (if won { 1 + n % 6 } else { 6 }, 6 + n % 5);
        world
            .motus
            .finish(&format!("g{n}"), &player, TODAY, won, tries, length);
        let points = if won { 10 * length * (7 - tries) } else { 0 };
        *expected.entry(player).or_insert(0u64) += u64::from(points);
    }
    std::thread::scope(|s| {
        for chunk in 0..20 {
            let world = &world;
            s.spawn(move || {
                for n in chunk * 10..chunk * 10 + 10 {
                    let reply = world.record(&format!("g{n}"));
                    assert!(reply.status == 201 || reply.status == 200, "{}", reply.body);
                }
            });
        }
    });
    for n in 0..200 {
        assert_eq!(world.record(&format!("g{n}")).status, 200);
    }
    for (player, points) in &expected {
        let stats = world.get(&format!("/score/{player}"));
        assert_eq!(
            (stats["total"].as_u64(), stats["played"].as_u64()),
            (Some(*points), Some(10)),
            "{player}"
        );
    }
    for period in ["all", "week", "day"] {
        let board = world.get(&format!("/score/leaderboard?period={period}&limit=100"));
        let entries = board["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 20, "{period}");
        for entry in entries {
            let player = entry["player"].as_str().unwrap();
            assert_eq!(
                entry["points"].as_u64(),
                Some(expected[player]),
                "{period} {player}"
            );
            assert_eq!(entry["played"], 10);
        }
    }
}

#[test]
fn a_retry_after_a_failure_at_any_step_finishes_the_recording_exactly_once() {
    let mut world = World::new();
    world.motus.finish("g", "Zoe", TODAY, true, 1, 6);
    world.motus.finish("next", "Zoe", "2026-11-25", false, 6, 6);
    for budget in 0..40 {
        world.kv = MemKv::default();
        let flaky = Flaky {
            inner: &world.kv,
            budget: AtomicUsize::new(budget),
        };
        let body = json!({ "game_id": "g" }).to_string();
        let interrupted = world.call_on(&flaky, "POST", "/score/games", None, &body);
        assert!(
            matches!(interrupted.status, 201 | 503),
            "{budget}: {}",
            interrupted.body
        );
        let retried = world.record("g");
        assert!(matches!(retried.status, 200 | 201), "{budget}");
        assert_eq!(retried.body["points"], 360);
        assert_eq!(world.record("g").status, 200);

        let stats = world.get("/score/zoe");
        assert_eq!(
            (stats["played"].as_u64(), stats["total"].as_u64()),
            (Some(1), Some(360)),
            "{budget}"
        );
        assert_eq!(
            world.get("/score/zoe/history")["items"]
                .as_array()
                .unwrap()
                .len(),
            1,
            "{budget}"
        );
        for period in ["all", "week", "day"] {
            let board = world.get(&format!("/score/leaderboard?period={period}"));
            assert_eq!(board["entries"][0]["points"], 360, "{budget} {period}");
        }
        assert_eq!(world.record("next").status, 201);
        let doc: Value = spin_kit::kv::get_json(&world.kv, "player:zoe")
            .unwrap()
            .unwrap();
        assert_eq!(doc["pending"], json!({}), "{budget}");
        assert_eq!(doc["all"]["played"], 2, "{budget}");
    }
}

#[test]
fn the_admin_route_is_refused_without_the_right_token_and_changes_nothing() {
    let mut world = World::new();
    let body = json!({ "player": "Zoe", "score": 50 });
    for token in [None, Some("wrong"), Some(""), Some("s3cret-admiN")] {
        let reply = world.credit(token, body.clone());
        assert_eq!(
            (reply.status, reply.code()),
            (403, "forbidden"),
            "{token:?}"
        );
    }
    for configured in [None, Some("")] {
        world.admin_token = configured;
        assert_eq!(world.credit(Some(""), body.clone()).status, 403);
        assert_eq!(world.credit(Some(ADMIN), body.clone()).status, 403);
    }
    assert!(world.kv.keys().is_empty());
}

#[test]
fn an_admin_credit_adds_to_the_total_and_todays_boards() {
    let mut world = World::new();
    world.motus.finish("g", "Zoe", TODAY, true, 1, 6);
    world.record("g");
    let reply = world.credit(Some(ADMIN), json!({ "player": "zoe", "score": 40 }));
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        (reply.body["total"].clone(), reply.body["played"].clone()),
        (json!(400), json!(1))
    );
    for period in ["all", "week", "day"] {
        let board = world.get(&format!("/score/leaderboard?period={period}"));
        assert_eq!(board["entries"][0]["points"], 400, "{period}");
    }
    for bad in [
        json!({ "player": "Zoe", "score": 0 }),
        json!({ "player": "Zoe", "score": -5 }),
        json!({ "player": "Zoe", "score": 1_000_001 }),
    ] {
        assert_eq!(world.credit(Some(ADMIN), bad).code(), "invalid_score");
    }
    assert_eq!(
        world
            .credit(Some(ADMIN), json!({ "player": "?", "score": 5 }))
            .code(),
        "invalid_player"
    );
    assert_eq!(
        world.credit(Some(ADMIN), json!({ "player": "Zoe" })).code(),
        "invalid_request"
    );
}

#[test]
fn unknown_routes_and_wrong_methods_are_reported() {
    let world = World::new();
    for target in ["/score", "/score/", "/score/a/b/c", "/other"] {
        let reply = world.call("GET", target, "");
        assert_eq!((reply.status, reply.code()), (404, "not_found"), "{target}");
    }
    for (method, target) in [
        ("GET", "/score/games"),
        ("DELETE", "/score/zoe"),
        ("POST", "/score/leaderboard"),
        ("GET", "/score/update"),
    ] {
        let reply = world.call(method, target, "");
        assert_eq!(
            (reply.status, reply.code()),
            (405, "method_not_allowed"),
            "{method} {target}"
        );
    }
}

#[test]
fn practice_games_cannot_lift_a_rank() {
    let mut world = World::new();
    world.motus.finish("d", "Ann", TODAY, true, 6, 6);
    for n in 0..20 {
        world.motus.practice(&format!("p{n}"), "Bob", true, 1, 10);
        assert_eq!(world.record(&format!("p{n}")).status, 201);
    }
    world.record("d");
    for period in ["all", "week", "day"] {
        let board = world.get(&format!("/score/leaderboard?period={period}"));
        assert_eq!(
            board["entries"],
            json!([{ "rank": 1, "player": "Ann", "points": 60, "played": 1, "won": 1 }]),
            "{period}"
        );
    }
    let bob = world.get("/score/bob");
    assert_eq!((&bob["total"], &bob["played"]), (&json!(0), &json!(0)));
    assert_eq!(bob["practice"]["played"], 20);
}

#[test]
fn an_abandoned_daily_is_recorded_as_a_loss_without_tries() {
    let mut world = World::new();
    world.motus.finish("d1", "Zoe", "2026-11-24", true, 1, 6);
    world.motus.finish("d2", "Zoe", "2026-11-25", false, 0, 6);
    world.motus.results.get_mut("d2").unwrap()["abandoned"] = json!(true);
    for id in ["d1", "d2"] {
        assert_eq!(world.record(id).status, 201, "{id}");
    }
    let stats = world.get("/score/zoe");
    assert_eq!(
        (&stats["played"], &stats["won"], &stats["current_streak"]),
        (&json!(2), &json!(1), &json!(0))
    );
    let newest = &world.get("/score/zoe/history")["items"][0];
    assert_eq!(
        (&newest["abandoned"], &newest["tries"], &newest["points"]),
        (&json!(true), &json!(0), &json!(0))
    );
}

#[test]
fn recording_needs_the_players_token_or_the_shared_secret() {
    let mut world = World::new();
    world.result_secret = None;
    world.motus.finish("g", "Zoe", TODAY, true, 2, 6);
    let body = json!({ "game_id": "g" }).to_string();

    let anonymous = world.record("g");
    assert_eq!((anonymous.status, anonymous.code()), (401, "unauthorized"));
    let stranger = world.call_on(&world.kv, "POST", "/score/games", Some("tok-eve"), &body);
    assert_eq!(
        (stranger.status, stranger.code()),
        (409, "game_not_finished"),
        "motus does not show another player's game"
    );
    let forged = world.call_on(&world.kv, "POST", "/score/games", Some("forged"), &body);
    assert_eq!((forged.status, forged.code()), (401, "unauthorized"));
    assert!(world.kv.keys().is_empty(), "nothing recorded yet");

    let player = world.call_on(&world.kv, "POST", "/score/games", Some("tok-zoe"), &body);
    assert_eq!(player.status, 201, "{}", player.body);
}

#[test]
fn a_daily_answer_and_game_id_are_shown_to_others_only_once_the_day_is_over() {
    let mut world = World::new();
    world.motus.finish("today", "Zoe", TODAY, true, 2, 6);
    world
        .motus
        .finish("before", "Zoe", "2026-11-25", true, 2, 6);
    world.motus.practice("practice", "Zoe", true, 2, 7);
    for id in ["before", "today", "practice"] {
        world.record(id);
    }
    let items = |world: &World, reader: Option<&str>| -> Vec<(Value, Value)> {
        world.get_as(reader, "/score/zoe/history")["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (i["game_id"].clone(), i["answer"].clone()))
            .collect()
    };
    let everything = vec![
        (json!("practice"), json!("AAAAAAA")),
        (json!("today"), json!("AAAAAA")),
        (json!("before"), json!("AAAAAA")),
    ];
    assert_eq!(items(&world, Some("zoe")), everything);
    let public = vec![
        everything[0].clone(),
        (Value::Null, Value::Null),
        everything[2].clone(),
    ];
    assert_eq!(items(&world, None), public);
    assert_eq!(items(&world, Some("eve")), public, "another player's token");
    let forged = world.call_on(&world.kv, "GET", "/score/zoe/history", Some("x"), "");
    assert_eq!((forged.status, forged.code()), (401, "unauthorized"));
    let outage = world.call_on(&world.kv, "GET", "/score/zoe/history", Some("tok-down"), "");
    assert_eq!((outage.status, outage.code()), (503, "auth_unavailable"));

    world.now = NOW + 86_400;
    assert_eq!(items(&world, None), everything, "the next day in Paris");
}

#[test]
fn deleting_a_player_needs_their_own_token_and_leaves_nothing_behind() {
    let mut world = World::new();
    world.motus.finish("z1", "Zoe", "2026-11-25", true, 1, 6);
    world.motus.finish("z2", "Zoe", TODAY, false, 6, 6);
    world.motus.practice("z3", "Zoe", true, 2, 7);
    world.motus.finish("a1", "Ann", TODAY, true, 3, 6);
    for id in ["z1", "z2", "z3", "a1"] {
        world.record(id);
    }
    world.credit(Some(ADMIN), json!({ "player": "zoe", "score": 5 }));
    let ann_before = world.get("/score/ann/history");

    let anonymous = world.delete("zoe", None);
    assert_eq!((anonymous.status, anonymous.code()), (401, "unauthorized"));
    let other = world.delete("zoe", Some("tok-ann"));
    assert_eq!((other.status, other.code()), (403, "forbidden"));
    let forged = world.delete("zoe", Some("forged"));
    assert_eq!((forged.status, forged.code()), (401, "unauthorized"));
    assert_eq!(world.get("/score/zoe")["played"], 2, "nothing deleted yet");

    assert_eq!(world.delete("Zoe", Some("tok-zoe")).status, 204);

    let left: Vec<String> = world
        .kv
        .keys()
        .into_iter()
        .filter(|key| key.contains("zoe") || ["z1", "z2", "z3"].iter().any(|id| key.contains(id)))
        .filter(|key| !key.ends_with("#claim"))
        .filter(|key| {
            let doc: Value = serde_json::from_slice(&world.kv.get(key).unwrap().unwrap()).unwrap();
            !doc["doc"].is_null()
        })
        .collect();
    assert!(left.is_empty(), "still held: {left:?}");
    for period in ["all", "week", "day"] {
        let board = world.get(&format!("/score/leaderboard?period={period}"));
        let players: Vec<&Value> = board["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["player"])
            .collect();
        assert_eq!(players, [&json!("Ann")], "{period}");
    }
    let fresh = world.get("/score/zoe");
    assert_eq!((&fresh["total"], &fresh["played"]), (&json!(0), &json!(0)));
    assert_eq!(
        world.get_as(Some("zoe"), "/score/zoe/history"),
        json!({ "items": [], "next_cursor": null })
    );
    assert_eq!(world.get("/score/ann/history"), ann_before);
    assert_eq!(
        world.delete("zoe", Some("tok-zoe")).status,
        204,
        "nothing left"
    );
    assert_eq!(world.delete("nobody", Some("tok-nobody")).status, 204);

    // A new account under the same name starts from zero, and its games count again.
    world.motus.finish("n1", "zoe", TODAY, true, 2, 6);
    assert_eq!(world.record("n1").status, 201);
    let board = world.get("/score/leaderboard?period=all");
    assert_eq!(board["entries"][0]["points"], 300);
    assert_eq!(world.get("/score/zoe")["played"], 1);
}
