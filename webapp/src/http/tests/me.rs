//! `/api/me`: auth must answer, score and motus may be degraded.

use super::*;
fn healthy() -> FakeSiblings {
    FakeSiblings::default()
        .on(Service::Auth, Verb::Get, "/auth/me", 200, auth_me())
        .on(
            Service::Score,
            Verb::Get,
            "/score/alice",
            200,
            json!({"player": "alice", "played": 3}),
        )
        .no_open_games()
}

/// NOW is 2027-01-15 08:00 UTC, 09:00 in Paris (winter time): the next Paris midnight is 23:00 UTC.
const NEXT_PARIS_MIDNIGHT: i64 = NOW + 15 * 3600;

#[test]
fn me_without_a_cookie_says_so_with_a_200_without_calling_anyone() {
    let up = healthy();
    let r = get("/api/me").send(&up);
    assert_eq!(r.status, 200, "a first visit is not an error");
    assert_eq!(
        json(&r),
        json!({"authenticated": false, "next_daily_at": NEXT_PARIS_MIDNIGHT})
    );
    assert_eq!(r.header_value("set-cookie"), None);
    assert!(up.calls.borrow().is_empty());
}

#[test]
fn the_next_daily_word_comes_at_the_next_midnight_in_paris() {
    let up = healthy();
    let body = json(&get("/api/me").logged_in().send(&up));
    assert_eq!(body["next_daily_at"], NEXT_PARIS_MIDNIGHT);
    let seconds_into_the_paris_day = (NEXT_PARIS_MIDNIGHT + 3600) % 86_400;
    assert_eq!(seconds_into_the_paris_day, 0, "midnight at UTC+1");
}

#[test]
fn me_gathers_user_stats_and_daily() {
    let up = healthy();
    let r = get("/api/me").logged_in().send(&up);
    assert_eq!(r.status, 200);
    assert_eq!(
        json(&r),
        json!({
            "authenticated": true,
            "user": {"username": "alice"},
            "stats": {"player": "alice", "played": 3},
            "daily": {"date": "2026-11-26", "length": 7, "first_letter": "M"},
            "game": null,
            "games": [],
            "degraded": [],
            "next_daily_at": NEXT_PARIS_MIDNIGHT,
        })
    );
    assert_eq!(
        up.called(Service::Auth, "/auth/me")[0].token.as_deref(),
        Some("tok123")
    );
    assert_eq!(up.called(Service::Score, "/score/alice").len(), 1);
}

#[test]
fn me_with_score_down_still_answers_and_names_the_degraded_service() {
    let up = healthy().down(Service::Score, Verb::Get, "/score/alice");
    let up = FakeSiblings {
        script: up.script.into_iter().rev().collect(),
        ..Default::default()
    };
    let r = get("/api/me").logged_in().send(&up);
    assert_eq!(r.status, 200);
    let body = json(&r);
    assert_eq!(body["stats"], Value::Null);
    assert_eq!(body["degraded"], json!(["score"]));
    assert_eq!(body["daily"]["length"], 7);
}

#[test]
fn me_with_motus_failing_degrades_the_daily_summary() {
    let up = FakeSiblings::default()
        .on(
            Service::Motus,
            Verb::Get,
            "/motus/games/open",
            500,
            json!({}),
        )
        .on(Service::Auth, Verb::Get, "/auth/me", 200, auth_me())
        .on(Service::Score, Verb::Get, "/score/alice", 200, json!({}));
    let body = json(&get("/api/me").logged_in().send(&up));
    assert_eq!(body["daily"], Value::Null);
    assert_eq!(body["degraded"], json!(["motus"]));
}

#[test]
fn a_new_player_without_stats_is_not_a_degradation() {
    let up = FakeSiblings::default()
        .on(
            Service::Score,
            Verb::Get,
            "/score/alice",
            404,
            json!({"error": {"code": "not_found", "message": "x"}}),
        )
        .on(Service::Auth, Verb::Get, "/auth/me", 200, auth_me())
        .no_open_games();
    let body = json(&get("/api/me").logged_in().send(&up));
    assert_eq!(body["stats"], Value::Null);
    assert_eq!(body["degraded"], json!([]));
}

#[test]
fn me_with_auth_down_is_503_naming_auth() {
    let up = FakeSiblings::default().down(Service::Auth, Verb::Get, "/auth/me");
    let r = get("/api/me").logged_in().send(&up);
    assert_eq!(r.status, 503);
    assert_eq!(json(&r)["error"]["service"], "auth");
    assert_eq!(
        r.header_value("set-cookie"),
        None,
        "a sibling outage must not log anyone out"
    );
}

#[test]
fn an_expired_session_is_401_and_the_cookies_are_cleared() {
    let up = FakeSiblings::default().on(
        Service::Auth,
        Verb::Get,
        "/auth/me",
        401,
        json!({"error": {"code": "invalid_token", "message": "Session expirée"}}),
    );
    let r = get("/api/me").logged_in().send(&up);
    assert_eq!(
        r.status, 401,
        "a cookie auth refuses is a session that ended, not a visitor"
    );
    assert_eq!(json(&r)["error"]["code"], "invalid_token");
    assert_eq!(r.header_values("set-cookie").collect::<Vec<_>>().len(), 3);
}

#[test]
fn a_wrong_username_hint_is_corrected_by_auth() {
    let up = FakeSiblings::default()
        .on(
            Service::Auth,
            Verb::Get,
            "/auth/me",
            200,
            json!({"username": "bob", "created_at": "x"}),
        )
        .on(
            Service::Score,
            Verb::Get,
            "/score/alice",
            200,
            json!({"player": "alice"}),
        )
        .on(
            Service::Score,
            Verb::Get,
            "/score/bob",
            200,
            json!({"player": "bob"}),
        )
        .no_open_games();
    let body = json(&get("/api/me").logged_in().send(&up));
    assert_eq!(body["user"]["username"], "bob");
    assert_eq!(body["stats"]["player"], "bob");
}

#[test]
fn a_username_with_a_dot_reaches_score_as_is() {
    let up = FakeSiblings::default()
        .on(
            Service::Auth,
            Verb::Get,
            "/auth/me",
            200,
            json!({"username": "jean.dupont", "created_at": 1}),
        )
        .on(
            Service::Score,
            Verb::Get,
            "/score/jean.dupont",
            200,
            json!({"played": 1}),
        )
        .no_open_games();
    let body = json(&get("/api/me").logged_in().send(&up));
    assert_eq!(body["stats"]["played"], 1);
    assert_eq!(body["degraded"], json!([]));
}

#[test]
fn without_a_hint_stats_are_fetched_after_auth_answers() {
    let up = healthy();
    let r = get("/api/me")
        .header("cookie", "motus_session=tok123")
        .send(&up);
    assert_eq!(json(&r)["stats"]["played"], 3);
}

fn playing(id: &str, mode: &str) -> Value {
    json!({"id": id, "mode": mode, "length": 7, "first_letter": "M", "max_tries": 6,
           "guesses": [{"word": "MAISONS", "marks": ["correct"]}], "status": "playing"})
}

#[test]
fn me_resumes_the_current_game_and_lists_every_unfinished_one() {
    let games = json!([playing("p1", "practice"), playing("d1", "daily")]);
    // The first scripted answer wins: this list before healthy()'s empty one.
    let mut up = FakeSiblings::default().on(
        Service::Motus,
        Verb::Get,
        "/motus/games/open",
        200,
        json!({ "games": games, "current": "p1" }),
    );
    up.script.extend(healthy().script);
    let body = json(&get("/api/me").logged_in().send(&up));
    assert_eq!(body["game"], playing("p1", "practice"));
    assert_eq!(body["games"], games);
    assert_eq!(body["degraded"], json!([]));
    assert_eq!(
        up.called(Service::Motus, "/motus/games/open")[0]
            .token
            .as_deref(),
        Some("tok123"),
        "motus lists the games of the token's holder"
    );
}

#[test]
fn me_with_motus_down_resumes_nothing_and_names_it_once() {
    let mut up = FakeSiblings::default().down(Service::Motus, Verb::Get, "/motus/games/open");
    up.script.extend(healthy().script);
    let body = json(&get("/api/me").logged_in().send(&up));
    assert_eq!(
        (&body["game"], &body["games"], &body["daily"]),
        (&Value::Null, &Value::Null, &Value::Null)
    );
    assert_eq!(body["stats"]["played"], 3, "score's part still comes");
    assert_eq!(body["degraded"], json!(["motus"]));
}

#[test]
fn me_asks_motus_once_for_the_games_and_the_daily_outline() {
    let up = healthy();
    let body = json(&get("/api/me").logged_in().send(&up));
    assert_eq!(body["daily"]["length"], 7);
    let to_motus: Vec<String> = up
        .calls
        .borrow()
        .iter()
        .filter(|c| c.service == Service::Motus)
        .map(|c| c.path.clone())
        .collect();
    assert_eq!(to_motus, ["/motus/games/open"]);
}

#[test]
fn me_with_motus_unreachable_names_it_once() {
    let up = FakeSiblings::default()
        .down(Service::Motus, Verb::Get, "/motus/games/open")
        .on(Service::Auth, Verb::Get, "/auth/me", 200, auth_me())
        .on(Service::Score, Verb::Get, "/score/alice", 200, json!({}));
    let body = json(&get("/api/me").logged_in().send(&up));
    assert_eq!(body["degraded"], json!(["motus"]));
}

#[test]
fn me_resumes_nothing_when_the_current_game_is_over_even_with_older_ones_unfinished() {
    let games = json!([playing("p1", "practice")]);
    let mut up = FakeSiblings::default().on(
        Service::Motus,
        Verb::Get,
        "/motus/games/open",
        200,
        json!({ "games": games, "current": null }),
    );
    up.script.extend(healthy().script);
    let body = json(&get("/api/me").logged_in().send(&up));
    assert_eq!(body["game"], Value::Null);
    assert_eq!(body["games"], games);
}
