//! The one error mapping: codes, statuses, and what stays on the server.

use super::super::error::Refusal;
use crate::app::PlayError;
use crate::domain::game::Rejection;
use crate::domain::word::WordError;
use spin_kit::errors::ApiError;
use spin_kit::kv::StoreError;

fn answer(error: impl Into<ApiError>) -> (u16, &'static str, String) {
    let error = error.into();
    (
        error.status(),
        error.code().as_str(),
        error.message().into(),
    )
}

#[test]
fn rejected_guesses_are_unprocessable_with_their_reason_in_french() {
    let cases = [
        (
            Rejection::WrongLength {
                expected: 6,
                got: 7,
            },
            "wrong_length",
        ),
        (
            Rejection::WrongFirstLetter { expected: 'M' },
            "wrong_first_letter",
        ),
        (Rejection::NotInDictionary, "not_in_dictionary"),
    ];
    for (rejection, code) in cases {
        let message = rejection.to_string();
        assert_eq!(answer(PlayError::Rejected(rejection)), (422, code, message));
    }
    let (status, code, _) = answer(Refusal::InvalidWord(WordError::NotALetter('1')));
    assert_eq!((status, code), (422, "invalid_word"));
    let (status, code, _) = answer(Refusal::InvalidWord(WordError::Length(40)));
    assert_eq!((status, code), (422, "wrong_length"));
}

#[test]
fn a_finished_game_and_an_unfinished_result_are_conflicts() {
    let over = answer(PlayError::Rejected(Rejection::GameOver));
    assert_eq!((over.0, over.1), (409, "game_over"));
    let unfinished = answer(PlayError::NotFinished);
    assert_eq!((unfinished.0, unfinished.1), (409, "game_not_finished"));
}

#[test]
fn auth_failures_name_auth() {
    for (error, status, code) in [
        (
            PlayError::AuthUnavailable("refused".into()),
            503,
            "service_unavailable",
        ),
        (
            PlayError::AuthBadGateway("status 500".into()),
            502,
            "bad_gateway",
        ),
    ] {
        let response = ApiError::from(error).into_response();
        let body: serde_json::Value = serde_json::from_slice(&response.body).unwrap();
        assert_eq!(response.status, status);
        assert_eq!(body["error"]["code"], code);
        assert_eq!(body["error"]["service"], "auth");
        assert!(!body.to_string().contains("refused") && !body.to_string().contains("500"));
    }
}

#[test]
fn store_failures_keep_their_details_on_the_server() {
    let (status, code, message) = answer(PlayError::Store(StoreError::Unavailable(
        "disk /var/lib/x full".into(),
    )));
    assert_eq!((status, code), (503, "store_unavailable"));
    assert!(!message.contains("/var/lib"));
    let busy = answer(PlayError::Store(StoreError::Conflict("game:1".into())));
    assert_eq!((busy.0, busy.1), (503, "store_busy"));
}

#[test]
fn wrong_methods_say_what_is_allowed() {
    let response = ApiError::from(Refusal::MethodNotAllowed { allow: "GET" }).into_response();
    assert_eq!(response.status, 405);
    assert_eq!(response.header_value("allow"), Some("GET"));
}
