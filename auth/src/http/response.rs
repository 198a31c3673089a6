//! The one mapping from errors to statuses, codes and messages.

use spin_kit::http::{store_failure, ApiResponse};

use crate::app::AuthError;
use crate::siblings::Sibling;

/// Requests above this are refused before parsing; our largest body is two 256-char passwords.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

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
        let mut response = ApiResponse::error(status, code, &message);
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
                // `<service>_unavailable`: the webapp reads the service really down from it.
                A::SiblingUnavailable { sibling, .. } => (
                    503,
                    match sibling {
                        Sibling::Motus => "motus_unavailable",
                        Sibling::Score => "score_unavailable",
                    },
                    e.to_string(),
                ),
                A::Store(e) => store_failure(e),
                A::Hash(_) | A::Random(_) => (500, "internal", "internal error".into()),
            },
        }
    }
}
