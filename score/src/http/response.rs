//! The one mapping from errors to statuses, codes and messages.

use spin_kit::http::{store_failure, ApiResponse};

use crate::app::ScoreError;
use crate::domain::StoreError;
use crate::siblings::{Sibling, SiblingError};

/// Requests above this are refused before parsing; our bodies are a few dozen bytes.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Everything a request can end in besides success.
#[derive(Debug)]
pub enum ApiError {
    NotFound,
    MethodNotAllowed(&'static str),
    PayloadTooLarge,
    /// 400 with a specific code (`invalid_request`, `invalid_player`, ...).
    BadRequest(&'static str, String),
    Forbidden,
    /// A valid token of another player.
    NotYours,
    /// No bearer token where one is needed, or one auth (or motus) refused.
    Unauthorized(&'static str),
    GameNotFinished,
    /// A sibling could not do its part.
    Sibling(Sibling, SiblingError),
    Store(StoreError),
}

impl From<ScoreError> for ApiError {
    fn from(e: ScoreError) -> Self {
        match e {
            ScoreError::Store(e) => Self::Store(e),
            ScoreError::NoToken => Self::Unauthorized("missing bearer token"),
            ScoreError::TokenRefused => Self::Unauthorized("invalid or expired token"),
            ScoreError::NotYours => Self::NotYours,
            ScoreError::GameNotFinished => Self::GameNotFinished,
            ScoreError::Sibling { sibling, failure } => Self::Sibling(sibling, failure),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

impl ApiError {
    pub fn bad_request(code: &'static str, e: impl std::fmt::Display) -> Self {
        Self::BadRequest(code, e.to_string())
    }

    pub fn into_response(self) -> ApiResponse {
        let (status, code, message) = self.describe();
        let mut response = ApiResponse::error(status, code, &message);
        if let ApiError::MethodNotAllowed(allow) = self {
            response.headers.push(("allow", allow.into()));
        }
        response
    }

    fn describe(&self) -> (u16, &'static str, String) {
        match self {
            ApiError::NotFound => (404, "not_found", "no such route".into()),
            ApiError::MethodNotAllowed(allow) => (
                405,
                "method_not_allowed",
                format!("this route accepts {allow}"),
            ),
            ApiError::PayloadTooLarge => (
                413,
                "payload_too_large",
                format!("request body exceeds {MAX_BODY_BYTES} bytes"),
            ),
            ApiError::BadRequest(code, why) => (400, code, why.clone()),
            ApiError::Forbidden => (
                403,
                "forbidden",
                "this route needs the administrator token".into(),
            ),
            ApiError::NotYours => (
                403,
                "forbidden",
                "a player's scores can only be deleted with their own token".into(),
            ),
            ApiError::Unauthorized(why) => (401, "unauthorized", (*why).into()),
            ApiError::GameNotFinished => (
                409,
                "game_not_finished",
                "motus does not know this game as finished (unknown or still being played)".into(),
            ),
            ApiError::Sibling(Sibling::Auth, SiblingError::Unavailable(_)) => (
                503,
                "auth_unavailable",
                "the auth service is unavailable, try again".into(),
            ),
            ApiError::Sibling(Sibling::Auth, why) => (
                502,
                "auth_bad_gateway",
                format!("auth answered unexpectedly ({why})"),
            ),
            ApiError::Sibling(Sibling::Motus, SiblingError::Unavailable(why)) => {
                (504, "upstream_timeout", format!("motus: {why}"))
            }
            ApiError::Sibling(Sibling::Motus, why) => {
                (502, "upstream_error", format!("motus: {why}"))
            }
            ApiError::Store(e) => store_failure(e),
        }
    }
}
