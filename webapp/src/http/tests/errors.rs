//! The one error mapping: the shared shape, the failing service named, refusals relayed.

use super::*;
use crate::app::AppError;

fn answer(status: u16, retry_after: Option<&str>, body: &[u8]) -> AppError {
    AppError::Refused(Answer {
        status,
        retry_after: retry_after.map(Into::into),
        body: body.to_vec(),
    })
}

#[test]
fn every_local_error_has_the_shared_shape() {
    let all = [
        RouteError::BadPath,
        RouteError::NotFound,
        RouteError::MethodNotAllowed("GET"),
        RouteError::CrossSite,
        RouteError::UnsupportedMediaType,
        RouteError::PayloadTooLarge,
        RouteError::InvalidJson,
        RouteError::InvalidQuery("limit"),
        RouteError::App(AppError::Unauthenticated),
        RouteError::App(AppError::Unavailable(Service::Score)),
        RouteError::App(AppError::BadGateway(Service::Motus)),
    ];
    for err in all {
        let expected = err.status();
        let r = err.into_response();
        assert_eq!(r.status, expected);
        let b = json(&r);
        assert!(
            b["error"]["code"].is_string() && b["error"]["message"].is_string(),
            "{b}"
        );
    }
}

#[test]
fn an_unreachable_sibling_is_a_503_naming_the_service() {
    let r = RouteError::App(AppError::Unavailable(Service::Score)).into_response();
    assert_eq!(r.status, 503);
    let b = json(&r);
    assert_eq!(b["error"]["code"], "service_unavailable");
    assert_eq!(b["error"]["service"], "score");
    assert_eq!(b["error"]["message"], "Le service score ne répond pas.");
}

#[test]
fn a_failing_sibling_is_a_502_naming_the_service() {
    let b = json(&RouteError::App(AppError::BadGateway(Service::Auth)).into_response());
    assert_eq!(b["error"]["code"], "bad_gateway");
    assert_eq!(b["error"]["service"], "auth");
}

#[test]
fn a_sibling_refusal_keeps_its_status_body_and_retry_after() {
    let original = br#"{"error":{"code":"not_in_dictionary","message":"Mot inconnu"}}"#;
    let r = RouteError::App(answer(422, None, original)).into_response();
    assert_eq!(r.status, 422);
    assert_eq!(json(&r), serde_json::from_slice::<Value>(original).unwrap());

    let r = RouteError::App(answer(429, Some("30"), b"slow down")).into_response();
    assert_eq!(r.status, 429);
    assert_eq!(header_value(&r, "retry-after"), Some("30"));
    assert_eq!(json(&r)["error"]["code"], "too_many_requests");
}

#[test]
fn method_not_allowed_lists_the_allowed_methods() {
    let r = RouteError::MethodNotAllowed("GET, HEAD").into_response();
    assert_eq!(header_value(&r, "allow"), Some("GET, HEAD"));
}
