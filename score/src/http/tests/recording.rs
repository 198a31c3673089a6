//! `POST /score/games`: what motus reports is recorded, once, for the player motus names.

use super::*;

#[test]
fn a_finished_game_is_recorded_once_then_repeated_with_the_same_body() {
    let mut world = World::new();
    world.motus.finish("g1", "Zoe", TODAY, true, 3, 7);
    let first = world.record("g1");
    assert_eq!(first.status, 201);
    assert_eq!(
        first.body,
        json!({ "game_id": game_id("g1"), "player": "Zoe", "points": 280, "won": true, "tries": 3,
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
fn motus_failures_and_inconsistent_results_are_a_bad_gateway_naming_motus() {
    let mut world = World::new();
    world.motus.finish("odd", "Zoe", TODAY, true, 9, 7);
    for id in ["down", "odd"] {
        let reply = world.record(id);
        assert_eq!(
            (reply.status, reply.code(), reply.service()),
            (502, "bad_gateway", "motus"),
            "{id}"
        );
    }
    assert!(world.kv.keys().is_empty());
}

#[test]
fn a_motus_that_does_not_answer_in_time_is_unavailable_and_named() {
    let world = World::new();
    let reply = world.record("hung");
    assert_eq!(
        (reply.status, reply.code(), reply.service()),
        (503, "service_unavailable", "motus")
    );
    assert_eq!(
        reply.body["error"]["message"],
        "motus ne répond pas (délai de 5000 ms dépassé), réessayez dans un instant."
    );
    assert!(world.kv.keys().is_empty());
}

#[test]
fn malformed_recording_requests_are_bad_requests() {
    let world = World::new();
    let cases = [
        ("", "invalid_json"),
        ("{}", "invalid_json"),
        ("{\"game_id\":42}", "invalid_json"),
        ("{\"game_id\":\"../etc\"}", "invalid_game_id"),
        ("{\"game_id\":\"\"}", "invalid_game_id"),
        ("{\"game_id\":\"not-a-game\"}", "invalid_game_id"),
    ];
    for (body, code) in cases {
        let reply = world.call("POST", "/score/games", body);
        assert_eq!((reply.status, reply.code()), (400, code), "{body:?}");
    }
}

#[test]
fn recording_needs_the_players_token_or_the_shared_secret() {
    let mut world = World::new();
    world.result_secret = None;
    world.motus.finish("g", "Zoe", TODAY, true, 2, 6);
    let body = json!({ "game_id": game_id("g") }).to_string();

    let anonymous = world.record("g");
    assert_eq!(
        (anonymous.status, anonymous.code()),
        (401, "unauthenticated")
    );
    let stranger = world.call_on(&world.kv, "POST", "/score/games", Some("tok-eve"), &body);
    assert_eq!(
        (stranger.status, stranger.code()),
        (409, "game_not_finished"),
        "motus does not show another player's game"
    );
    let forged = world.call_on(&world.kv, "POST", "/score/games", Some("forged"), &body);
    assert_eq!((forged.status, forged.code()), (401, "unauthenticated"));
    assert!(world.kv.keys().is_empty(), "nothing recorded yet");

    let player = world.call_on(&world.kv, "POST", "/score/games", Some("tok-zoe"), &body);
    assert_eq!(player.status, 201, "{}", player.body);
}

#[test]
fn an_abandoned_daily_is_recorded_as_a_loss_without_tries() {
    let mut world = World::new();
    world.motus.finish("d1", "Zoe", "2026-11-24", true, 1, 6);
    world.motus.finish("d2", "Zoe", "2026-11-25", false, 0, 6);
    world.motus.results.get_mut(&game_id("d2")).unwrap()["abandoned"] = json!(true);
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
