//! Access tokens, black-box: with `access_secret` set, auth hands out short-lived signed tokens
//! that motus, score and the webapp check themselves (no call to auth), and the rules that keep
//! logout and deletion meaningful hold (docs/security.md, "Access tokens").
//!
//! Proof that no call to auth is made: the same requests succeed on `auth-down.toml`, the app
//! without its auth component, with a token signed under the configured secret.

use base64::Engine;
use e2e::api::WebClient;
use e2e::api::{id_of, planted, Api, Session, PASSWORD};
use e2e::TestHost;
use serde_json::{json, Value};
use spin_kit::access::AccessKey;
use spin_kit::names::PlayerName;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SECRET: &str = "the e2e access secret, 32 bytes or more";

async fn start(ttl_seconds: u64) -> (TestHost, Api) {
    TestHost::builder("spin.toml")
        .planted()
        .variable("access_secret", SECRET)
        .variable("access_ttl_seconds", &ttl_seconds.to_string())
        .start_with_api()
        .await
}

/// The session auth opened and the access token that came with it, as two bearers.
async fn register(api: &Api, name: &str) -> (Session, Session) {
    let body = api.register_reply(name, PASSWORD).await.expect(201);
    let access = body["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("no access token: {body}"));
    let as_session = |token: &str| Session {
        username: name.to_owned(),
        token: token.to_owned(),
    };
    (
        as_session(body["token"].as_str().unwrap()),
        as_session(access),
    )
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A token as auth would sign it with `secret`.
fn minted(secret: &str, name: &str) -> String {
    let key = AccessKey::from_secret(secret).unwrap().unwrap();
    key.issue(&PlayerName::parse(name).unwrap(), now(), 60)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_access_token_plays_and_scores_a_whole_game() {
    let (_app, api) = start(60).await;
    let (_, alice) = register(&api, "alice").await;
    let game = api.practice(&alice, 6).await;
    let won = api
        .play(&alice, &id_of(&game), &planted(6).script(Some(2)))
        .await;
    assert_eq!(won["status"], "won");
    assert_eq!(
        won["recorded"], true,
        "score recorded it with the access token: {won}"
    );
    let history = api.history("alice", Some(&alice)).await.expect(200);
    // Her own history, answers included: score took the token as hers.
    assert_eq!(history["items"][0]["answer"], planted(6).word, "{history}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_renews_its_access_token_and_nothing_else_does() {
    let (_app, api) = start(60).await;
    let (session, access) = register(&api, "alice").await;
    let renewed = api
        .post("/auth/access", Some(&session.token), json!({}))
        .await
        .expect(200);
    assert_eq!(renewed["username"], "alice");
    let renewed = Session {
        username: "alice".into(),
        token: renewed["access_token"].as_str().unwrap().to_owned(),
    };
    api.new_game_reply(&renewed, "practice", Some(6))
        .await
        .expect(201);
    for bearer in [None, Some(access.token.as_str())] {
        api.post("/auth/access", bearer, json!({}))
            .await
            .expect_error(401, "unauthenticated");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forged_or_altered_access_token_is_refused_everywhere() {
    let (_app, api) = start(60).await;
    let (_, alice) = register(&api, "alice").await;
    register(&api, "mallory").await;
    let forged = Session {
        username: "alice".into(),
        token: minted("not the deployment's secret, but long", "alice"),
    };
    // Mallory's own token with the name in its payload changed to alice's.
    let (_, mallory) = register(&api, "mallory2").await;
    let (head, mac) = mallory.token.rsplit_once('.').unwrap();
    let (prefix, _) = head.split_once('.').unwrap();
    let payload = format!(r#"{{"sub":"alice","iat":{},"exp":{}}}"#, now(), now() + 60);
    let altered = Session {
        username: "alice".into(),
        token: format!("{prefix}.{}.{mac}", base64url(payload.as_bytes())),
    };
    for who in [&forged, &altered] {
        api.new_game_reply(who, "practice", Some(6))
            .await
            .expect_error(401, "unauthenticated");
        let status = api.history("alice", Some(who)).await.status;
        assert_eq!(status, 401);
    }
    // The real one still works.
    api.new_game_reply(&alice, "practice", Some(6))
        .await
        .expect(201);
}

#[tokio::test(flavor = "multi_thread")]
async fn logout_reaches_an_access_token_within_its_lifetime() {
    // Four seconds: issue times are whole seconds, so the token has at least three left when it
    // is issued — time enough for the logout and the first use below even on a loaded machine —
    // and none 4.1 s after that first use.
    let (_app, api) = start(4).await;
    let (session, access) = register(&api, "alice").await;
    api.post("/auth/logout", Some(&session.token), json!({}))
        .await
        .expect(204);
    // The rule: already issued, it lives out its (short) life...
    api.new_game_reply(&access, "practice", Some(6))
        .await
        .expect(201);
    // ...and no session can renew it.
    api.post("/auth/access", Some(&session.token), json!({}))
        .await
        .expect_error(401, "unauthenticated");
    tokio::time::sleep(Duration::from_millis(4_100)).await;
    api.new_game_reply(&access, "practice", Some(6))
        .await
        .expect_error(401, "unauthenticated");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_account_leaves_nothing_its_live_access_token_can_use() {
    let (_app, api) = start(60).await;
    let (session, access) = register(&api, "alice").await;
    api.practice(&access, 6).await;
    let reply = api
        .json(
            reqwest::Method::DELETE,
            "/auth/me",
            Some(&session.token),
            json!({ "password": PASSWORD }),
        )
        .await;
    reply.expect(204);
    // The token is still signed and unexpired, yet it can start nothing for the gone account...
    api.new_game_reply(&access, "practice", Some(6))
        .await
        .expect_error(401, "unauthenticated");
    // ...and nobody can take the name over while such tokens live.
    api.register_reply("Alice", PASSWORD)
        .await
        .expect_error(409, "username_taken");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_webapp_renews_the_access_token_from_the_session_cookie() {
    let (_app, api) = start(60).await;
    let mut browser = WebClient::new(api.clone());
    let signed_in = browser.register("alice").await;
    let cookies = signed_in.header_all("set-cookie");
    assert!(
        cookies.iter().any(|c| c.starts_with("motus_access=mat1.")),
        "{cookies:?}"
    );
    assert!(
        !signed_in.text.contains("mat1."),
        "tokens stay in HttpOnly cookies"
    );
    browser
        .post("/api/games", json!({"mode": "practice", "length": 6}))
        .await
        .expect(201);

    // Without it (expired, the browser dropped it) the session buys a new one.
    browser.cookies.retain(|c| !c.starts_with("motus_access="));
    let me = browser.get("/api/me").await;
    assert_eq!(me.expect(200)["user"], json!({ "username": "alice" }));
    let renewed = me.header_all("set-cookie");
    assert!(
        renewed.iter().any(|c| c.starts_with("motus_access=mat1.")),
        "{renewed:?}"
    );
    assert!(browser
        .cookies
        .iter()
        .any(|c| c.starts_with("motus_access=")));
}

#[tokio::test(flavor = "multi_thread")]
async fn with_auth_gone_an_access_token_still_plays_through_motus_and_the_webapp() {
    if e2e::skip_on_spin(
        "on Spin 4 a call to a *.spin.internal component missing from the app traps the caller",
    ) {
        return;
    }
    let (mut app, api) = start(60).await;
    let (_, bob) = register(&api, "bob").await;
    let mut browser = WebClient::new(api.clone());
    browser.register("carol").await.expect(201);
    app.restart_with_manifest("e2e/manifests/auth-down.toml")
        .await;

    let fresh = Session {
        username: "bob".into(),
        token: minted(SECRET, "bob"),
    };
    for who in [&bob, &fresh] {
        let game = api.practice(who, 6).await;
        let guessed = api
            .guess(who, &id_of(&game), planted(6).word)
            .await
            .expect(200);
        assert_eq!(guessed["status"], "won");
    }
    let game: Value = browser
        .post("/api/games", json!({"mode": "practice", "length": 6}))
        .await
        .expect(201);
    assert_eq!(game["status"], "playing");
    assert_eq!(
        browser.get("/api/me").await.expect(200)["user"]["username"],
        "carol"
    );
}

fn base64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
