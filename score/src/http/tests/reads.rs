//! Stats and history: what a player, and anyone else, reads.

use super::*;

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
    assert_eq!(ids, [json!(game_id("g4")), json!(game_id("g3"))]);
    assert_eq!(page["items"][0]["points"], 0, "practice earns no points");
    assert_eq!(page["items"][0]["answer"], "AAAAAA");

    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let page = world.get(&format!("/score/zoe/history?limit=2&cursor={cursor}"));
    assert_eq!(page["items"][1]["game_id"], game_id("g1"));
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let last = world.get(&format!("/score/zoe/history?limit=2&cursor={cursor}"));
    assert_eq!(last["items"].as_array().unwrap().len(), 1);
    assert_eq!(last["next_cursor"], Value::Null);

    for (query, parameter) in [
        ("limit=0", "« limit »"),
        ("limit=101", "« limit »"),
        ("cursor=x", "« cursor »"),
    ] {
        let reply = world.call("GET", &format!("/score/zoe/history?{query}"), "");
        assert_eq!(
            (reply.status, reply.code()),
            (400, "invalid_query"),
            "{query}"
        );
        let message = reply.body["error"]["message"].as_str().unwrap();
        assert!(message.contains(parameter), "{query}: {message}");
    }
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
        (json!(game_id("practice")), json!("AAAAAAA")),
        (json!(game_id("today")), json!("AAAAAA")),
        (json!(game_id("before")), json!("AAAAAA")),
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
    assert_eq!((forged.status, forged.code()), (401, "unauthenticated"));
    let outage = world.call_on(&world.kv, "GET", "/score/zoe/history", Some("tok-down"), "");
    assert_eq!(
        (outage.status, outage.code(), outage.service()),
        (503, "service_unavailable", "auth")
    );

    world.clock.advance(86_400);
    assert_eq!(items(&world, None), everything, "the next day in Paris");
}
