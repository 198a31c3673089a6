//! The host's edge, attacked over raw sockets: slow clients, half-sent heads, a `Host` header
//! that tries to change the path, bytes hyper refuses. Each attack once worked against the host.
//!
//! Not run on real Spin (`MOTUS_TEST_HOST=spin`): these are our host's limits. Short timeouts
//! come from `TestHost::builder(..).server(ServerOptions { .. })`, the limits that
//! `host up --header-read-timeout` and its siblings set.

use e2e::api::{parse_response, request_head, Reply};
use e2e::TestHost;
use host::ServerOptions;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Why these tests do not run on real Spin: the limits and the JSON answers are our host's.
const OURS: &str = "the connection limits and the edge's JSON answers are our host's";

/// How long a test waits for the host to close a connection before calling it kept open.
const PATIENCE: Duration = Duration::from_secs(6);

/// Timeouts of a second, so that the tests that wait for them stay short.
fn quick() -> ServerOptions {
    ServerOptions {
        header_read_timeout: Duration::from_secs(1),
        keep_alive_timeout: Duration::from_secs(1),
        body_read_timeout: Duration::from_secs(1),
        ..ServerOptions::default()
    }
}

async fn start(options: Option<ServerOptions>) -> TestHost {
    let builder = TestHost::builder("spin.toml").variable("answer_words", "MAISON");
    match options {
        Some(options) => builder.server(options),
        None => builder,
    }
    .start()
    .await
}

/// A connection that has sent `bytes` and then goes quiet.
async fn attach(addr: SocketAddr, bytes: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(bytes).await.expect("send");
    stream
}

/// What the host sent before closing `stream`, and when it closed; `None` if it kept it open.
async fn until_closed(stream: &mut TcpStream) -> Option<(Vec<u8>, Duration)> {
    let started = Instant::now();
    let mut raw = Vec::new();
    let read = tokio::time::timeout(PATIENCE, stream.read_to_end(&mut raw)).await;
    match read {
        Ok(Ok(_)) => Some((raw, started.elapsed())),
        // A reset after the answer arrived still leaves the answer readable.
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionReset => {
            Some((raw, started.elapsed()))
        }
        Ok(Err(e)) => panic!("reading: {e}"),
        Err(_) => None,
    }
}

/// The answer to `bytes` sent on a fresh connection, which the host then closes.
async fn answer(addr: SocketAddr, bytes: &[u8]) -> Reply {
    let mut stream = attach(addr, bytes).await;
    let (raw, _) = until_closed(&mut stream)
        .await
        .expect("the host answers and closes the connection");
    parse_response(&raw)
        .unwrap_or_else(|| panic!("unreadable answer: {:?}", String::from_utf8_lossy(&raw)))
}

async fn daily(app: &TestHost) -> (u16, Duration) {
    let started = Instant::now();
    let res = reqwest::get(app.url("/motus/daily"))
        .await
        .expect("request");
    (res.status().as_u16(), started.elapsed())
}

#[tokio::test(flavor = "multi_thread")]
async fn thirty_two_slow_bodies_and_thirty_two_slow_heads_do_not_delay_a_normal_request() {
    if e2e::skip_on_spin(OURS) {
        return;
    }
    let app = start(None).await;
    let addr = app.addr();
    assert_eq!(daily(&app).await.0, 200);

    // Bodies that promise 1000 bytes and stop after a few, to a route whose component reads
    // its body; heads that stop halfway.
    let body_head = request_head(
        addr,
        "POST",
        "/auth/login",
        &[("content-type", "application/json")],
        1000,
    );
    let slow_body = format!("{body_head}{{\"username\":\"a");
    let head = request_head(addr, "GET", "/motus/daily", &[], 0);
    let slow_head = &head[..head.len() / 2];
    let mut attached = Vec::new();
    for _ in 0..32 {
        attached.push(attach(addr, slow_body.as_bytes()).await);
        attached.push(attach(addr, slow_head.as_bytes()).await);
    }
    // Time for every one of them to reach whatever it would hold.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let (status, took) = daily(&app).await;
    assert_eq!(status, 200);
    assert!(
        took < Duration::from_secs(1),
        "GET /motus/daily took {took:?} with 64 slow clients attached"
    );
    drop(attached);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_half_sent_head_is_answered_408_and_closed_at_the_header_timeout() {
    if e2e::skip_on_spin(OURS) {
        return;
    }
    let app = start(Some(quick())).await;
    let head = request_head(app.addr(), "GET", "/motus/daily", &[], 0);
    let mut stream = attach(app.addr(), &head.as_bytes()[..head.len() / 2]).await;

    let (raw, took) = until_closed(&mut stream)
        .await
        .expect("the host closes a connection whose head never ends");

    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(3),
        "closed after {took:?}"
    );
    parse_response(&raw)
        .expect("an answer before the close")
        .expect_error(408, "request_timeout");
    drop(stream);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_idle_connection_is_closed_at_the_keep_alive_timeout_without_an_answer() {
    if e2e::skip_on_spin(OURS) {
        return;
    }
    let app = start(Some(quick())).await;
    let mut stream = attach(app.addr(), b"").await;

    let (raw, took) = until_closed(&mut stream)
        .await
        .expect("the host closes an idle connection");

    assert_eq!(raw, b"");
    assert!(took < Duration::from_secs(3), "closed after {took:?}");
    drop(stream);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_that_stops_coming_is_answered_408_at_the_body_timeout() {
    if e2e::skip_on_spin(OURS) {
        return;
    }
    let app = start(Some(quick())).await;
    let head = request_head(
        app.addr(),
        "POST",
        "/auth/login",
        &[("content-type", "application/json")],
        1000,
    );

    let reply = answer(app.addr(), format!("{head}{{\"username\":").as_bytes()).await;

    reply.expect_error(408, "request_timeout");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_over_the_cap_is_refused_413_before_a_component_runs() {
    if e2e::skip_on_spin(OURS) {
        return;
    }
    let app = start(Some(ServerOptions {
        max_body_bytes: 64 * 1024,
        ..ServerOptions::default()
    }))
    .await;
    // motus ignores a body on this route: only the host can refuse it.
    let head = request_head(app.addr(), "GET", "/motus/daily", &[], 64 * 1024 + 1);

    let reply = answer(app.addr(), head.as_bytes()).await;

    reply.expect_error(413, "payload_too_large");
    let within = request_head(app.addr(), "GET", "/motus/daily", &[], 64 * 1024);
    let body = vec![b'x'; 64 * 1024];
    let reply = answer(app.addr(), &[within.as_bytes(), &body].concat()).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[tokio::test(flavor = "multi_thread")]
async fn connections_over_the_cap_wait_until_one_closes() {
    if e2e::skip_on_spin(OURS) {
        return;
    }
    let app = start(Some(ServerOptions {
        max_connections: 2,
        ..quick()
    }))
    .await;
    let idle = [attach(app.addr(), b"").await, attach(app.addr(), b"").await];

    let (status, took) = daily(&app).await;

    assert_eq!(status, 200);
    assert!(
        took >= Duration::from_millis(500),
        "answered after {took:?} while two idle connections held both places"
    );
    drop(idle);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_host_header_cannot_change_the_path_a_component_sees() {
    if e2e::skip_on_spin(OURS) {
        return;
    }
    let app = start(None).await;

    for host in ["h/score/update?", "h?x=", "h#x", "user@h", "h:port", ""] {
        let head = request_head(app.addr(), "GET", "/motus/daily", &[("host", host)], 0);
        let reply = answer(app.addr(), head.as_bytes()).await;
        assert_eq!(
            (reply.status, reply.error_code().as_str()),
            (400, "invalid_host"),
            "Host: {host:?} → {}",
            reply.text
        );
    }
    let head = request_head(
        app.addr(),
        "GET",
        "/motus/daily",
        &[("host", "example.com:8080")],
        0,
    );
    assert_eq!(answer(app.addr(), head.as_bytes()).await.status, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_url_a_component_is_given_keeps_the_requested_path_under_any_valid_host() {
    if e2e::skip_on_spin(OURS) {
        return;
    }
    let app = TestHost::builder("e2e/manifests/host-test.toml")
        .variable("secret", "s")
        .start()
        .await;
    let head = request_head(
        app.addr(),
        "GET",
        "/fx/headers?q=1",
        &[("host", "example.com:8080")],
        0,
    );

    let reply = answer(app.addr(), head.as_bytes()).await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    for line in [
        "spin-full-url: http://example.com:8080/fx/headers?q=1",
        "spin-path-info: /headers",
    ] {
        assert!(
            reply.text.lines().any(|l| l == line),
            "missing `{line}` in:\n{}",
            reply.text
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bytes_hyper_refuses_in_a_head_get_a_json_error() {
    if e2e::skip_on_spin(OURS) {
        return;
    }
    let app = start(None).await;
    let addr = app.addr();
    let bad_value = request_head(addr, "GET", "/motus/daily", &[("x-bad", "a\u{1}b")], 0);
    let bad_name = request_head(addr, "GET", "/motus/daily", &[("bad name", "x")], 0);
    let many: Vec<(String, &str)> = (0..200).map(|i| (format!("x-{i}"), "y")).collect();
    let many: Vec<(&str, &str)> = many.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let too_many = request_head(addr, "GET", "/motus/daily", &many, 0);

    for (what, bytes, status, code) in [
        ("a control byte in a value", bad_value, 400, "bad_request"),
        ("a space in a name", bad_name, 400, "bad_request"),
        (
            "a broken request line",
            "GARBAGE\r\n\r\n".to_owned(),
            400,
            "bad_request",
        ),
        ("200 headers", too_many, 431, "headers_too_large"),
    ] {
        let reply = answer(addr, bytes.as_bytes()).await;
        assert_eq!(
            (reply.status, reply.error_code().as_str()),
            (status, code),
            "{what}: {}",
            reply.text
        );
    }
    assert_eq!(daily(&app).await.0, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_head_after_a_good_request_on_the_same_connection_gets_json() {
    if e2e::skip_on_spin(OURS) {
        return;
    }
    let app = start(None).await;
    let addr = app.addr();
    let keep_alive =
        |path: &str| request_head(addr, "GET", path, &[], 0).replace("connection: close\r\n", "");
    let bad = request_head(addr, "GET", "/motus/daily", &[("x-bad", "a\u{1}b")], 0);
    let mut stream = attach(
        addr,
        format!("{}{bad}", keep_alive("/motus/daily")).as_bytes(),
    )
    .await;

    let (raw, _) = until_closed(&mut stream).await.expect("the host closes");

    let text = String::from_utf8_lossy(&raw);
    let second = text.match_indices("HTTP/1.1 ").nth(1).expect(&text).0;
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    parse_response(&raw[second..])
        .expect(&text)
        .expect_error(400, "bad_request");
    drop(stream);
}
