//! How sibling outcomes are sorted; the use cases themselves are tested through the routes
//! (`http/tests/`), with scripted siblings.

use super::*;

fn answer(status: u16) -> Answer {
    Answer {
        status,
        retry_after: None,
        body: b"{}".to_vec(),
    }
}

#[test]
fn outcomes_are_sorted_by_whose_fault_they_are() {
    let s = Service::Score;
    assert_eq!(classify(s, Ok(answer(200))), Ok(answer(200)));
    assert_eq!(classify(s, Ok(answer(201))), Ok(answer(201)));
    assert_eq!(
        classify(s, Ok(answer(422))),
        Err(AppError::Refused(s, answer(422)))
    );
    assert_eq!(classify(s, Ok(answer(500))), Err(AppError::BadGateway(s)));
    assert_eq!(classify(s, Ok(answer(503))), Err(AppError::Unavailable(s)));
    assert_eq!(classify(s, Ok(answer(302))), Err(AppError::BadGateway(s)));
    assert_eq!(
        classify(s, Err(Failure::Unreachable)),
        Err(AppError::Unavailable(s))
    );
    assert_eq!(
        classify(s, Err(Failure::TimedOut)),
        Err(AppError::Unavailable(s))
    );
}

fn down(error: Value) -> Answer {
    Answer {
        status: 503,
        retry_after: None,
        body: serde_json::to_vec(&serde_json::json!({ "error": error })).unwrap(),
    }
}

#[test]
fn a_sibling_reporting_its_dependency_down_names_that_dependency() {
    let motus = Service::Motus;
    let says = |code: &str, service: Option<&str>| {
        let mut error = serde_json::json!({ "code": code, "message": "m" });
        if let Some(s) = service {
            error["service"] = s.into();
        }
        classify(motus, Ok(down(error)))
    };
    assert_eq!(
        says("service_unavailable", Some("auth")),
        Err(AppError::Unavailable(Service::Auth))
    );
    assert_eq!(
        says("service_unavailable", Some("score")),
        Err(AppError::Unavailable(Service::Score))
    );
    assert_eq!(
        says("auth_unavailable", None),
        Err(AppError::Unavailable(Service::Auth))
    );
    assert_eq!(
        says("store_unavailable", None),
        Err(AppError::Unavailable(motus))
    );
    assert_eq!(says("busy", None), Err(AppError::Unavailable(motus)));
}

#[test]
fn a_success_that_is_not_json_is_a_bad_gateway() {
    let bad = Answer {
        status: 200,
        retry_after: None,
        body: b"<html>".to_vec(),
    };
    assert_eq!(
        json_of(Service::Motus, &bad),
        Err(AppError::BadGateway(Service::Motus))
    );
}
