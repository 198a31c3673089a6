//! Register, login and logout: the session cookie in place of auth's token.

use super::*;
#[test]
fn registering_sets_the_session_cookie_and_hides_the_token() {
    let up = FakeSiblings::default().on(
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
    let cookies: Vec<&str> = r.header_values("set-cookie").collect::<Vec<_>>();
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
    let up = FakeSiblings::default().on(
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
        .collect::<Vec<_>>()
        .iter()
        .all(|c| c.ends_with("; Secure")));
}

#[test]
fn a_wrong_password_and_a_lockout_are_passed_through() {
    let up = FakeSiblings::default().on(
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
    let up = FakeSiblings::default().answer_with(Service::Auth, Verb::Post, "/auth/login", locked);
    let r = post("/api/login", json!({"username": "a", "password": "b"})).send(&up);
    assert_eq!(r.status, 429);
    assert_eq!(r.header_value("retry-after"), Some("120"));
}

#[test]
fn a_login_answer_without_token_is_a_bad_gateway() {
    let up = FakeSiblings::default().on(
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
    let up =
        FakeSiblings::default().on(Service::Auth, Verb::Post, "/auth/logout", 204, Value::Null);
    let r = post("/api/logout", json!({})).logged_in().send(&up);
    assert_eq!(r.status, 204);
    assert!(r.body.is_empty());
    let cookies: Vec<&str> = r.header_values("set-cookie").collect::<Vec<_>>();
    assert_eq!(cookies.len(), 3);
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
        .send(&FakeSiblings::default());
    assert_eq!(r.status, 503);
    assert_eq!(r.header_values("set-cookie").collect::<Vec<_>>().len(), 3);
}
