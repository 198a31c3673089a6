//! Every failure the API reports, and the one place that turns it into a status and JSON body.

use spin_kit::http::{store_failure, ApiResponse};
use spin_sdk::http::Response;

use crate::app::PlayError;
use crate::domain::game::Rejection;
use crate::domain::word::WordError;
use spin_kit::kv::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no such route")]
    NoRoute,
    #[error("method not allowed")]
    MethodNotAllowed { allow: &'static str },
    #[error("the request body exceeds {0} bytes")]
    PayloadTooLarge(usize),
    #[error("the request body could not be read")]
    UnreadableBody,
    #[error("the body is not valid JSON: {0}")]
    InvalidJson(String),
    #[error("{0}")]
    InvalidBody(String),
    #[error("length must be between 6 and 10")]
    InvalidLength,
    #[error("{0}")]
    InvalidWord(WordError),
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("{0}")]
    Misconfigured(String),
    #[error("{0}")]
    Internal(String),
    #[error(transparent)]
    Play(#[from] PlayError),
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        Self::Play(error.into())
    }
}

impl ApiError {
    /// Status and stable code for each failure.
    fn status_and_code(&self) -> (u16, &'static str) {
        match self {
            Self::NoRoute => (404, "not_found"),
            Self::MethodNotAllowed { .. } => (405, "method_not_allowed"),
            Self::PayloadTooLarge(_) => (413, "payload_too_large"),
            Self::UnreadableBody => (400, "unreadable_body"),
            Self::InvalidJson(_) => (400, "invalid_json"),
            Self::InvalidBody(_) => (400, "invalid_body"),
            Self::InvalidLength => (400, "invalid_length"),
            Self::InvalidWord(WordError::Length(_)) => (422, "wrong_length"),
            Self::InvalidWord(_) => (422, "invalid_word"),
            Self::Unauthorized(_) => (401, "unauthorized"),
            Self::Play(PlayError::Unauthenticated) => (401, "unauthorized"),
            Self::Play(PlayError::Forbidden) => (403, "forbidden"),
            Self::Play(PlayError::AuthUnavailable(_)) => (503, "auth_unavailable"),
            Self::Play(PlayError::AuthBadGateway(_)) => (502, "auth_bad_gateway"),
            Self::Misconfigured(_) | Self::Play(PlayError::NoSecret) => (500, "misconfigured"),
            Self::Internal(_) => (500, "internal"),
            Self::Play(PlayError::NotFound) => (404, "not_found"),
            Self::Play(PlayError::NotFinished) => (404, "not_finished"),
            Self::Play(PlayError::Rejected(Rejection::GameOver)) => (409, "game_over"),
            Self::Play(PlayError::Rejected(rejection)) => (422, rejection.code()),
            Self::Play(PlayError::NoAnswer) => (422, "no_answer_for_length"),
            Self::Play(PlayError::Store(e)) => {
                let (status, code, _) = store_failure(e);
                (status, code)
            }
        }
    }

    pub fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        // Server-side details stay in the log; clients get a generic sentence.
        let message = if let Self::Play(PlayError::Store(e)) = &self {
            eprintln!("motus: {code}: {e}");
            store_failure(e).2
        } else if status >= 500 {
            eprintln!("motus: {code}: {self}");
            generic_message(status)
        } else {
            self.to_string()
        };
        let mut response = Response::from(ApiResponse::error(status, code, &message));
        if let Self::MethodNotAllowed { allow } = self {
            response.set_header("allow", allow);
        }
        response
    }
}

fn generic_message(status: u16) -> String {
    match status {
        502 => "the auth service answered unexpectedly",
        503 => "a service motus depends on is unavailable, try again",
        _ => "internal error",
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(error: ApiError) -> (u16, serde_json::Value) {
        let response = error.into_response();
        let body = serde_json::from_slice(response.body()).unwrap();
        (*response.status(), body)
    }

    #[test]
    fn errors_have_the_shared_shape() {
        let (status, body) = reply(ApiError::InvalidJson("eof".into()));
        assert_eq!(status, 400);
        assert_eq!(body["error"]["code"], "invalid_json");
        assert!(body["error"]["message"].as_str().unwrap().contains("eof"));
    }

    #[test]
    fn rejected_guesses_are_unprocessable_with_their_reason() {
        let (status, body) = reply(PlayError::Rejected(Rejection::NotInDictionary).into());
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (422, Some("not_in_dictionary"))
        );
        let (status, body) =
            reply(PlayError::Rejected(Rejection::WrongFirstLetter { expected: 'M' }).into());
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (422, Some("wrong_first_letter"))
        );
        let (status, body) = reply(ApiError::InvalidWord(WordError::NotALetter('1')));
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (422, Some("invalid_word"))
        );
    }

    #[test]
    fn a_finished_game_is_a_conflict() {
        let (status, body) = reply(PlayError::Rejected(Rejection::GameOver).into());
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (409, Some("game_over"))
        );
    }

    #[test]
    fn internal_details_are_not_sent_to_clients() {
        let (status, body) = reply(StoreError::Unavailable("disk /var/lib/x full".into()).into());
        assert_eq!(status, 503);
        assert!(!body.to_string().contains("/var/lib"));
    }

    #[test]
    fn wrong_methods_say_what_is_allowed() {
        let response = ApiError::MethodNotAllowed { allow: "GET" }.into_response();
        assert_eq!(*response.status(), 405);
        assert_eq!(
            response.header("allow").and_then(|v| v.as_str()),
            Some("GET")
        );
    }
}
