use super::*;

fn body(response: &ApiResponse) -> serde_json::Value {
    serde_json::from_slice(&response.body).unwrap()
}

#[test]
fn errors_have_the_shared_shape_and_are_never_cached() {
    let response = ApiError::with_message(Code::NotFound, "no such route").into_response();
    assert_eq!(response.status, 404);
    assert_eq!(
        body(&response),
        json!({ "error": { "code": "not_found", "message": "no such route" } })
    );
    assert!(response
        .headers
        .contains(&("content-type", "application/json".into())));
    assert!(response
        .headers
        .contains(&("cache-control", "no-store".into())));
}

#[test]
fn a_value_that_cannot_be_serialised_is_an_internal_error() {
    let mut bad = std::collections::HashMap::new();
    bad.insert((1, 2), 3);
    let response = ApiResponse::json(200, &bad);
    assert_eq!(response.status, 500);
    assert_eq!(body(&response)["error"]["code"], "internal");
}

#[derive(serde::Deserialize, Debug)]
struct Guess {
    #[allow(dead_code)]
    word: String,
}

#[test]
fn a_body_that_is_not_json_or_lacks_a_field_is_invalid_json() {
    for body in [&b"{"[..], b"not json", b"{\"mot\":\"x\"}", b"[]"] {
        let error = parse_json::<Guess>(body).unwrap_err();
        assert_eq!(error.code(), Code::InvalidJson, "{body:?}");
    }
    assert!(parse_json::<Guess>(br#"{"word":"maison"}"#).is_ok());
}

#[test]
fn the_bearer_scheme_is_case_insensitive_and_the_token_must_be_there() {
    assert_eq!(bearer(Some("Bearer abc")), Some("abc"));
    assert_eq!(bearer(Some("bearer  abc ")), Some("abc"));
    assert_eq!(bearer(Some("BEARER abc")), Some("abc"));
    assert_eq!(bearer(Some("Basic abc")), None);
    assert_eq!(bearer(Some("Bearer ")), None);
    assert_eq!(bearer(Some("abc")), None);
    assert_eq!(bearer(None), None);
}

#[test]
fn a_body_refused_before_parsing_says_why() {
    assert_eq!(ApiError::from(BodyError::TooLarge).status(), 413);
    assert_eq!(
        ApiError::from(BodyError::Unreadable).code(),
        Code::InvalidJson
    );
}

#[test]
fn a_target_splits_into_path_and_query_without_authority_or_fragment() {
    let cases = [
        ("/api/me", ("/api/me", "")),
        (
            "/score/x?limit=5&cursor=a",
            ("/score/x", "limit=5&cursor=a"),
        ),
        (
            "http://127.0.0.1:3000/motus/daily?x#frag",
            ("/motus/daily", "x"),
        ),
        ("http://host", ("/", "")),
        ("/a#b?c", ("/a", "")),
    ];
    for (target, (path, query)) in cases {
        assert_eq!(
            split_target(target),
            (path.to_owned(), query.to_owned()),
            "{target}"
        );
    }
}

#[test]
fn secrets_match_only_when_equal() {
    assert!(same_secret("s3cret-value", "s3cret-value"));
    assert!(!same_secret("s3cret-value", "s3cret-valuf"));
    assert!(!same_secret("s3cret-value", "s3cret"));
    assert!(!same_secret("s3cret", ""));
}

#[test]
fn health_is_ok_when_the_store_answers_a_read_and_writes_nothing() {
    let store = crate::memory::MemKv::default();
    let response = health(&store).unwrap();
    assert_eq!(
        (response.status, body(&response)),
        (200, json!({ "status": "ok" }))
    );
    assert!(response
        .headers
        .contains(&("cache-control", "no-store".into())));
    assert!(store.keys().is_empty(), "{:?}", store.keys());
}

#[test]
fn health_is_store_unavailable_when_the_store_does_not_answer() {
    let response = health(&crate::memory::Down).unwrap_err().into_response();
    assert_eq!(response.status, 503);
    assert_eq!(body(&response)["error"]["code"], "store_unavailable");
}
