//! Request ids on our host (docs/logging.md): one id per outside request, on the host's log line
//! of every hop the request makes through chained components, given to each component as
//! `x-request-id` and sent back to the client; a client's own id only when it is safe to log.
//! Real Spin has no such ids: these tests are our host's.
//!
//! The host's log is read as an operator reads it: its `host::logs` lines, captured from this
//! test binary's tracing output. The tests take turns, so that the lines written while one test's
//! request runs are that request's only.

use e2e::api::send_then_read;
use e2e::api::{id_of, planted, Api, Reply, WebClient};
use e2e::{Builder, TestHost};
use reqwest::Method;
use serde_json::json;
use std::collections::BTreeSet;
use std::io::Write;
use std::sync::{Mutex, Once};

const OURS: &str = "real Spin has no request ids; the component logs are all there is";
const FIXTURE: &str = "e2e/manifests/host-test.toml";

/// What this test binary's tracing has written, the host's request lines among it.
static LOG: Mutex<Vec<u8>> = Mutex::new(Vec::new());
/// One test at a time holds the host log to itself.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct Capture;

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOG.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Before any host starts (the test kit's own subscriber then stays out), the host's lines at
/// `info`, as `host up` writes them by default.
fn capture_host_log() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        tracing_subscriber::fmt()
            .with_env_filter("warn,host=info")
            .with_ansi(false)
            .with_writer(|| Capture)
            .init();
    });
}

/// The host's log to this test alone, and the host started (`None` on real Spin): the lines
/// written from now on are this test's only.
async fn alone(host: Builder) -> Option<(tokio::sync::MutexGuard<'static, ()>, TestHost)> {
    if e2e::skip_on_spin(OURS) {
        return None;
    }
    capture_host_log();
    let turn = TURN.lock().await;
    Some((turn, host.start().await))
}

/// The host's test component, which can chain and show the headers it was given.
fn fixture() -> Builder {
    TestHost::builder(FIXTURE).variable("secret", "s")
}

/// Where the log ends now: the lines after it are those of what happens next.
fn log_mark() -> usize {
    LOG.lock().unwrap().len()
}

/// The host's request lines written since `mark`.
fn request_lines_since(mark: usize) -> Vec<String> {
    let log = LOG.lock().unwrap();
    String::from_utf8_lossy(&log[mark..])
        .lines()
        .filter(|line| line.contains("host::logs: request "))
        .map(str::to_owned)
        .collect()
}

/// The value of `name=` in a log line.
fn field<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let start = line.find(&format!(" {name}="))? + name.len() + 2;
    line[start..].split(' ').next()
}

fn is_generated(id: &str) -> bool {
    id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The id the client got back, asserted to be present once.
#[track_caller]
fn id_sent_back(reply: &Reply) -> String {
    let ids = reply.header_all("x-request-id");
    assert_eq!(ids.len(), 1, "one x-request-id in the answer: {ids:?}");
    ids[0].clone()
}

/// Asserts that every request line since `mark` carries `id`, and returns them: one outside
/// request ran meanwhile, so all of them are its hops.
#[track_caller]
fn hops_of(mark: usize, id: &str) -> Vec<String> {
    let lines = request_lines_since(mark);
    assert!(!lines.is_empty(), "no request line was logged");
    for line in &lines {
        assert_eq!(
            field(line, "request_id"),
            Some(id),
            "a hop with another id: {line}"
        );
    }
    lines
}

/// The components of `hops`, those reached through a chain only.
fn chained_components(hops: &[String]) -> BTreeSet<&str> {
    hops.iter()
        .filter(|l| field(l, "chained").is_some())
        .filter_map(|l| field(l, "component"))
        .collect()
}

/// The one hop that came from outside: the request the client made.
#[track_caller]
fn outside_hop(hops: &[String]) -> &str {
    let outside: Vec<&String> = hops
        .iter()
        .filter(|l| field(l, "chained").is_none())
        .collect();
    assert_eq!(outside.len(), 1, "one outside request: {hops:#?}");
    outside[0]
}

async fn signed_in_player(app: &TestHost) -> WebClient {
    let mut browser = WebClient::new(Api::new(app));
    browser.register("alice").await.expect(201);
    browser
}

/// A call with the browser's cookies and extra headers.
async fn call(browser: &WebClient, method: Method, path: &str, headers: &[(&str, &str)]) -> Reply {
    call_with(browser, method, path, headers, String::new()).await
}

async fn call_with(
    browser: &WebClient,
    method: Method,
    path: &str,
    extra: &[(&str, &str)],
    body: String,
) -> Reply {
    let cookie = browser.cookies.join("; ");
    let mut headers = vec![
        ("cookie", cookie.as_str()),
        ("content-type", "application/json"),
    ];
    headers.extend_from_slice(extra);
    browser
        .api
        .try_send(method, path, &headers, body)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn one_grep_for_the_clients_id_finds_every_hop_of_a_players_page_load() {
    let Some((_turn, app)) = alone(TestHost::builder("spin.toml").planted()).await else {
        return;
    };
    let browser = signed_in_player(&app).await;
    let mark = log_mark();

    let me = call(
        &browser,
        Method::GET,
        "/api/me",
        &[("x-request-id", "lb-7f3a.me_1")],
    )
    .await;

    me.expect(200);
    assert_eq!(id_sent_back(&me), "lb-7f3a.me_1");
    let hops = hops_of(mark, "lb-7f3a.me_1");
    let outside = outside_hop(&hops);
    assert_eq!(
        (field(outside, "component"), field(outside, "path")),
        (Some("webapp"), Some("/api/me")),
        "{outside}"
    );
    // webapp/README.md: /api/me asks score and motus; the access cookie named the player, so
    // auth is not asked.
    assert_eq!(
        chained_components(&hops),
        BTreeSet::from(["motus", "score"]),
        "{hops:#?}"
    );

    // Its access token expired (the browser dropped the cookie): the session renews it at auth,
    // on the same id.
    let mut expired = browser;
    expired.cookies.retain(|c| !c.starts_with("motus_access="));
    let mark = log_mark();
    let me = call(
        &expired,
        Method::GET,
        "/api/me",
        &[("x-request-id", "lb-7f3a.me_2")],
    )
    .await;
    me.expect(200);
    let hops = hops_of(mark, "lb-7f3a.me_2");
    assert_eq!(
        chained_components(&hops),
        BTreeSet::from(["auth", "motus", "score"]),
        "{hops:#?}"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_winning_guess_is_followed_down_the_chain_under_the_id_the_host_gave_it() {
    let Some((_turn, app)) = alone(TestHost::builder("spin.toml").planted()).await else {
        return;
    };
    let browser = signed_in_player(&app).await;
    let body = json!({ "mode": "daily" }).to_string();
    let game = call_with(&browser, Method::POST, "/api/games", &[], body).await;
    let game = game.expect(201);
    let word = planted(game["length"].as_u64().unwrap()).word;
    let path = format!("/api/games/{}/guesses", id_of(&game));
    let mark = log_mark();

    let body = json!({ "word": word }).to_string();
    let won = call_with(&browser, Method::POST, &path, &[], body).await;

    assert_eq!(won.expect(200)["status"], "won");
    let id = id_sent_back(&won);
    assert!(is_generated(&id), "{id}");
    let hops = hops_of(mark, &id);
    assert_eq!(field(outside_hop(&hops), "path"), Some(path.as_str()));
    // motus hands the finished game to score, which checks it with motus: two and more calls
    // down, still the same id. Nobody asks auth: the access token names the player.
    assert_eq!(
        chained_components(&hops),
        BTreeSet::from(["motus", "score"]),
        "{hops:#?}"
    );
    let deepest = hops
        .iter()
        .filter_map(|l| field(l, "chained")?.parse::<u32>().ok())
        .max();
    assert!(deepest >= Some(2), "{hops:#?}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn each_request_gets_an_id_of_its_own() {
    let Some((_turn, app)) = alone(fixture()).await else {
        return;
    };
    let api = Api::new(&app);

    let first = api.get("/fx/hello", None).await;
    let second = api.get("/fx/hello", None).await;

    let (first, second) = (id_sent_back(&first), id_sent_back(&second));
    assert!(
        is_generated(&first) && is_generated(&second),
        "{first} {second}"
    );
    assert_ne!(first, second);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_component_and_its_chained_callee_are_given_the_id_the_host_logs() {
    let Some((_turn, app)) = alone(fixture()).await else {
        return;
    };
    let api = Api::new(&app);
    let mark = log_mark();

    let path = "/caller/fetch?url=http://fixture.spin.internal/fx/headers";
    let reply = api
        .try_send(Method::GET, path, &[("x-request-id", "chain-42")], "")
        .await
        .unwrap();

    // The callee's answer, relayed by the caller: the headers it was given.
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert!(
        reply.text.lines().any(|l| l == "x-request-id: chain-42"),
        "{}",
        reply.text
    );
    assert_eq!(id_sent_back(&reply), "chain-42");
    let hops = hops_of(mark, "chain-42");
    assert_eq!(field(outside_hop(&hops), "component"), Some("caller"));
    assert_eq!(chained_components(&hops), BTreeSet::from(["fixture"]));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forged_or_oversized_client_id_is_replaced_everywhere() {
    let Some((_turn, app)) = alone(fixture()).await else {
        return;
    };
    let (five_hundred, one_too_many) = ("a".repeat(500), "x".repeat(65));
    for forged in [
        five_hundred.as_str(),
        one_too_many.as_str(),
        "abc status=200 component=forged",
        "\"quoted\"",
        "café",
    ] {
        let mark = log_mark();

        let headers = [("x-request-id", forged)];
        let reply = send_then_read(app.addr(), "GET", "/fx/headers", &headers, b"")
            .await
            .unwrap_or_else(|e| panic!("{forged}: {e}"));

        assert_eq!(reply.status, 200, "{forged}: {}", reply.text);
        let id = id_sent_back(&reply);
        assert!(is_generated(&id), "{forged} came back as {id}");
        let seen = format!("x-request-id: {id}");
        assert!(
            reply.text.lines().any(|l| l == seen),
            "{forged}: {}",
            reply.text
        );
        let hops = hops_of(mark, &id);
        assert!(hops.iter().all(|l| !l.contains(forged)), "{hops:#?}");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_id_that_would_end_the_log_line_never_reaches_the_log() {
    let Some((_turn, app)) = alone(fixture()).await else {
        return;
    };
    let mark = log_mark();
    // A header value cannot hold a line break; a folded line is the way to try.
    let forged = "abc\r\n component=forged status=200";

    let reply = send_then_read(
        app.addr(),
        "GET",
        "/fx/headers",
        &[("x-request-id", forged)],
        b"",
    )
    .await
    .unwrap();

    let id = id_sent_back(&reply);
    assert!(is_generated(&id), "{id}: {}", reply.text);
    let lines = request_lines_since(mark);
    assert!(!lines.is_empty());
    assert!(
        lines
            .iter()
            .all(|l| !l.contains("forged") && field(l, "request_id") == Some(&id)),
        "{lines:#?}"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn outside_hosts_are_not_sent_the_id() {
    let Some((_turn, app)) = alone(fixture()).await else {
        return;
    };
    let (outside, received) = echo_server().await;
    let api = Api::new(&app);

    let path = format!("/caller/fetch?url=http://{outside}/somewhere");
    let reply = api
        .try_send(
            Method::GET,
            &path,
            &[("x-request-id", "not-for-others")],
            "",
        )
        .await
        .unwrap();

    assert_eq!(reply.status, 200, "{}", reply.text);
    let head = received.await.unwrap();
    assert!(head.starts_with("GET /somewhere"), "{head}");
    assert!(
        !head.to_ascii_lowercase().contains("x-request-id") && !head.contains("not-for-others"),
        "{head}"
    );
    app.stop().await;
}

/// A one-request HTTP server: answers 200 and hands over the head it received.
async fn echo_server() -> (std::net::SocketAddr, tokio::sync::oneshot::Receiver<String>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).await.unwrap() == 1 {
            head.push(byte[0]);
        }
        let answer = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok";
        stream.write_all(answer.as_bytes()).await.unwrap();
        let _ = tx.send(String::from_utf8_lossy(&head).into_owned());
    });
    (addr, rx)
}
