//! Plain HTTP answers, free of any SDK type so handlers can be tested natively.

use serde::Serialize;
use serde_json::json;

use crate::kv::StoreError;

#[derive(Debug)]
pub struct ApiResponse {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl ApiResponse {
    /// A JSON answer; a value that cannot be serialised becomes the generic 500 instead.
    pub fn json<T: Serialize>(status: u16, value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Self::with_body(status, body),
            Err(_) => Self::error(500, "internal", "internal error"),
        }
    }

    pub fn no_content() -> Self {
        Self {
            status: 204,
            headers: vec![("cache-control", "no-store".into())],
            body: Vec::new(),
        }
    }

    /// The error shape every component answers with: `{"error":{"code","message"}}`, where
    /// `code` is stable for clients to branch on and `message` is for people.
    pub fn error(status: u16, code: &str, message: &str) -> Self {
        let body = json!({ "error": { "code": code, "message": message } });
        Self::with_body(status, body.to_string().into_bytes())
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

/// Status, code and message for a store failure. Details stay on the server: the message never
/// carries the key or the backend's text.
pub fn store_failure(e: &StoreError) -> (u16, &'static str, String) {
    match e {
        StoreError::Conflict(_) => (503, "conflict", "too many concurrent updates, retry".into()),
        StoreError::Unavailable(_) => (503, "store_unavailable", "storage is unavailable".into()),
        StoreError::Unconfirmed(_) => (
            503,
            "store_unconfirmed",
            "the key-value store could not confirm the write; retry".into(),
        ),
        StoreError::Corrupt(_) => (500, "internal", "internal error".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(response: &ApiResponse) -> serde_json::Value {
        serde_json::from_slice(&response.body).unwrap()
    }

    #[test]
    fn errors_have_the_shared_shape_and_are_never_cached() {
        let response = ApiResponse::error(404, "not_found", "no such route");
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

    #[test]
    fn store_failures_hide_their_details() {
        for e in [
            StoreError::Conflict("user:secret".into()),
            StoreError::Unavailable("disk /var/lib/x full".into()),
            StoreError::Corrupt("user:secret".into()),
        ] {
            let (_, _, message) = store_failure(&e);
            assert!(!message.contains("secret") && !message.contains("/var"));
        }
    }
}
