//! What every write must be before any sibling is called, and the JSON errors of unknown routes.

use super::*;
#[test]
fn a_cross_site_post_is_refused_before_any_sibling_is_called() {
    let up = FakeSiblings::default();
    let cases = [
        post("/api/login", json!({})).header("origin", "http://evil.example"),
        post("/api/games", json!({})).header("sec-fetch-site", "cross-site"),
    ];
    for req in cases {
        let r = req.send(&up);
        assert_eq!(r.status, 403);
        assert_eq!(json(&r)["error"]["code"], "cross_site");
    }
    assert!(up.calls.borrow().is_empty());
}

#[test]
fn a_post_that_is_not_json_is_415() {
    for ct in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ] {
        let r = post("/api/login", json!({}))
            .header("content-type", ct)
            .send(&FakeSiblings::default());
        assert_eq!(r.status, 415, "{ct}");
    }
    let r = post("/api/login", json!({}))
        .header("content-type", "Application/JSON; charset=utf-8")
        .send(&FakeSiblings::default());
    assert_ne!(r.status, 415);
}

#[test]
fn an_oversized_body_is_413() {
    let mut req = post("/api/login", json!({}));
    req.body = Err(BodyError::TooLarge);
    let r = req.send(&FakeSiblings::default());
    assert_eq!(r.status, 413);
    assert_eq!(json(&r)["error"]["code"], "payload_too_large");
}

#[test]
fn a_body_that_broke_off_is_400_before_any_sibling_is_called() {
    let up = FakeSiblings::default();
    let mut req = post("/api/login", json!({}));
    req.body = Err(BodyError::Unreadable);
    let r = req.send(&up);
    assert_eq!(r.status, 400);
    assert_eq!(json(&r)["error"]["code"], "invalid_json");
    assert!(up.calls.borrow().is_empty());
}

#[test]
fn a_body_that_is_not_a_json_object_is_400() {
    for raw in ["[1,2]", "\"x\"", "{broken", "null"] {
        let mut req = post("/api/login", json!({}));
        req.body = Ok(raw.as_bytes().to_vec());
        let r = req.send(&FakeSiblings::default());
        assert_eq!(r.status, 400, "{raw}");
        assert_eq!(json(&r)["error"]["code"], "invalid_json");
    }
}

#[test]
fn unknown_routes_and_wrong_methods_get_json_errors() {
    let r = get("/api/nope").send(&FakeSiblings::default());
    assert_eq!(r.status, 404);
    assert_eq!(json(&r)["error"]["code"], "not_found");
    let r = get("/api/login").send(&FakeSiblings::default());
    assert_eq!(r.status, 405);
    assert_eq!(r.header_value("allow"), Some("POST"));
}
