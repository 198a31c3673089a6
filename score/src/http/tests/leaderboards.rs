//! Leaderboards per period: only daily games rank.

use super::*;

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
    assert_eq!((bad.status, bad.code()), (400, "invalid_query"));
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
