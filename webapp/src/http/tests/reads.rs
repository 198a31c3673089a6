//! History, leaderboard and the daily summary.

use super::*;
#[test]
fn history_is_read_for_the_verified_user_with_validated_paging() {
    let up = FakeSiblings::default()
        .on(Service::Auth, Verb::Get, "/auth/me", 200, auth_me())
        .on(
            Service::Score,
            Verb::Get,
            "/score/alice/history?limit=10&cursor=c%2F1",
            200,
            json!({"games": []}),
        );
    let r = get("/api/history?limit=10&cursor=c/1")
        .logged_in()
        .send(&up);
    assert_eq!(r.status, 200);
    assert_eq!(json(&r), json!({"games": []}));
}

#[test]
fn history_with_a_bad_limit_is_400() {
    let r = get("/api/history?limit=1000")
        .logged_in()
        .send(&FakeSiblings::default());
    assert_eq!(r.status, 400);
    assert_eq!(json(&r)["error"]["code"], "invalid_query");
}

#[test]
fn history_with_score_down_is_503_naming_score() {
    let up = FakeSiblings::default().on(Service::Auth, Verb::Get, "/auth/me", 200, auth_me());
    let r = get("/api/history").logged_in().send(&up);
    assert_eq!(r.status, 503);
    assert_eq!(json(&r)["error"]["service"], "score");
}

#[test]
fn the_leaderboard_is_public_and_forwards_period_and_limit() {
    let up = FakeSiblings::default().on(
        Service::Score,
        Verb::Get,
        "/score/leaderboard?period=week&limit=5",
        200,
        json!({"entries": []}),
    );
    let r = get("/api/leaderboard?period=week&limit=5").send(&up);
    assert_eq!(r.status, 200);
    assert_eq!(r.header_value("cache-control"), Some("no-store"));
}

#[test]
fn the_leaderboard_with_score_failing_is_a_502() {
    let up = FakeSiblings::default().on(
        Service::Score,
        Verb::Get,
        "/score/leaderboard",
        500,
        json!({}),
    );
    let r = get("/api/leaderboard").send(&up);
    assert_eq!(r.status, 502);
    assert_eq!(json(&r)["error"]["code"], "bad_gateway");
}

#[test]
fn the_daily_summary_is_public() {
    let up = FakeSiblings::default().on(
        Service::Motus,
        Verb::Get,
        "/motus/daily",
        200,
        json!({"date": "2026-11-26"}),
    );
    assert_eq!(json(&get("/api/daily").send(&up))["date"], "2026-11-26");
}
