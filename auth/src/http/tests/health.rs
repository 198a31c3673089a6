//! `GET /auth/health`: whether auth's store answers, for a readiness probe.

use super::*;
use spin_kit::memory::Down;

#[test]
fn health_is_ok_without_a_token_when_the_store_answers() {
    let world = World::new();
    let reply = world.call("GET", "/auth/health", None, "");
    assert_eq!(
        (reply.status, &reply.body),
        (200, &json!({ "status": "ok" }))
    );
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert!(world.kv.keys().is_empty(), "a probe writes nothing");
}

#[test]
fn health_is_store_unavailable_when_the_store_does_not_answer() {
    let world = World::new();
    let auth = Auth::new(&Down, &world.clock, &world.random, TTL);
    let client = ClientAddr::parse(Some(HOME));
    let request = ApiRequest {
        method: "GET",
        path: "/auth/health",
        authorization: None,
        client: &client,
        body: b"",
    };
    let response = block_on(handle(&auth, &world.players, &request));
    let body: Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(
        (response.status, body["error"]["code"].as_str()),
        (503, Some("store_unavailable"))
    );
}

#[test]
fn health_answers_only_get() {
    let reply = World::new().call("POST", "/auth/health", None, "");
    assert_eq!((reply.status, reply.code()), (405, "method_not_allowed"));
}
