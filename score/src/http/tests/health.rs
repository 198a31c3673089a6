//! `GET /score/health`: whether score's store answers, for a readiness probe.

use super::*;
use spin_kit::memory::Down;

#[test]
fn health_is_ok_without_a_token_when_the_store_answers() {
    let world = World::new();
    let reply = world.call("GET", "/score/health", "");
    assert_eq!(
        (reply.status, &reply.body),
        (200, &json!({ "status": "ok" }))
    );
    assert!(world.kv.keys().is_empty(), "a probe writes nothing");
}

#[test]
fn health_is_store_unavailable_when_the_store_does_not_answer() {
    let reply = World::new().call_on(&Down, "GET", "/score/health", None, "");
    assert_eq!((reply.status, reply.code()), (503, "store_unavailable"));
}

#[test]
fn health_is_not_read_as_a_player_name_and_answers_only_get() {
    let world = World::new();
    let reply = world.call("DELETE", "/score/health", "");
    assert_eq!((reply.status, reply.code()), (405, "method_not_allowed"));
}
