//! Hostile and broken request bodies: every route that reads a body answers a 4xx with the shared
//! JSON error shape, never a 5xx, and the service keeps working afterwards.

use e2e::api::{id_of, send_full_duplex, send_then_read, Api, Reply, PASSWORD};
use e2e::TestHost;
use reqwest::Method;

const ADMIN: &str = "admin-token-for-tests";

struct Target {
    method: Method,
    path: String,
    headers: Vec<(&'static str, String)>,
}

/// An app, a player with a game, and every route that parses a body (logout is left out: it
/// reads none, so any body succeeds and ends the session the other calls use).
async fn start() -> (TestHost, Api, Vec<Target>) {
    let (app, api) = TestHost::builder("spin.toml")
        .variable("answer_words", "MAISON")
        .variable("admin_token", ADMIN)
        .start_with_api()
        .await;
    let alice = api.register("alice").await;
    let id = id_of(&api.practice(&alice, 6).await);
    let login = api
        .try_send(
            Method::POST,
            "/api/login",
            &[("content-type", "application/json")],
            format!(r#"{{"username":"alice","password":"{PASSWORD}"}}"#),
        )
        .await
        .unwrap();
    let cookie: Vec<String> = login
        .header_all("set-cookie")
        .iter()
        .map(|c| c.split(';').next().unwrap().to_owned())
        .collect();
    let bearer = format!("Bearer {}", alice.token);
    let target = |method: Method, path: &str, auth: Option<(&'static str, String)>| Target {
        method,
        path: path.to_owned(),
        headers: [("content-type", "application/json".to_owned())]
            .into_iter()
            .chain(auth)
            .collect(),
    };
    let with_bearer = || Some(("authorization", bearer.clone()));
    let with_cookie = || Some(("cookie", cookie.join("; ")));
    let targets = vec![
        target(Method::POST, "/auth/register", None),
        target(Method::POST, "/auth/login", None),
        target(Method::PUT, "/auth/password", with_bearer()),
        target(Method::DELETE, "/auth/me", with_bearer()),
        target(Method::POST, "/motus/games", with_bearer()),
        target(
            Method::POST,
            &format!("/motus/games/{id}/guesses"),
            with_bearer(),
        ),
        target(Method::POST, "/motus/guess", with_bearer()),
        target(Method::POST, "/score/games", None),
        target(
            Method::POST,
            "/score/update",
            Some(("authorization", format!("Bearer {ADMIN}"))),
        ),
        target(Method::POST, "/api/register", None),
        target(Method::POST, "/api/login", None),
        target(Method::POST, "/api/games", with_cookie()),
        target(
            Method::POST,
            &format!("/api/games/{id}/guesses"),
            with_cookie(),
        ),
    ];
    (app, api, targets)
}

impl Target {
    fn header_pairs(&self) -> Vec<(&str, &str)> {
        self.headers.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }

    fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

#[track_caller]
fn assert_too_large(reply: &Reply, what: &str) {
    assert_eq!(
        (reply.status, reply.error_code().as_str()),
        (413, "payload_too_large"),
        "{what}"
    );
}

async fn send(api: &Api, target: &Target, body: impl Into<reqwest::Body>) -> Reply {
    api.try_send(
        target.method.clone(),
        &target.path,
        &target.header_pairs(),
        body,
    )
    .await
    .unwrap_or_else(|e| panic!("{} {}: {e}", target.method, target.path))
}

#[track_caller]
fn assert_client_error(reply: &Reply, what: &str) {
    assert!(
        (400..500).contains(&reply.status),
        "{what}: expected a 4xx, got {} {}",
        reply.status,
        reply.text
    );
    reply.error_code();
}

/// Bodies no route accepts. Each would be valid for none of the routes' shapes.
fn broken_bodies() -> Vec<(&'static str, Vec<u8>)> {
    let text = |s: &str| s.as_bytes().to_vec();
    vec![
        ("empty", Vec::new()),
        ("whitespace", text("  \n")),
        ("truncated object", text(r#"{"username":"#)),
        ("unclosed string", text(r#"{"word":"MAIS"#)),
        ("trailing garbage", text(r#"{"word":"MAISON"} x"#)),
        ("trailing comma", text(r#"{"word":"MAISON",}"#)),
        ("single quotes", text("{'word':'MAISON'}")),
        ("null", text("null")),
        ("array", text("[]")),
        ("number", text("42")),
        ("string", text(r#""MAISON""#)),
        ("form encoded", text("username=alice&password=secret")),
        (
            "wrong types",
            text(
                r#"{"username":[],"password":{},"word":1,"mode":2,"length":"x","game_id":3,"player":4,"score":"5","current_password":6,"new_password":7}"#,
            ),
        ),
        (
            "huge exponent",
            text(r#"{"length":1e999999,"score":1e999999,"mode":"practice"}"#),
        ),
        (
            "huge integer",
            text(
                r#"{"length":123456789012345678901234567890,"score":123456789012345678901234567890}"#,
            ),
        ),
        ("negative zero", text(r#"{"length":-0.0,"score":-0}"#)),
        (
            "lone surrogate",
            text(r#"{"username":"\ud800","password":"\udfff","word":"\ud800"}"#),
        ),
        (
            "byte order mark",
            [&[0xEF, 0xBB, 0xBF][..], br#"{"word":"MOUTON"}"#].concat(),
        ),
        ("invalid UTF-8", b"{\"word\":\"MOUT\xff\xfeN\"}".to_vec()),
        (
            "UTF-16",
            "{\"word\":\"MOUTON\"}"
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect(),
        ),
        ("NUL bytes", b"\0\0\0\0".to_vec()),
        ("deep nesting", text(&"[".repeat(100_000))),
        ("deep objects", text(&r#"{"a":"#.repeat(5_000))),
        (
            "long string",
            text(&format!(
                r#"{{"username":"{0}","password":"{0}","word":"{0}","game_id":"{0}","player":"{0}"}}"#,
                "A".repeat(3_000)
            )),
        ),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn broken_bodies_get_a_json_client_error_on_every_route() {
    let (_app, api, targets) = start().await;

    for target in &targets {
        for (name, body) in broken_bodies() {
            let reply = send(&api, target, body).await;
            assert_client_error(
                &reply,
                &format!("{} {} with {name}", target.method, target.path),
            );
        }
    }

    api.me(&api.login("alice", PASSWORD).await.token)
        .await
        .expect(200);
}

#[tokio::test(flavor = "multi_thread")]
async fn bodies_over_16_kib_are_refused_as_too_large() {
    let (_app, api, targets) = start().await;
    // Valid JSON, so only the size can be wrong with it.
    let padded = format!(
        r#"{{"username":"alice","password":"{}"}}"#,
        "p".repeat(16 * 1024)
    );

    for target in &targets {
        let reply = send(&api, target, padded.clone()).await;
        assert_too_large(&reply, &target.name());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ten_megabyte_body_is_refused_without_harm() {
    let (app, api, targets) = start().await;
    let huge = vec![b'['; 10 << 20];

    for target in &targets {
        let (method, headers) = (target.method.as_str(), target.header_pairs());
        // Full duplex: the answer comes before the body is sent; see `send_full_duplex`.
        let reply =
            send_full_duplex(app.addr(), method, &target.path, &headers, huge.clone()).await;
        assert_too_large(&reply, &target.name());
    }

    api.me(&api.login("alice", PASSWORD).await.token)
        .await
        .expect(200);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_that_sends_ten_megabytes_before_reading_still_gets_the_413() {
    if e2e::skip_on_spin(
        "Spin closes the connection once the component has answered, without reading the rest \
         of the body, so a client still writing gets a reset, not the 413 (our host lingers)",
    ) {
        return;
    }
    let (app, _api, targets) = start().await;
    let huge = vec![b'['; 10 << 20];

    for target in targets.iter().take(3) {
        let (method, headers) = (target.method.as_str(), target.header_pairs());
        let reply = send_then_read(app.addr(), method, &target.path, &headers, &huge)
            .await
            .unwrap_or_else(|e| panic!("{}: the answer was lost: {e}", target.name()));
        assert_too_large(&reply, &target.name());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn unicode_edge_cases_in_names_are_refused_cleanly() {
    let (_app, api, _) = start().await;
    let names = [
        "ａｌｉｃｅ",
        "\u{202E}ecila",
        "al\u{0}ice",
        "alice\u{200B}",
        "e\u{301}mile",
        "İlker",
        "🦀🦀🦀",
        "\u{FEFF}bob",
        "a\u{7F}b",
    ];

    for name in names {
        let register = api.register_reply(name, PASSWORD).await;
        assert_eq!(
            (register.status, register.error_code().as_str()),
            (400, "invalid_username"),
            "{name:?}"
        );
        let login = api.login_reply(name, PASSWORD).await;
        assert_eq!(
            (login.status, login.error_code().as_str()),
            (401, "invalid_credentials"),
            "{name:?}"
        );
        let stats = api
            .get(&format!("/score/{}", percent_encode(name)), None)
            .await;
        assert_eq!(
            (stats.status, stats.error_code().as_str()),
            (400, "invalid_player"),
            "{name:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn unicode_edge_cases_in_guesses_use_no_try() {
    let (_app, api, _) = start().await;
    let alice = api.login("alice", PASSWORD).await;
    let id = id_of(&api.practice(&alice, 6).await);
    let words = [
        "ＭＯＵＴＯＮ",
        "MOUTON\u{0}",
        "MOU\u{200B}TON",
        "🦀🦀🦀🦀🦀🦀",
        "\u{202E}NOTUOM",
        "MOUTØN",
        "MOUTOΝ",
        "M\u{FEFF}OUTON",
    ];

    for word in words {
        let reply = api.guess(&alice, &id, word).await;
        assert_eq!(reply.status, 422, "{word:?}: {}", reply.text);
        reply.error_code();
    }

    let game = api.game(&alice, &id).await.expect(200);
    assert_eq!(game["guesses"].as_array().unwrap().len(), 0, "{game}");
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
