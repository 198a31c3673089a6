//! Games relayed from motus, and recorded by score once over.

use super::*;

/// `POST /api/games/{GAME}/guesses` with `word`.
fn guess(word: &str) -> Req {
    post(
        &format!("/api/games/{GAME}/guesses"),
        json!({ "word": word }),
    )
}
#[test]
fn game_routes_need_a_session() {
    let up = FakeSiblings::default();
    assert_eq!(
        post("/api/games", json!({"mode": "daily"}))
            .send(&up)
            .status,
        401
    );
    assert_eq!(get(&format!("/api/games/{GAME}")).send(&up).status, 401);
    assert_eq!(guess("MAISONS").send(&up).status, 401);
    assert!(up.calls.borrow().is_empty());
}

#[test]
fn creating_a_game_forwards_mode_and_length_only() {
    let up = FakeSiblings::default().on(
        Service::Motus,
        Verb::Post,
        "/motus/games",
        201,
        game("playing"),
    );
    let r = post(
        "/api/games",
        json!({"mode": "practice", "length": 8, "player": "mallory"}),
    )
    .logged_in()
    .send(&up);
    assert_eq!(r.status, 201);
    assert_eq!(json(&r)["degraded"], json!([]));
    let sent = &up.called(Service::Motus, "/motus/games")[0];
    assert_eq!(sent.body, Some(json!({"mode": "practice", "length": 8})));
    assert_eq!(sent.token.as_deref(), Some("tok123"));
}

#[test]
fn an_existing_daily_game_keeps_motus_status_200() {
    let up = FakeSiblings::default().on(
        Service::Motus,
        Verb::Post,
        "/motus/games",
        200,
        game("playing"),
    );
    assert_eq!(
        post("/api/games", json!({"mode": "daily"}))
            .logged_in()
            .send(&up)
            .status,
        200
    );
}

#[test]
fn an_invalid_guess_is_passed_through_unchanged() {
    let reason = json!({"error": {"code": "not_in_dictionary", "message": "Ce mot n'est pas dans le dictionnaire"}});
    let up = FakeSiblings::default().on(
        Service::Motus,
        Verb::Post,
        &format!("/motus/games/{GAME}/guesses"),
        422,
        reason.clone(),
    );
    let r = guess("MZZZZZZ").logged_in().send(&up);
    assert_eq!(r.status, 422);
    assert_eq!(json(&r), reason);
}

#[test]
fn a_winning_guess_is_recorded_by_score_and_the_points_returned() {
    let up = FakeSiblings::default()
        .on(
            Service::Motus,
            Verb::Post,
            &format!("/motus/games/{GAME}/guesses"),
            200,
            game("won"),
        )
        .on(
            Service::Score,
            Verb::Post,
            "/score/games",
            201,
            json!({"game_id": GAME, "points": 140}),
        );
    let r = guess("MAISONS").logged_in().send(&up);
    assert_eq!(r.status, 200);
    let body = json(&r);
    assert_eq!(body["status"], "won");
    assert_eq!(body["score"]["points"], 140);
    assert_eq!(body["degraded"], json!([]));
    let recorded = &up.called(Service::Score, "/score/games")[0];
    assert_eq!(recorded.body, Some(json!({"game_id": GAME})));
    assert_eq!(recorded.token.as_deref(), Some("tok123"));
}

#[test]
fn a_guess_accepted_by_motus_is_never_shown_as_failed_when_score_is_down() {
    for score in [
        Err(Failure::Unreachable),
        Ok(Answer {
            status: 500,
            retry_after: None,
            body: vec![],
        }),
    ] {
        let mut up = FakeSiblings::default().on(
            Service::Motus,
            Verb::Post,
            &format!("/motus/games/{GAME}/guesses"),
            200,
            game("lost"),
        );
        up.script
            .push((Service::Score, Verb::Post, "/score/games".into(), score));
        let r = guess("MAISONS").logged_in().send(&up);
        assert_eq!(r.status, 200);
        let body = json(&r);
        assert_eq!(body["status"], "lost");
        assert_eq!(body["score"], Value::Null);
        assert_eq!(body["degraded"], json!(["score"]));
    }
}

#[test]
fn a_game_still_playing_does_not_touch_score() {
    let up = FakeSiblings::default().on(
        Service::Motus,
        Verb::Get,
        &format!("/motus/games/{GAME}"),
        200,
        game("playing"),
    );
    let r = get(&format!("/api/games/{GAME}")).logged_in().send(&up);
    assert_eq!(r.status, 200);
    assert!(json(&r).get("score").is_none());
    assert!(up.called(Service::Score, "/score/games").is_empty());
}

#[test]
fn motus_down_during_a_guess_is_503_naming_motus() {
    let r = guess("MAISONS").logged_in().send(&FakeSiblings::default());
    assert_eq!(r.status, 503);
    assert_eq!(json(&r)["error"]["service"], "motus");
}

#[test]
fn a_finished_game_someone_else_owns_is_relayed_as_motus_said() {
    let up = FakeSiblings::default().on(
        Service::Motus,
        Verb::Get,
        &format!("/motus/games/{GAME}"),
        403,
        json!({"error": {"code": "forbidden", "message": "Pas votre partie"}}),
    );
    assert_eq!(
        get(&format!("/api/games/{GAME}"))
            .logged_in()
            .send(&up)
            .status,
        403
    );
}
