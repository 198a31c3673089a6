//! Static files: the index page, validators, methods and refused paths.

use super::*;

#[test]
fn root_serves_the_index_page_with_security_headers() {
    let r = get("/").send(&FakeSiblings::default());
    assert_eq!(r.status, 200);
    assert_eq!(r.body, b"<!doctype html>");
    assert_eq!(
        r.header_value("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(r.header_value("content-security-policy").is_some());
    assert_eq!(r.header_value("x-content-type-options"), Some("nosniff"));
}

#[test]
fn a_matching_if_none_match_gives_304_without_body() {
    let tag = crate::domain::assets::etag(b"export {}");
    for inm in [
        tag.clone(),
        format!("W/{tag}"),
        format!("\"other\", {tag}"),
        "*".into(),
    ] {
        let r = get("/app.js")
            .header("if-none-match", &inm)
            .send(&FakeSiblings::default());
        assert_eq!(r.status, 304, "{inm}");
        assert!(r.body.is_empty());
        assert_eq!(r.header_value("etag"), Some(tag.as_str()));
    }
    let r = get("/app.js")
        .header("if-none-match", "\"stale\"")
        .send(&FakeSiblings::default());
    assert_eq!(r.status, 200);
}

#[test]
fn head_gives_headers_without_body() {
    let r = get("/app.js").method("HEAD").send(&FakeSiblings::default());
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    assert_eq!(
        r.header_value("content-type"),
        Some("text/javascript; charset=utf-8")
    );
}

#[test]
fn unknown_files_are_404_and_traversal_is_400() {
    let status = |path: &str| get(path).send(&FakeSiblings::default()).status;
    assert_eq!(status("/nope.js"), 404);
    assert_eq!(status("/%2e%2e/etc/passwd"), 400);
    assert_eq!(status("/.env"), 404);
}

#[test]
fn only_get_and_head_are_allowed() {
    let r = get("/app.js").method("POST").send(&FakeSiblings::default());
    assert_eq!(r.status, 405);
    assert_eq!(r.header_value("allow"), Some("GET, HEAD"));
}
