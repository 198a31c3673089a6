//! A sibling that hangs costs its callers no more than their deadline: each caller answers on
//! its own, with a JSON error naming the service that hung, instead of waiting with it.
//!
//! "Hung" is the sibling replaced by the test fixture sleeping a minute before every answer
//! (e2e/manifests/auth-hung.toml, motus-hung.toml, score-hung.toml), with the deadlines set by
//! the `sibling_timeout_ms` variable to 1 s for a service that answers from its own store and
//! 1.5 s for one that may itself wait on a sibling (kit/src/outbound.rs). Each answer must come
//! after the deadline (so it is the deadline that fired, not some quicker failure) and well
//! before the sleeping sibling would have answered. Real Spin has no request deadline of its own
//! for these components, so there the components' deadlines are all that bounds the wait.

use e2e::api::{id_of, planted, Api, Reply, WebClient, PASSWORD};
use e2e::TestHost;
use reqwest::Method;
use serde_json::json;
use std::future::Future;
use std::time::{Duration, Instant};

/// The manifests' `sibling_timeout_ms`, and the relayed deadline derived from it.
const DIRECT: Duration = Duration::from_millis(1000);
const RELAYED: Duration = Duration::from_millis(1500);
/// Scheduling on a loaded 2-core machine; still far below the fixture's minute of sleep.
const SLACK: Duration = Duration::from_secs(3);

async fn start(manifest: &str) -> (TestHost, Api) {
    e2e::start_planted(manifest).await
}

/// The reply and how long it took.
async fn timed(call: impl Future<Output = Reply>) -> (Reply, Duration) {
    let started = Instant::now();
    let reply = call.await;
    (reply, started.elapsed())
}

/// Asserts that the answer came once `deadline` had passed, and not much later.
#[track_caller]
fn assert_answered_at(elapsed: Duration, deadline: Duration, reply: &Reply) {
    assert!(
        elapsed >= deadline && elapsed < deadline + SLACK,
        "answered after {elapsed:?}, expected {deadline:?} to {:?}: {} {}",
        deadline + SLACK,
        reply.status,
        reply.text
    );
}

/// The webapp's outage answer: 503 `service_unavailable` naming `service`, with `Retry-After`.
#[track_caller]
fn assert_unavailable(reply: &Reply, service: &str) {
    reply.expect_error(503, "service_unavailable");
    assert_eq!(reply.json()["error"]["service"], service, "{}", reply.text);
    assert!(
        reply.header("retry-after").is_some(),
        "503 without Retry-After"
    );
}

/// A browser holding a session cookie: the webapp cannot tell it from a real one without auth.
fn signed_in(api: &Api) -> WebClient {
    let mut browser = WebClient::new(api.clone());
    browser
        .cookies
        .push("motus_session=a-token-only-auth-could-check".into());
    browser
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hung_auth_holds_a_login_no_longer_than_the_direct_deadline() {
    let (_app, api) = start("e2e/manifests/auth-hung.toml").await;
    let mut browser = WebClient::new(api.clone());
    let body = json!({ "username": "alice", "password": PASSWORD });

    let (reply, elapsed) = timed(browser.post("/api/login", body)).await;

    assert_unavailable(&reply, "auth");
    assert_answered_at(elapsed, DIRECT, &reply);
}

#[tokio::test(flavor = "multi_thread")]
async fn motus_reports_a_hung_auth_as_unavailable_within_the_direct_deadline() {
    let (_app, api) = start("e2e/manifests/auth-hung.toml").await;

    let body = json!({ "mode": "practice", "length": 7 });

    let (reply, elapsed) = timed(api.post("/motus/games", Some("some-token"), body)).await;

    reply.expect_error(503, "service_unavailable");
    assert_eq!(reply.json()["error"]["service"], "auth", "{}", reply.text);
    assert_answered_at(elapsed, DIRECT, &reply);
}

#[tokio::test(flavor = "multi_thread")]
async fn behind_motus_a_hung_auth_is_named_as_auth_because_motus_gives_up_first() {
    let (_app, api) = start("e2e/manifests/auth-hung.toml").await;
    let browser = signed_in(&api);
    let body = json!({ "mode": "practice", "length": 7 });

    let (reply, elapsed) = timed(browser.call(Method::POST, "/api/games", Some(body))).await;

    // motus hears nothing from auth after 1 s and says so; the webapp, waiting 1.5 s for motus,
    // receives that answer and names auth rather than timing out on motus.
    assert_unavailable(&reply, "auth");
    assert_answered_at(elapsed, DIRECT, &reply);
    assert!(
        elapsed < RELAYED,
        "the webapp waited out its own deadline: {elapsed:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn score_answers_service_unavailable_naming_motus_when_motus_hangs() {
    let (_app, api) = start("e2e/manifests/motus-hung.toml").await;
    let body = json!({ "game_id": "0123456789abcdef0123456789abcdef" });

    let (reply, elapsed) = timed(api.post("/score/games", Some("some-token"), body)).await;

    reply.expect_error(503, "service_unavailable");
    assert_eq!(reply.json()["error"]["service"], "motus", "{}", reply.text);
    assert_answered_at(elapsed, DIRECT, &reply);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_webapp_names_a_hung_motus_within_the_relayed_deadline() {
    let (_app, api) = start("e2e/manifests/motus-hung.toml").await;
    let browser = WebClient::new(api.clone());

    let (reply, elapsed) = timed(browser.call(Method::GET, "/api/daily", None)).await;

    assert_unavailable(&reply, "motus");
    assert_answered_at(elapsed, RELAYED, &reply);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hung_score_neither_holds_a_winning_guess_nor_the_leaderboard_for_long() {
    let (_app, api) = start("e2e/manifests/score-hung.toml").await;
    let alice = api.register("alice").await;
    let game = id_of(&api.practice(&alice, 7).await);
    let script = planted(7).script(Some(2));
    api.guess(&alice, &game, script[0]).await.expect(200);

    // The winning guess asks score to record the game; score never answers, motus goes on.
    let (reply, elapsed) = timed(api.guess(&alice, &game, script[1])).await;
    let won = reply.expect(200);
    assert_eq!(
        (&won["status"], &won["recorded"]),
        (&json!("won"), &json!(false)),
        "{won}"
    );
    assert_answered_at(elapsed, DIRECT, &reply);

    let browser = WebClient::new(api.clone());
    let (reply, elapsed) = timed(browser.call(Method::GET, "/api/leaderboard", None)).await;
    assert_unavailable(&reply, "score");
    assert_answered_at(elapsed, RELAYED, &reply);
}
