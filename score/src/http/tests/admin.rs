//! `POST /score/update`: the administrator credit.

use super::*;

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
        "invalid_json"
    );
}
