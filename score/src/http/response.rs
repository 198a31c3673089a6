//! Plain HTTP answers and the one mapping from errors to statuses.

use serde::Serialize;
use serde_json::json;

use crate::domain::StoreError;

/// Requests above this are refused before parsing; our bodies are a few dozen bytes.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

#[derive(Debug)]
pub struct ApiResponse {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl ApiResponse {
    pub fn json<T: Serialize>(status: u16, value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Self::with_body(status, body),
            Err(_) => ApiError::Store(StoreError::Corrupt("response".into())).into_response(),
        }
    }

    fn with_body(status: u16, body: Vec<u8>) -> Self {
        Self {
            status,
            headers: vec![
                ("content-type", "application/json".into()),
                ("cache-control", "no-store".into()),
            ],
            body,
        }
    }
}

/// Everything a request can end in besides success.
#[derive(Debug)]
pub enum ApiError {
    NotFound,
    MethodNotAllowed(&'static str),
    PayloadTooLarge,
    /// 400 with a specific code (`invalid_request`, `invalid_player`, ...).
    BadRequest(&'static str, String),
    Forbidden,
    GameNotFinished,
    /// motus could not be reached or answered something unusable.
    Upstream(String),
    Store(StoreError),
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
        let body = json!({ "error": { "code": code, "message": message } });
        let mut response = ApiResponse::with_body(status, body.to_string().into_bytes());
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
            ApiError::GameNotFinished => (
                409,
                "game_not_finished",
                "motus does not know this game as finished (unknown or still being played)".into(),
            ),
            ApiError::Upstream(why) => (502, "upstream_error", format!("motus: {why}")),
            ApiError::Store(StoreError::Conflict(_)) => {
                (503, "conflict", "too many concurrent updates, retry".into())
            }
            ApiError::Store(StoreError::Unavailable(_)) => {
                (503, "store_unavailable", "storage is unavailable".into())
            }
            ApiError::Store(StoreError::Corrupt(_)) => (500, "internal", "internal error".into()),
        }
    }
}
