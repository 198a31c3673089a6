//! The one error mapping: catalogue codes, the failing service named, refusals relayed.

use super::*;
use crate::app::AppError;
use crate::domain::origin::CrossSite;
use crate::domain::query::InvalidQuery;
use crate::domain::static_path::Refusal;

fn refused(service: Service, status: u16, retry_after: Option<&str>, body: &[u8]) -> RouteError {
    RouteError::App(AppError::Refused(
        service,
        Answer {
            status,
            retry_after: retry_after.map(Into::into),
            body: body.to_vec(),
        },
    ))
}

fn code(r: &ApiResponse) -> String {
    json(r)["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn the_webapps_own_refusals_answer_their_catalogue_code_and_status() {
    let cases: [(RouteError, Code); 6] = [
        (Refusal::Traversal.into(), Code::InvalidPath),
        (Refusal::NotFound.into(), Code::NotFound),
        (CrossSite.into(), Code::CrossSite),
        (InvalidQuery("limit (1 à 100)").into(), Code::InvalidQuery),
        (AppError::Unauthenticated.into(), Code::Unauthenticated),
        (
            Code::UnsupportedMediaType.into(),
            Code::UnsupportedMediaType,
        ),
    ];
    for (err, expected) in cases {
        let r = err.into_response();
        assert_eq!(
            (r.status, code(&r)),
            (expected.status(), expected.to_string())
        );
        assert!(json(&r)["error"]["message"].is_string());
    }
}

#[test]
fn a_refused_query_names_the_parameter() {
    let r = RouteError::from(InvalidQuery("limit (1 à 100)")).into_response();
    let message = json(&r)["error"]["message"].as_str().unwrap().to_owned();
    assert!(message.contains("limit (1 à 100)"), "{message}");
}

#[test]
fn an_unreachable_sibling_is_a_503_naming_the_service() {
    let r = RouteError::App(AppError::Unavailable(Service::Score)).into_response();
    assert_eq!(r.status, 503);
    let b = json(&r);
    assert_eq!(b["error"]["code"], "service_unavailable");
    assert_eq!(b["error"]["service"], "score");
    assert_eq!(b["error"]["message"], "Le service score ne répond pas.");
    assert_eq!(r.header_value("retry-after"), Some("5"));
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
    let r = refused(Service::Motus, 422, None, original).into_response();
    assert_eq!(r.status, 422);
    assert_eq!(json(&r), serde_json::from_slice::<Value>(original).unwrap());

    let r = refused(Service::Auth, 429, Some("30"), b"slow down").into_response();
    assert_eq!(r.status, 429);
    assert_eq!(r.header_value("retry-after"), Some("30"));
    assert_eq!(code(&r), "too_many_requests");
}

#[test]
fn a_refusal_without_a_code_gets_the_catalogues_code_for_its_status() {
    for status in [400, 401, 403, 404, 405, 409, 413, 415, 422, 429] {
        let r = refused(Service::Score, status, None, b"").into_response();
        assert_eq!(r.status, status);
        let code = code(&r);
        let known = Code::ALL.iter().find(|c| c.as_str() == code).unwrap();
        assert_eq!(known.status(), status, "{code}");
    }
}

#[test]
fn a_refusal_no_sibling_of_ours_makes_is_that_siblings_error() {
    let r = refused(Service::Score, 418, None, b"teapot").into_response();
    assert_eq!(r.status, 502);
    assert_eq!(code(&r), "bad_gateway");
    assert_eq!(json(&r)["error"]["service"], "score");
}

#[test]
fn method_not_allowed_lists_the_allowed_methods() {
    let r = RouteError::from(ApiError::method_not_allowed("GET, HEAD")).into_response();
    assert_eq!(r.status, 405);
    assert_eq!(r.header_value("allow"), Some("GET, HEAD"));
}
