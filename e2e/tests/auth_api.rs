//! auth's public API through the real host: accounts, sessions, password change, deletion and
//! lockout, with every status the contract names.

use e2e::api::{Api, PASSWORD};
use e2e::TestHost;
use reqwest::Method;
use serde_json::json;
use std::time::{SystemTime, UNIX_EPOCH};

async fn start() -> (TestHost, Api) {
    e2e::clear_of_a_lockout_window_end().await;
    TestHost::builder("spin.toml")
        .variable("answer_words", "MAISON")
        .start_with_api()
        .await
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test(flavor = "multi_thread")]
async fn registering_returns_a_token_that_identifies_the_new_account() {
    let (_app, api) = start().await;

    let reply = api.register_reply("Alice", PASSWORD).await;

    let body = reply.expect(201);
    assert_eq!(body["username"], "Alice");
    let token = body["token"].as_str().unwrap();
    assert_eq!(
        token.len(),
        43,
        "32 bytes in base64url without padding: {token}"
    );
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "{token}"
    );
    let expires_at = body["expires_at"].as_u64().unwrap();
    assert!(
        expires_at > now() + 6 * 86_400,
        "a week by default: {expires_at}"
    );
    let me = api.me(token).await.expect(200);
    assert_eq!(me["username"], "Alice");
    assert!(
        me["created_at"].as_u64().unwrap().abs_diff(now()) < 60,
        "{me}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_username_is_taken_whatever_its_case() {
    let (_app, api) = start().await;
    api.register("Alice").await;

    for name in ["Alice", "alice", "ALICE"] {
        api.register_reply(name, "another password")
            .await
            .expect_error(409, "username_taken");
    }

    // The account that exists is still the first one.
    api.login("alice", PASSWORD).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn registration_refuses_invalid_usernames_and_passwords() {
    let (_app, api) = start().await;
    let cases = [
        ("a", PASSWORD, "invalid_username"),
        (&"n".repeat(21), PASSWORD, "invalid_username"),
        ("zoé", PASSWORD, "invalid_username"),
        ("with space", PASSWORD, "invalid_username"),
        ("semi;colon", PASSWORD, "invalid_username"),
        ("", PASSWORD, "invalid_username"),
        ("admin", PASSWORD, "invalid_username"),
        ("leaderboard", PASSWORD, "invalid_username"),
        ("..", PASSWORD, "invalid_username"),
        ("bob.", PASSWORD, "invalid_username"),
        ("_bob", PASSWORD, "invalid_username"),
        ("bob", "short", "invalid_password"),
        ("bob", "1234567", "invalid_password"),
        ("bob", "", "invalid_password"),
        ("bob", &"p".repeat(257), "invalid_password"),
    ];
    for (username, password, code) in cases {
        let reply = api.register_reply(username, password).await;
        assert_eq!(
            (reply.status, reply.error_code().as_str()),
            (400, code),
            "{username:?} / {password:?}"
        );
    }
    for body in [
        json!({ "username": "bob" }),
        json!({ "password": PASSWORD }),
        json!({ "username": 1, "password": 2 }),
    ] {
        api.post("/auth/register", None, body.clone())
            .await
            .expect_error(400, "invalid_json");
    }
    // Nothing was created along the way.
    api.login_reply("bob", PASSWORD)
        .await
        .expect_error(401, "invalid_credentials");
}

#[tokio::test(flavor = "multi_thread")]
async fn passwords_at_the_limits_are_kept_whole() {
    let (_app, api) = start().await;
    let long = format!("{}{}", "p".repeat(255), "!");
    let cases = [
        ("eight", "12345678"),
        ("emoji", "🔒🔑🗝🔐🔏🔓🛡🚪"),
        ("longest", long.as_str()),
        ("accents", "été à Noël"),
    ];

    for (name, password) in cases {
        api.register_reply(name, password).await.expect(201);
        api.login(name, password).await;
    }

    // No truncation: the 256-character password without its last character is wrong.
    api.login_reply("longest", &long[..255])
        .await
        .expect_error(401, "invalid_credentials");
}

#[tokio::test(flavor = "multi_thread")]
async fn logging_in_with_the_seed_body_opens_a_second_session() {
    let (_app, api) = start().await;
    let first = api.register("Alice").await;

    let reply = api
        .post(
            "/auth/login",
            None,
            json!({ "username": "alice", "password": PASSWORD }),
        )
        .await;

    let body = reply.expect(200);
    assert_eq!(body["username"], "Alice", "shown as registered");
    let second = body["token"].as_str().unwrap();
    assert_ne!(second, first.token);
    assert!(body["expires_at"].as_u64().unwrap() > now());
    api.me(second).await.expect(200);
    api.me(&first.token).await.expect(200);
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_logins_get_one_generic_answer() {
    let (_app, api) = start().await;
    api.register("alice").await;
    let cases = [
        ("alice", "wrong password"),
        ("nobody", PASSWORD),
        ("x", PASSWORD),
        ("alice", "short"),
        ("zoé", PASSWORD),
    ];

    let mut messages = Vec::new();
    for (username, password) in cases {
        let reply = api.login_reply(username, password).await;
        assert_eq!(
            (reply.status, reply.error_code().as_str()),
            (401, "invalid_credentials"),
            "{username}"
        );
        messages.push(reply.json()["error"]["message"].clone());
    }

    messages.dedup();
    assert_eq!(
        messages.len(),
        1,
        "one message for every failure: {messages:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn logging_out_revokes_only_that_token() {
    let (_app, api) = start().await;
    let kept = api.register("alice").await;
    let gone = api.login("alice", PASSWORD).await;

    api.post("/auth/logout", gone.token(), json!({}))
        .await
        .expect(204);

    let me = api.me(&gone.token).await;
    me.expect_error(401, "unauthenticated");
    assert_eq!(me.header("www-authenticate"), Some("Bearer"));
    api.post("/auth/logout", gone.token(), json!({}))
        .await
        .expect_error(401, "unauthenticated");
    api.me(&kept.token).await.expect(200);
}

#[tokio::test(flavor = "multi_thread")]
async fn changing_the_password_keeps_the_caller_and_revokes_other_sessions() {
    let (_app, api) = start().await;
    let other = api.register("alice").await;
    let caller = api.login("alice", PASSWORD).await;
    let change =
        |current: &str, new: &str| json!({ "current_password": current, "new_password": new });

    api.json(
        Method::PUT,
        "/auth/password",
        caller.token(),
        change("not it", "new password 1"),
    )
    .await
    .expect_error(403, "wrong_password");
    api.json(
        Method::PUT,
        "/auth/password",
        caller.token(),
        change(PASSWORD, "short"),
    )
    .await
    .expect_error(400, "invalid_password");
    api.me(&other.token).await.expect(200);
    let reply = api
        .json(
            Method::PUT,
            "/auth/password",
            caller.token(),
            change(PASSWORD, "new password 1"),
        )
        .await;

    reply.expect(204);
    api.me(&caller.token).await.expect(200);
    api.me(&other.token)
        .await
        .expect_error(401, "unauthenticated");
    api.login_reply("alice", PASSWORD)
        .await
        .expect_error(401, "invalid_credentials");
    api.login("alice", "new password 1").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn deleting_the_account_ends_every_session_and_reserves_the_name() {
    let (_app, api) = start().await;
    let first = api.register("alice").await;
    let second = api.login("alice", PASSWORD).await;

    api.json(
        Method::DELETE,
        "/auth/me",
        first.token(),
        json!({ "password": "not it" }),
    )
    .await
    .expect_error(403, "wrong_password");
    api.me(&first.token).await.expect(200);
    let reply = api
        .json(
            Method::DELETE,
            "/auth/me",
            first.token(),
            json!({ "password": PASSWORD }),
        )
        .await;

    reply.expect(204);
    for token in [&first.token, &second.token] {
        api.me(token).await.expect_error(401, "unauthenticated");
    }
    api.login_reply("alice", PASSWORD)
        .await
        .expect_error(401, "invalid_credentials");
    // Reserved while access tokens issued to the deleted account may live (access_tokens and
    // account_deletion, without access tokens, show the name free again).
    let again = api.register_reply("Alice", "another password").await;
    again.expect_error(409, "username_taken");
    assert!(again.text.contains("disponible"), "{}", again.text);
}

#[tokio::test(flavor = "multi_thread")]
async fn repeated_failed_logins_lock_this_client_with_a_retry_delay() {
    let (_app, api) = start().await;
    api.register("alice").await;
    api.register("bob").await;

    // The failure that triggers the lock still answers 401; the lock shows from the next one.
    for attempt in 1..=5 {
        let reply = api.login_reply("alice", "wrong password").await;
        assert_eq!(reply.status, 401, "attempt {attempt}: {}", reply.text);
    }
    let locked = api.login_reply("alice", "wrong password").await;
    let right_password = api.login_reply("alice", PASSWORD).await;

    for reply in [&locked, &right_password] {
        reply.expect_error(429, "too_many_attempts");
        let retry_after: u64 = reply
            .header("retry-after")
            .expect("Retry-After")
            .parse()
            .unwrap();
        assert!(
            (1..=60).contains(&retry_after),
            "the lock ends with the minute: {retry_after}"
        );
    }
    api.login("bob", PASSWORD).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_names_lock_like_real_ones() {
    let (_app, api) = start().await;

    for _ in 1..=5 {
        api.login_reply("ghost", PASSWORD)
            .await
            .expect_error(401, "invalid_credentials");
    }
    let reply = api.login_reply("ghost", PASSWORD).await;

    reply.expect_error(429, "too_many_attempts");
    assert!(reply.header("retry-after").is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_passwords_on_account_routes_count_towards_the_lock() {
    let (_app, api) = start().await;
    let alice = api.register("alice").await;
    let change = json!({ "current_password": "not it", "new_password": "new password 1" });

    for _ in 1..=5 {
        api.json(Method::PUT, "/auth/password", alice.token(), change.clone())
            .await
            .expect_error(403, "wrong_password");
    }
    let delete = api
        .json(
            Method::DELETE,
            "/auth/me",
            alice.token(),
            json!({ "password": PASSWORD }),
        )
        .await;

    delete.expect_error(429, "too_many_attempts");
    assert!(delete.header("retry-after").is_some());
    api.login_reply("alice", PASSWORD)
        .await
        .expect_error(429, "too_many_attempts");
    api.me(&alice.token).await.expect(200);
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_auth_routes_and_wrong_methods_answer_in_json() {
    let (_app, api) = start().await;
    let cases = [
        (Method::GET, "/auth/login", 405, Some("POST")),
        (Method::GET, "/auth/register", 405, Some("POST")),
        (Method::GET, "/auth/logout", 405, Some("POST")),
        (Method::POST, "/auth/me", 405, Some("GET, DELETE")),
        (Method::GET, "/auth/password", 405, Some("PUT")),
        (Method::GET, "/auth/nowhere", 404, None),
        (Method::GET, "/auth/", 404, None),
    ];

    for (method, path, status, allow) in cases {
        let reply = api.send(method.clone(), path, None, None, Vec::new()).await;
        assert_eq!(reply.status, status, "{method} {path}: {}", reply.text);
        reply.error_code();
        assert_eq!(reply.header("allow"), allow, "{method} {path}");
    }
}
