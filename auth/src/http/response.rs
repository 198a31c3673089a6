//! Plain HTTP answers and the one mapping from errors to statuses.

use serde::Serialize;
use serde_json::json;

use crate::app::AuthError;
use crate::domain::StoreError;

/// Requests above this are refused before parsing; our largest body is two 256-char passwords.
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
            Err(_) => ApiError::Internal.into_response(),
        }
    }

    pub fn no_content() -> Self {
        Self {
            status: 204,
            headers: vec![("cache-control", "no-store".into())],
            body: Vec::new(),
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
    BadRequest(String),
    Auth(AuthError),
    Internal,
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        Self::Auth(e)
    }
}

impl ApiError {
    pub fn into_response(self) -> ApiResponse {
        let (status, code, message) = self.describe();
        let body = json!({ "error": { "code": code, "message": message } });
        let mut response = ApiResponse::with_body(status, body.to_string().into_bytes());
        match self {
            ApiError::MethodNotAllowed(allow) => response.headers.push(("allow", allow.into())),
            ApiError::Auth(AuthError::Locked { retry_after }) => response
                .headers
                .push(("retry-after", retry_after.to_string())),
            ApiError::Auth(AuthError::Unauthenticated) => {
                response.headers.push(("www-authenticate", "Bearer".into()))
            }
            _ => {}
        }
        response
    }

    fn describe(&self) -> (u16, &'static str, String) {
        use AuthError as A;
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
            ApiError::BadRequest(why) => (400, "invalid_request", why.clone()),
            ApiError::Internal => (500, "internal", "internal error".into()),
            ApiError::Auth(e) => match e {
                A::InvalidUsername(_) => (400, "invalid_username", e.to_string()),
                A::InvalidPassword(_) => (400, "invalid_password", e.to_string()),
                A::UsernameTaken => (409, "username_taken", e.to_string()),
                A::BadCredentials => (401, "invalid_credentials", e.to_string()),
                A::WrongPassword => (403, "wrong_password", e.to_string()),
                A::Locked { .. } => (429, "too_many_attempts", e.to_string()),
                A::Unauthenticated => (401, "unauthorized", e.to_string()),
                A::Store(StoreError::Conflict(_)) => {
                    (503, "conflict", "too many concurrent updates, retry".into())
                }
                A::Store(StoreError::Unavailable(_)) => {
                    (503, "store_unavailable", "storage is unavailable".into())
                }
                A::Store(StoreError::Corrupt(_)) | A::Hash(_) | A::Random(_) => {
                    (500, "internal", "internal error".into())
                }
            },
        }
    }
}
