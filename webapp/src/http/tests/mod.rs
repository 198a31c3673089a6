use super::*;
use crate::inbound::Headers;
use crate::upstream::{Failure, Verb};
use futures::executor::block_on;
use std::cell::RefCell;

const NOW: i64 = 1_800_000_000;
const SITE: &str = "http://127.0.0.1:3000";

/// Siblings scripted per `(service, verb, path)`; anything unscripted is unreachable.
#[derive(Default)]
struct Siblings {
    script: Vec<(Service, Verb, String, Result<Answer, Failure>)>,
    calls: RefCell<Vec<Call>>,
}

impl Siblings {
    fn on(mut self, s: Service, verb: Verb, path: &str, status: u16, body: Value) -> Self {
        let answer = Answer {
            status,
            retry_after: None,
            body: serde_json::to_vec(&body).unwrap(),
        };
        self.script.push((s, verb, path.into(), Ok(answer)));
        self
    }

    fn down(mut self, s: Service, verb: Verb, path: &str) -> Self {
        self.script
            .push((s, verb, path.into(), Err(Failure::Unreachable)));
        self
    }

    fn answer_with(mut self, s: Service, verb: Verb, path: &str, answer: Answer) -> Self {
        self.script.push((s, verb, path.into(), Ok(answer)));
        self
    }

    fn called(&self, s: Service, path: &str) -> Vec<Call> {
        self.calls
            .borrow()
            .iter()
            .filter(|c| c.service == s && c.path == path)
            .cloned()
            .collect()
    }
}

impl Upstream for Siblings {
    async fn call(&self, call: Call) -> Result<Answer, Failure> {
        self.calls.borrow_mut().push(call.clone());
        self.script
            .iter()
            .find(|(s, v, p, _)| *s == call.service && *v == call.verb && *p == call.path)
            .map(|(_, _, _, outcome)| outcome.clone())
            .unwrap_or(Err(Failure::Unreachable))
    }
}

struct Req {
    method: &'static str,
    target: String,
    headers: Vec<(String, String)>,
    body: Body,
}

fn get(target: &str) -> Req {
    Req {
        method: "GET",
        target: target.into(),
        headers: vec![],
        body: Body::Bytes(vec![]),
    }
}

fn post(target: &str, body: Value) -> Req {
    Req {
        method: "POST",
        target: target.into(),
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("origin".into(), SITE.into()),
        ],
        body: Body::Bytes(serde_json::to_vec(&body).unwrap()),
    }
}

impl Req {
    fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.retain(|(name, _)| name != k);
        self.headers.push((k.into(), v.into()));
        self
    }

    fn logged_in(self) -> Self {
        self.header("cookie", "motus_session=tok123; motus_user=alice")
    }

    fn send(self, up: &Siblings) -> Reply {
        let (path, query) = Inbound::split_target(&self.target);
        let mut headers = self.headers;
        headers.push(("spin-full-url".into(), format!("{SITE}{}", self.target)));
        let inbound = Inbound {
            method: self.method.into(),
            path,
            query,
            headers: Headers::new(headers),
            body: self.body,
        };
        block_on(handle(up, NOW, &inbound))
    }
}

fn json(r: &Reply) -> Value {
    serde_json::from_slice(&r.body).unwrap_or(Value::Null)
}

fn session_answer() -> Value {
    json!({ "username": "alice", "token": "tok123", "expires_at": NOW + 3600 })
}

fn auth_me() -> Value {
    json!({ "username": "alice", "created_at": "2026-11-01T10:00:00Z" })
}

fn game(status: &str) -> Value {
    json!({ "id": "g1", "mode": "daily", "length": 7, "first_letter": "M", "status": status,
            "guesses": [{ "word": "MAISONS", "marks": vec!["correct"; 7] }] })
}

// ---- sessions -------------------------------------------------------------------------------

#[test]
fn registering_sets_the_session_cookie_and_hides_the_token() {
    let up = Siblings::default().on(
        Service::Auth,
        Verb::Post,
        "/auth/register",
        201,
        session_answer(),
    );
    let r = post(
        "/api/register",
        json!({"username": "alice", "password": "correct horse"}),
    )
    .send(&up);

    assert_eq!(r.status, 201);
    assert_eq!(
        json(&r),
        json!({ "username": "alice", "expires_at": NOW + 3600 })
    );
    let cookies: Vec<&str> = r.header_values("set-cookie").collect();
    assert_eq!(
        cookies[0],
        "motus_session=tok123; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600"
    );
    assert!(cookies[1].starts_with("motus_user=alice;"));
    let sent = &up.called(Service::Auth, "/auth/register")[0];
    assert_eq!(
        sent.body,
        Some(json!({"username": "alice", "password": "correct horse"}))
    );
    assert_eq!(sent.token, None);
}

#[test]
fn logging_in_over_https_marks_the_cookie_secure() {
    let up = Siblings::default().on(
        Service::Auth,
        Verb::Post,
        "/auth/login",
        200,
        session_answer(),
    );
    let r = post("/api/login", json!({"username": "alice", "password": "pw"}))
        .header("host", "motus.example")
        .header("x-forwarded-proto", "https")
        .header("origin", "https://motus.example")
        .send(&up);
    assert_eq!(r.status, 200);
    assert!(r
        .header_values("set-cookie")
        .all(|c| c.ends_with("; Secure")));
}

#[test]
fn a_wrong_password_and_a_lockout_are_passed_through() {
    let up = Siblings::default().on(
        Service::Auth,
        Verb::Post,
        "/auth/login",
        401,
        json!({"error": {"code": "invalid_credentials", "message": "Identifiants invalides"}}),
    );
    let r = post("/api/login", json!({"username": "a", "password": "b"}))
        .logged_in()
        .send(&up);
    assert_eq!(r.status, 401);
    assert_eq!(json(&r)["error"]["code"], "invalid_credentials");
    assert_eq!(r.header_value("set-cookie"), None);

    let locked = Answer {
        status: 429,
        retry_after: Some("120".into()),
        body: br#"{"error":{"code":"locked","message":"Trop d'essais"}}"#.to_vec(),
    };
    let up = Siblings::default().answer_with(Service::Auth, Verb::Post, "/auth/login", locked);
    let r = post("/api/login", json!({"username": "a", "password": "b"})).send(&up);
    assert_eq!(r.status, 429);
    assert_eq!(r.header_value("retry-after"), Some("120"));
}

#[test]
fn a_login_answer_without_token_is_a_bad_gateway() {
    let up = Siblings::default().on(
        Service::Auth,
        Verb::Post,
        "/auth/login",
        200,
        json!({"username": "a"}),
    );
    let r = post("/api/login", json!({"username": "a", "password": "b"})).send(&up);
    assert_eq!(r.status, 502);
    assert_eq!(json(&r)["error"]["service"], "auth");
}

#[test]
fn logging_out_revokes_the_token_and_clears_the_cookies() {
    let up = Siblings::default().on(Service::Auth, Verb::Post, "/auth/logout", 204, Value::Null);
    let r = post("/api/logout", json!({})).logged_in().send(&up);
    assert_eq!(r.status, 204);
    assert!(r.body.is_empty());
    let cookies: Vec<&str> = r.header_values("set-cookie").collect();
    assert_eq!(cookies.len(), 2);
    assert!(cookies.iter().all(|c| c.contains("Max-Age=0")));
    assert_eq!(
        up.called(Service::Auth, "/auth/logout")[0].token.as_deref(),
        Some("tok123")
    );
}

#[test]
fn logging_out_while_auth_is_down_still_clears_the_cookies_but_says_so() {
    let r = post("/api/logout", json!({}))
        .logged_in()
        .send(&Siblings::default());
    assert_eq!(r.status, 503);
    assert_eq!(r.header_values("set-cookie").count(), 2);
}

// ---- write guards ---------------------------------------------------------------------------

#[test]
fn a_cross_site_post_is_refused_before_any_sibling_is_called() {
    let up = Siblings::default();
    let cases = [
        post("/api/login", json!({})).header("origin", "http://evil.example"),
        post("/api/games", json!({})).header("sec-fetch-site", "cross-site"),
    ];
    for req in cases {
        let r = req.send(&up);
        assert_eq!(r.status, 403);
        assert_eq!(json(&r)["error"]["code"], "cross_site");
    }
    assert!(up.calls.borrow().is_empty());
}

#[test]
fn a_post_that_is_not_json_is_415() {
    for ct in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ] {
        let r = post("/api/login", json!({}))
            .header("content-type", ct)
            .send(&Siblings::default());
        assert_eq!(r.status, 415, "{ct}");
    }
    let r = post("/api/login", json!({}))
        .header("content-type", "Application/JSON; charset=utf-8")
        .send(&Siblings::default());
    assert_ne!(r.status, 415);
}

#[test]
fn an_oversized_body_is_413() {
    let mut req = post("/api/login", json!({}));
    req.body = Body::TooLarge;
    assert_eq!(req.send(&Siblings::default()).status, 413);
}

#[test]
fn a_body_that_is_not_a_json_object_is_400() {
    for raw in ["[1,2]", "\"x\"", "{broken", "null"] {
        let mut req = post("/api/login", json!({}));
        req.body = Body::Bytes(raw.as_bytes().to_vec());
        let r = req.send(&Siblings::default());
        assert_eq!(r.status, 400, "{raw}");
        assert_eq!(json(&r)["error"]["code"], "invalid_json");
    }
}

#[test]
fn unknown_routes_and_wrong_methods_get_json_errors() {
    let r = get("/api/nope").send(&Siblings::default());
    assert_eq!(r.status, 404);
    assert_eq!(json(&r)["error"]["code"], "not_found");
    let r = get("/api/login").send(&Siblings::default());
    assert_eq!(r.status, 405);
    assert_eq!(r.header_value("allow"), Some("POST"));
}

// ---- /api/me --------------------------------------------------------------------------------

fn healthy() -> Siblings {
    Siblings::default()
        .on(Service::Auth, Verb::Get, "/auth/me", 200, auth_me())
        .on(
            Service::Score,
            Verb::Get,
            "/score/alice",
            200,
            json!({"player": "alice", "played": 3}),
        )
        .on(
            Service::Motus,
            Verb::Get,
            "/motus/daily",
            200,
            json!({"date": "2026-11-26", "length": 7, "first_letter": "M"}),
        )
}

#[test]
fn me_without_a_cookie_is_401_without_calling_anyone() {
    let up = healthy();
    let r = get("/api/me").send(&up);
    assert_eq!(r.status, 401);
    assert_eq!(json(&r)["error"]["code"], "unauthenticated");
    assert!(up.calls.borrow().is_empty());
}

#[test]
fn me_gathers_user_stats_and_daily() {
    let up = healthy();
    let r = get("/api/me").logged_in().send(&up);
    assert_eq!(r.status, 200);
    assert_eq!(
        json(&r),
        json!({
            "user": auth_me(),
            "stats": {"player": "alice", "played": 3},
            "daily": {"date": "2026-11-26", "length": 7, "first_letter": "M"},
            "game": null,
            "degraded": [],
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
    let up = Siblings {
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
    let up = Siblings::default()
        .on(Service::Motus, Verb::Get, "/motus/daily", 500, json!({}))
        .on(Service::Auth, Verb::Get, "/auth/me", 200, auth_me())
        .on(Service::Score, Verb::Get, "/score/alice", 200, json!({}));
    let body = json(&get("/api/me").logged_in().send(&up));
    assert_eq!(body["daily"], Value::Null);
    assert_eq!(body["degraded"], json!(["motus"]));
}

#[test]
fn a_new_player_without_stats_is_not_a_degradation() {
    let up = Siblings::default()
        .on(
            Service::Score,
            Verb::Get,
            "/score/alice",
            404,
            json!({"error": {"code": "not_found", "message": "x"}}),
        )
        .on(Service::Auth, Verb::Get, "/auth/me", 200, auth_me())
        .on(Service::Motus, Verb::Get, "/motus/daily", 200, json!({}));
    let body = json(&get("/api/me").logged_in().send(&up));
    assert_eq!(body["stats"], Value::Null);
    assert_eq!(body["degraded"], json!([]));
}

#[test]
fn me_with_auth_down_is_503_naming_auth() {
    let up = Siblings::default().down(Service::Auth, Verb::Get, "/auth/me");
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
    let up = Siblings::default().on(
        Service::Auth,
        Verb::Get,
        "/auth/me",
        401,
        json!({"error": {"code": "invalid_token", "message": "Session expirée"}}),
    );
    let r = get("/api/me").logged_in().send(&up);
    assert_eq!(r.status, 401);
    assert_eq!(r.header_values("set-cookie").count(), 2);
}

#[test]
fn a_wrong_username_hint_is_corrected_by_auth() {
    let up = Siblings::default()
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
        .on(Service::Motus, Verb::Get, "/motus/daily", 200, json!({}));
    let body = json(&get("/api/me").logged_in().send(&up));
    assert_eq!(body["user"]["username"], "bob");
    assert_eq!(body["stats"]["player"], "bob");
}

#[test]
fn a_username_with_a_dot_reaches_score_as_is() {
    let up = Siblings::default()
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
        .on(Service::Motus, Verb::Get, "/motus/daily", 200, json!({}));
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

// ---- games ----------------------------------------------------------------------------------

#[test]
fn game_routes_need_a_session() {
    let up = Siblings::default();
    assert_eq!(
        post("/api/games", json!({"mode": "daily"}))
            .send(&up)
            .status,
        401
    );
    assert_eq!(get("/api/games/g1").send(&up).status, 401);
    assert_eq!(
        post("/api/games/g1/guesses", json!({"word": "MAISONS"}))
            .send(&up)
            .status,
        401
    );
    assert!(up.calls.borrow().is_empty());
}

#[test]
fn creating_a_game_forwards_mode_and_length_only() {
    let up = Siblings::default().on(
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
    let up = Siblings::default().on(
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
    let up = Siblings::default().on(
        Service::Motus,
        Verb::Post,
        "/motus/games/g1/guesses",
        422,
        reason.clone(),
    );
    let r = post("/api/games/g1/guesses", json!({"word": "MZZZZZZ"}))
        .logged_in()
        .send(&up);
    assert_eq!(r.status, 422);
    assert_eq!(json(&r), reason);
}

#[test]
fn a_winning_guess_is_recorded_by_score_and_the_points_returned() {
    let up = Siblings::default()
        .on(
            Service::Motus,
            Verb::Post,
            "/motus/games/g1/guesses",
            200,
            game("won"),
        )
        .on(
            Service::Score,
            Verb::Post,
            "/score/games",
            201,
            json!({"game_id": "g1", "points": 140}),
        );
    let r = post("/api/games/g1/guesses", json!({"word": "MAISONS"}))
        .logged_in()
        .send(&up);
    assert_eq!(r.status, 200);
    let body = json(&r);
    assert_eq!(body["status"], "won");
    assert_eq!(body["score"]["points"], 140);
    assert_eq!(body["degraded"], json!([]));
    let recorded = &up.called(Service::Score, "/score/games")[0];
    assert_eq!(recorded.body, Some(json!({"game_id": "g1"})));
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
        let mut up = Siblings::default().on(
            Service::Motus,
            Verb::Post,
            "/motus/games/g1/guesses",
            200,
            game("lost"),
        );
        up.script
            .push((Service::Score, Verb::Post, "/score/games".into(), score));
        let r = post("/api/games/g1/guesses", json!({"word": "MAISONS"}))
            .logged_in()
            .send(&up);
        assert_eq!(r.status, 200);
        let body = json(&r);
        assert_eq!(body["status"], "lost");
        assert_eq!(body["score"], Value::Null);
        assert_eq!(body["degraded"], json!(["score"]));
    }
}

#[test]
fn a_game_still_playing_does_not_touch_score() {
    let up = Siblings::default().on(
        Service::Motus,
        Verb::Get,
        "/motus/games/g1",
        200,
        game("playing"),
    );
    let r = get("/api/games/g1").logged_in().send(&up);
    assert_eq!(r.status, 200);
    assert!(json(&r).get("score").is_none());
    assert!(up.called(Service::Score, "/score/games").is_empty());
}

#[test]
fn motus_down_during_a_guess_is_503_naming_motus() {
    let r = post("/api/games/g1/guesses", json!({"word": "MAISONS"}))
        .logged_in()
        .send(&Siblings::default());
    assert_eq!(r.status, 503);
    assert_eq!(json(&r)["error"]["service"], "motus");
}

#[test]
fn a_finished_game_someone_else_owns_is_relayed_as_motus_said() {
    let up = Siblings::default().on(
        Service::Motus,
        Verb::Get,
        "/motus/games/g1",
        403,
        json!({"error": {"code": "forbidden", "message": "Pas votre partie"}}),
    );
    assert_eq!(get("/api/games/g1").logged_in().send(&up).status, 403);
}

// ---- history, leaderboard, daily ------------------------------------------------------------

#[test]
fn history_is_read_for_the_verified_user_with_validated_paging() {
    let up = Siblings::default()
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
        .send(&Siblings::default());
    assert_eq!(r.status, 400);
    assert_eq!(json(&r)["error"]["code"], "invalid_query");
}

#[test]
fn history_with_score_down_is_503_naming_score() {
    let up = Siblings::default().on(Service::Auth, Verb::Get, "/auth/me", 200, auth_me());
    let r = get("/api/history").logged_in().send(&up);
    assert_eq!(r.status, 503);
    assert_eq!(json(&r)["error"]["service"], "score");
}

#[test]
fn the_leaderboard_is_public_and_forwards_period_and_limit() {
    let up = Siblings::default().on(
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
    let up = Siblings::default().on(
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
    let up = Siblings::default().on(
        Service::Motus,
        Verb::Get,
        "/motus/daily",
        200,
        json!({"date": "2026-11-26"}),
    );
    assert_eq!(json(&get("/api/daily").send(&up))["date"], "2026-11-26");
}
