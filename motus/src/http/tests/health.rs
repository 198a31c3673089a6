//! `GET /motus/health`: whether motus's store answers, for a readiness probe.

use spin_kit::memory::Down;

use super::*;

#[test]
fn health_is_ok_without_a_token_and_asks_no_sibling() {
    let service = Service::default();
    let reply = service.send("GET", "/motus/health", Call::default());
    assert_eq!(
        (reply.status, &reply.body),
        (200, &json!({ "status": "ok" }))
    );
    assert_eq!(service.kv.writes(), 0, "a probe writes nothing");
    assert!(service.kv.keys().is_empty(), "{:?}", service.kv.keys());
    assert!(service.siblings.record_calls().is_empty());
}

#[test]
fn health_is_store_unavailable_when_the_store_does_not_answer() {
    let request = ApiRequest {
        method: "GET",
        path: "/motus/health",
        authorization: None,
        result_secret: None,
        body: ready(Ok(Vec::new())),
    };
    let open = || {
        Ok(Ports {
            kv: Down,
            siblings: FakeSiblings::default(),
            clock: FixedClock::at(NOON),
            random: CountingRandom::new(),
            config: Config {
                daily_secret: None,
                answer_words: WordList::default(),
                result_secret: None,
                access_tokens: false,
            },
        })
    };
    let response = block_on(handle(request, open));
    let body: Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(
        (response.status, body["error"]["code"].as_str()),
        (503, Some("store_unavailable"))
    );
}

#[test]
fn health_answers_only_get() {
    let reply = Service::default().send("POST", "/motus/health", Call::default());
    reply.error(405, "method_not_allowed");
}
