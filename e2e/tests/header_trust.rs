//! A client that sends `spin-*` headers of its own cannot pass them off as the host's.
//!
//! Hosts tell a component about the request in `spin-*` headers (`spin-full-url`,
//! `spin-client-addr`, ...). Our host removes any a client sent; Spin 4 keeps them and adds its
//! own after them, so these tests matter most with `MOTUS_TEST_HOST=spin`. Each forges the
//! headers a component might be fooled by and checks what the app decides: the webapp's origin
//! check, the flags on its session cookie, and the request metadata a component reads through
//! spin-kit (the fixture's `/seen` route in e2e/manifests/host-test.toml).

use e2e::api::{Api, Reply, PASSWORD};
use e2e::TestHost;
use reqwest::Method;
use serde_json::json;

async fn start_webapp() -> (TestHost, Api) {
    TestHost::builder("spin.toml").start_with_api().await
}

/// A registration sent with `headers` on top of a JSON content type.
async fn register(api: &Api, username: &str, headers: &[(&str, &str)]) -> Reply {
    let mut all = vec![("content-type", "application/json")];
    all.extend_from_slice(headers);
    let body = json!({ "username": username, "password": PASSWORD }).to_string();
    api.try_send(Method::POST, "/api/register", &all, body)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forged_full_url_does_not_let_a_foreign_origin_through() {
    let (app, api) = start_webapp().await;
    let own = app.url("");

    let forged = [
        ("origin", "http://evil.example"),
        ("spin-full-url", "http://evil.example/api/register"),
    ];
    register(&api, "mallory", &forged)
        .await
        .expect_error(403, "cross_site");

    // The same forgery does not stand in the way of a request from our own origin.
    let honest = [
        ("origin", own.as_str()),
        ("spin-full-url", "http://evil.example/api/register"),
    ];
    register(&api, "alice", &honest).await.expect(201);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forged_https_full_url_does_not_make_the_session_cookies_secure() {
    let (app, api) = start_webapp().await;
    let claimed = app.url("/api/register").replace("http://", "https://");

    let reply = register(&api, "alice", &[("spin-full-url", claimed.as_str())]).await;

    reply.expect(201);
    let cookies = reply.header_all("set-cookie");
    assert!(cookies.len() >= 2, "{cookies:?}");
    for cookie in &cookies {
        assert!(
            !cookie.to_ascii_lowercase().contains("secure"),
            "a plain-HTTP client was given a Secure cookie: {cookie}"
        );
        assert!(cookie.contains("HttpOnly"), "{cookie}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_component_sees_the_real_client_address_and_url_whatever_the_client_claims() {
    let (app, api) = TestHost::builder("e2e/manifests/host-test.toml")
        .variable("secret", "s")
        .start_with_api()
        .await;
    let forged = [
        ("spin-client-addr", "203.0.113.66:4444"),
        ("spin-full-url", "https://evil.example/fx/seen"),
    ];

    let reply = api
        .try_send(Method::GET, "/fx/seen", &forged, Vec::new())
        .await
        .unwrap();

    assert_eq!(reply.status, 200, "{}", reply.text);
    let seen: Vec<&str> = reply.text.lines().collect();
    let addr = seen[0].strip_prefix("spin-client-addr: ").unwrap();
    assert!(
        addr.starts_with("127.0.0.1:") && addr != "127.0.0.1:0",
        "{}",
        reply.text
    );
    assert_eq!(
        seen[1],
        format!("spin-full-url: {}", app.url("/fx/seen")),
        "{}",
        reply.text
    );
}
