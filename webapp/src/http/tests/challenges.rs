//! Challenges relayed from motus with the session's token; a challenge game never goes to score.

use super::*;

const CHALLENGE: &str = "fedcba9876543210fedcba9876543210";

fn challenge_page() -> Value {
    json!({ "id": CHALLENGE, "creator": "alice", "length": 7, "first_letter": "M",
            "role": "creator", "game": GAME, "players": 1 })
}

fn challenge_game(status: &str) -> Value {
    let mut game = game(status);
    game["mode"] = json!("challenge");
    game["challenge"] = json!(CHALLENGE);
    game
}

#[test]
fn offering_a_game_sends_its_id_alone_with_the_session_token() {
    let up = FakeSiblings::default().on(
        Service::Motus,
        Verb::Post,
        "/motus/challenges",
        201,
        challenge_page(),
    );
    let r = post(
        "/api/challenges",
        json!({ "game_id": GAME, "word": "MAISONS" }),
    )
    .logged_in()
    .send(&up);
    assert_eq!((r.status, json(&r)["id"].clone()), (201, json!(CHALLENGE)));
    let sent = &up.called(Service::Motus, "/motus/challenges")[0];
    assert_eq!(sent.body, Some(json!({ "game_id": GAME })));
    assert_eq!(sent.token.as_deref(), Some("tok123"));
}

#[test]
fn the_page_and_taking_up_are_relayed_and_a_finished_challenge_game_skips_score() {
    let page = format!("/motus/challenges/{CHALLENGE}");
    let games = format!("{page}/games");
    let up = FakeSiblings::default()
        .on(Service::Motus, Verb::Get, &page, 200, challenge_page())
        .on(
            Service::Motus,
            Verb::Post,
            &games,
            200,
            challenge_game("won"),
        );
    let r = get(&format!("/api/challenges/{CHALLENGE}"))
        .logged_in()
        .send(&up);
    assert_eq!((r.status, json(&r)), (200, challenge_page()));
    let r = post(&format!("/api/challenges/{CHALLENGE}/games"), json!({}))
        .logged_in()
        .send(&up);
    assert_eq!(r.status, 200);
    assert_eq!(json(&r)["mode"], "challenge");
    assert_eq!(json(&r)["degraded"], json!([]));
    assert!(up.called(Service::Score, "/score/games").is_empty());
}

#[test]
fn challenge_routes_need_a_session_a_same_origin_write_and_a_well_formed_id() {
    let up = FakeSiblings::default();
    assert_eq!(post("/api/challenges", json!({})).send(&up).status, 401);
    let page = format!("/api/challenges/{CHALLENGE}");
    assert_eq!(get(&page).send(&up).status, 401);
    let cross = post(&format!("{page}/games"), json!({}))
        .header("origin", "https://evil.example")
        .logged_in()
        .send(&up);
    assert_eq!(cross.status, 403);
    for wrong in [
        "/api/challenges/xyz",
        "/api/challenges/FEDCBA9876543210FEDCBA9876543210",
    ] {
        assert_eq!(get(wrong).logged_in().send(&up).status, 404);
    }
    let r = get("/api/challenges").logged_in().send(&up);
    assert_eq!(r.status, 405);
    assert!(up.calls.borrow().is_empty());
}
