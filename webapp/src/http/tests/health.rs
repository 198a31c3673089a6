//! `GET /api/health`: the webapp and each sibling's own health route.

use super::*;

fn all_up() -> FakeSiblings {
    let ok = || json!({ "status": "ok" });
    FakeSiblings::default()
        .on(Service::Auth, Verb::Get, "/auth/health", 200, ok())
        .on(Service::Motus, Verb::Get, "/motus/health", 200, ok())
        .on(Service::Score, Verb::Get, "/score/health", 200, ok())
}

#[test]
fn health_is_ok_when_every_sibling_says_its_store_answers() {
    let up = all_up();
    let r = get("/api/health").send(&up);
    assert_eq!(r.status, 200);
    assert_eq!(
        json(&r),
        json!({ "status": "ok", "services": { "auth": "ok", "motus": "ok", "score": "ok" } })
    );
    assert!(r.headers.contains(&("cache-control", "no-store".into())));
    for (service, path) in [
        (Service::Auth, "/auth/health"),
        (Service::Motus, "/motus/health"),
        (Service::Score, "/score/health"),
    ] {
        let calls = up.called(service, path);
        assert_eq!(calls.len(), 1, "{path}");
        assert_eq!(calls[0].token, None, "a probe carries no token");
    }
}

#[test]
fn health_is_degraded_naming_a_sibling_that_does_not_answer() {
    let ok = || json!({ "status": "ok" });
    let up = FakeSiblings::default()
        .on(Service::Auth, Verb::Get, "/auth/health", 200, ok())
        .on(Service::Motus, Verb::Get, "/motus/health", 200, ok())
        .down(Service::Score, Verb::Get, "/score/health");
    let r = get("/api/health").send(&up);
    assert_eq!(r.status, 503);
    assert_eq!(
        json(&r),
        json!({ "status": "degraded", "services": { "auth": "ok", "motus": "ok", "score": "down" } })
    );
}

#[test]
fn a_sibling_whose_store_is_unavailable_counts_as_down() {
    let unavailable = json!({ "error": { "code": "store_unavailable", "message": "…" } });
    let up = FakeSiblings::default()
        .on(Service::Auth, Verb::Get, "/auth/health", 503, unavailable)
        .on(
            Service::Motus,
            Verb::Get,
            "/motus/health",
            200,
            json!({ "status": "ok" }),
        )
        .on(
            Service::Score,
            Verb::Get,
            "/score/health",
            200,
            json!({ "status": "ok" }),
        );
    let r = get("/api/health").send(&up);
    assert_eq!(r.status, 503);
    assert_eq!(json(&r)["services"]["auth"], "down");
    assert_eq!(json(&r)["services"]["motus"], "ok");
}

#[test]
fn health_answers_only_get() {
    let r = get("/api/health").method("POST").send(&all_up());
    assert_eq!(r.status, 405);
}
