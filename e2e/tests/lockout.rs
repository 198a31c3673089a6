//! Password attempts are counted before they are hashed, per name and client address: a burst of
//! wrong passwords gets only the allowed hashes, and a lock at one address leaves the player free
//! to log in from another.

use std::net::{IpAddr, Ipv4Addr};

use e2e::api::{Api, Reply, WebClient as Browser, PASSWORD};
use e2e::TestHost;
use reqwest::Method;
use serde_json::json;

const HOME: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1));
const ELSEWHERE: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
/// The attempts one client gets on one name per minute (auth/README.md).
const ALLOWED: usize = 5;
const SECRET: &str = "shared-between-webapp-and-auth";

async fn start(internal_token: Option<&str>) -> (TestHost, Api) {
    e2e::clear_of_a_lockout_window_end().await;
    let mut builder = TestHost::builder("spin.toml").variable("answer_words", "MAISON");
    if let Some(token) = internal_token {
        builder = builder.variable("internal_token", token);
    }
    let app = builder.start().await;
    let api = Api::from_address(&app, HOME);
    (app, api)
}

fn retry_after(reply: &Reply) -> u64 {
    reply
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .unwrap()
}

async fn login_with(api: &Api, username: &str, password: &str, headers: &[(&str, &str)]) -> Reply {
    let body = json!({ "username": username, "password": password }).to_string();
    let mut all = vec![("content-type", "application/json")];
    all.extend_from_slice(headers);
    api.try_send(Method::POST, "/auth/login", &all, body)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn sixteen_concurrent_wrong_passwords_get_only_five_hashes() {
    let (_app, api) = start(None).await;
    api.register("alice").await;

    let replies =
        futures::future::join_all((0..16).map(|_| api.login_reply("alice", "wrong password")))
            .await;

    // A 401 is a password hashed and found wrong; a 429 is refused before any hashing.
    let answered = |status| replies.iter().filter(|r| r.status == status).count();
    let statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    // Exactly ALLOWED on an idle machine; fewer when the machine is so loaded that the attempts
    // waiting for a slot give up (3 s) before the first ones finish hashing. Never more.
    assert!((1..=ALLOWED).contains(&answered(401)), "{statuses:?}");
    assert_eq!(answered(401) + answered(429), 16, "{statuses:?}");
    for locked in replies.iter().filter(|r| r.status == 429) {
        locked.expect_error(429, "too_many_attempts");
        assert!((1..=60).contains(&retry_after(locked)));
    }
    api.login_reply("alice", PASSWORD)
        .await
        .expect_error(429, "too_many_attempts");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_burst_of_right_passwords_from_one_address_all_log_in() {
    let (_app, api) = start(None).await;
    api.register("alice").await;

    let replies =
        futures::future::join_all((0..16).map(|_| api.login_reply("alice", PASSWORD))).await;

    // Checks in flight hold slots only while they run: the others wait for one, not a 429.
    let statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200; 16]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_player_locked_at_one_address_still_logs_in_from_another() {
    let (app, api) = start(None).await;
    api.register("alice").await;
    for _ in 0..ALLOWED {
        api.login_reply("alice", "wrong password")
            .await
            .expect_error(401, "invalid_credentials");
    }
    api.login_reply("alice", PASSWORD)
        .await
        .expect_error(429, "too_many_attempts");

    let elsewhere = Api::from_address(&app, ELSEWHERE);
    let session = elsewhere.login("alice", PASSWORD).await;

    elsewhere.me(&session.token).await.expect(200);
    api.login_reply("alice", PASSWORD)
        .await
        .expect_error(429, "too_many_attempts");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_cannot_escape_its_lock_by_claiming_another_address() {
    let (_app, api) = start(Some(SECRET)).await;
    api.register("alice").await;

    // Without the secret, or with a wrong one, the claimed address is ignored.
    for n in 0..ALLOWED {
        let claimed = format!("198.51.100.{n}:1000");
        let wrong_secret = if n % 2 == 0 { "guess" } else { "" };
        let headers = [
            ("motus-forwarded-client", claimed.as_str()),
            ("motus-internal-token", wrong_secret),
        ];
        login_with(&api, "alice", "wrong password", &headers)
            .await
            .expect_error(401, "invalid_credentials");
    }
    let headers = [("motus-forwarded-client", "198.51.100.99:1000")];

    login_with(&api, "alice", PASSWORD, &headers)
        .await
        .expect_error(429, "too_many_attempts");

    // Spin's own header cannot be forged either: the host's value is the one that counts.
    login_with(
        &api,
        "alice",
        PASSWORD,
        &[("spin-client-addr", "198.51.100.98:1")],
    )
    .await
    .expect_error(429, "too_many_attempts");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sibling_holding_the_secret_has_its_clients_counted_apart() {
    let (_app, api) = start(Some(SECRET)).await;
    api.register("alice").await;
    let from = |addr: &'static str| {
        [
            ("motus-forwarded-client", addr),
            ("motus-internal-token", SECRET),
        ]
    };
    for _ in 0..ALLOWED {
        login_with(&api, "alice", "wrong password", &from("198.51.100.1:1000"))
            .await
            .expect_error(401, "invalid_credentials");
    }

    login_with(&api, "alice", PASSWORD, &from("198.51.100.1:2000"))
        .await
        .expect_error(429, "too_many_attempts");
    login_with(&api, "alice", PASSWORD, &from("198.51.100.2:1000"))
        .await
        .expect(200);
    api.login("alice", PASSWORD).await;
}

async fn web_login(browser: &Browser, password: &str) -> Reply {
    browser
        .call(
            Method::POST,
            "/api/login",
            Some(json!({ "username": "alice", "password": password })),
        )
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn browsers_behind_the_webapp_are_told_apart_when_it_shares_the_secret() {
    let (app, api) = start(Some(SECRET)).await;
    api.register("alice").await;
    let guesser = Browser::new(Api::from_address(&app, HOME));
    let player = Browser::new(Api::from_address(&app, ELSEWHERE));
    for _ in 0..ALLOWED {
        web_login(&guesser, "wrong password")
            .await
            .expect_error(401, "invalid_credentials");
    }

    let locked = web_login(&guesser, PASSWORD).await;
    let welcome = web_login(&player, PASSWORD).await;

    locked.expect_error(429, "too_many_attempts");
    assert!(locked.header("retry-after").is_some());
    assert_eq!(welcome.expect(200)["username"], "alice");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_the_secret_every_browser_behind_the_webapp_shares_one_budget() {
    let (app, api) = start(None).await;
    api.register("alice").await;
    let guesser = Browser::new(Api::from_address(&app, HOME));
    let player = Browser::new(Api::from_address(&app, ELSEWHERE));
    for _ in 0..ALLOWED {
        web_login(&guesser, "wrong password")
            .await
            .expect_error(401, "invalid_credentials");
    }

    // The documented trade-off of running without `internal_token`: the webapp is one client.
    web_login(&player, PASSWORD)
        .await
        .expect_error(429, "too_many_attempts");
    api.login("alice", PASSWORD).await;
}
