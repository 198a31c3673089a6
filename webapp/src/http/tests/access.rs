//! Access tokens in the browser's cookies: a live one spares the call to auth, an expired or
//! foreign one is renewed from the session, and the renewal reaches the browser.

use super::*;
use spin_kit::access::AccessKey;
use spin_kit::names::PlayerName;

fn key() -> AccessKey {
    AccessKey::from_secret("the webapp and the services share it")
        .unwrap()
        .unwrap()
}

fn access_for(name: &str, key: &AccessKey, issued: i64) -> String {
    key.issue(&PlayerName::parse(name).unwrap(), issued as u64, 60)
}

fn with_cookies(req: Req, access: &str) -> Req {
    req.header(
        "cookie",
        &format!("motus_session=tok123; motus_user=alice; motus_access={access}"),
    )
}

fn renewal() -> Value {
    json!({ "username": "alice", "access_token": "mat1.renewed.token", "access_expires_at": NOW + 60 })
}

#[test]
fn a_live_access_token_goes_to_motus_and_auth_is_not_asked() {
    let token = access_for("alice", &key(), NOW - 10);
    let up = FakeSiblings::default().on(
        Service::Motus,
        Verb::Post,
        "/motus/games",
        201,
        game("playing"),
    );
    let r = with_cookies(post("/api/games", json!({})), &token)
        .access_key(key())
        .send(&up);
    assert_eq!(r.status, 201);
    assert_eq!(
        up.called(Service::Motus, "/motus/games")[0]
            .token
            .as_deref(),
        Some(token.as_str())
    );
    assert!(up.called(Service::Auth, "/auth/access").is_empty());
    assert!(up.called(Service::Auth, "/auth/me").is_empty());
    assert_eq!(r.header_values("set-cookie").count(), 0);
}

#[test]
fn me_names_the_player_of_the_access_token_without_auth() {
    let token = access_for("alice", &key(), NOW);
    let up = healthy_me();
    let r = with_cookies(get("/api/me"), &token)
        .access_key(key())
        .send(&up);
    assert_eq!(r.status, 200);
    assert_eq!(json(&r)["user"], json!({ "username": "alice" }));
    assert!(up.called(Service::Auth, "/auth/me").is_empty());
    assert_eq!(up.called(Service::Score, "/score/alice").len(), 1);
    let open = up.called(Service::Motus, "/motus/games/open");
    assert_eq!(open[0].token.as_deref(), Some(token.as_str()));
}

#[test]
fn an_expired_or_foreign_access_token_is_renewed_from_the_session() {
    let other = AccessKey::from_secret("some other deployment's secret!!")
        .unwrap()
        .unwrap();
    for stale in [
        access_for("alice", &key(), NOW - 60),
        access_for("alice", &other, NOW),
    ] {
        let up = FakeSiblings::default()
            .on(Service::Auth, Verb::Post, "/auth/access", 200, renewal())
            .on(
                Service::Motus,
                Verb::Post,
                "/motus/games",
                201,
                game("playing"),
            );
        let r = with_cookies(post("/api/games", json!({})), &stale)
            .access_key(key())
            .send(&up);
        assert_eq!(r.status, 201);
        assert_eq!(
            up.called(Service::Auth, "/auth/access")[0].token.as_deref(),
            Some("tok123")
        );
        assert_eq!(
            up.called(Service::Motus, "/motus/games")[0]
                .token
                .as_deref(),
            Some("mat1.renewed.token")
        );
        let cookies: Vec<&str> = r.header_values("set-cookie").collect();
        assert_eq!(cookies.len(), 1, "{cookies:?}");
        assert!(
            cookies[0].starts_with("motus_access=mat1.renewed.token;"),
            "{}",
            cookies[0]
        );
        assert!(cookies[0].contains("Max-Age=60") && cookies[0].contains("HttpOnly"));
    }
}

#[test]
fn a_session_auth_refuses_is_a_401_and_every_cookie_goes() {
    let up = FakeSiblings::default().on(
        Service::Auth,
        Verb::Post,
        "/auth/access",
        401,
        json!({"error": {"code": "unauthenticated", "message": "Session expirée"}}),
    );
    let r = get("/api/me").logged_in().access_key(key()).send(&up);
    assert_eq!(r.status, 401);
    let cookies: Vec<&str> = r.header_values("set-cookie").collect();
    assert_eq!(cookies.len(), 3);
    assert!(cookies.iter().any(|c| c.starts_with("motus_access=;")));
}

#[test]
fn signing_in_hands_the_browser_its_first_access_token() {
    let mut answer = session_answer();
    answer["access_token"] = json!("mat1.first.token");
    answer["access_expires_at"] = json!(NOW + 60);
    let up = FakeSiblings::default().on(Service::Auth, Verb::Post, "/auth/login", 200, answer);
    let r = post("/api/login", json!({"username": "alice", "password": "pw"}))
        .access_key(key())
        .send(&up);
    assert_eq!(r.status, 200);
    let body = json(&r);
    assert!(
        body.get("access_token").is_none(),
        "tokens stay in cookies: {body}"
    );
    let cookies: Vec<&str> = r.header_values("set-cookie").collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("motus_access=mat1.first.token;")),
        "{cookies:?}"
    );
}

#[test]
fn without_a_key_the_session_token_is_the_bearer_as_before() {
    let token = access_for("alice", &key(), NOW);
    let up = FakeSiblings::default().on(
        Service::Motus,
        Verb::Post,
        "/motus/games",
        201,
        game("playing"),
    );
    let r = with_cookies(post("/api/games", json!({})), &token).send(&up);
    assert_eq!(r.status, 201);
    assert_eq!(
        up.called(Service::Motus, "/motus/games")[0]
            .token
            .as_deref(),
        Some("tok123")
    );
}

/// Motus and score answering `/api/me`'s reads.
fn healthy_me() -> FakeSiblings {
    FakeSiblings::default()
        .on(
            Service::Score,
            Verb::Get,
            "/score/alice",
            200,
            json!({"player": "alice"}),
        )
        .no_open_games()
}
