//! Plumbing between wasi:http and the handlers: bodies in, JSON out.

use serde::de::DeserializeOwned;
use serde::Serialize;
pub use spin_kit::spin::header;
use spin_kit::spin::BodyError;
use spin_sdk::http::{IncomingRequest, Response};

use crate::errors::ApiError;

/// Largest request body accepted; real bodies are a few dozen bytes.
pub const MAX_BODY: usize = 16 * 1024;

pub fn json_response(status: u16, body: &impl Serialize) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("cache-control", "no-store")
        .body(bytes)
        .build()
}

pub fn no_content() -> Response {
    Response::builder()
        .status(204)
        .header("cache-control", "no-store")
        .build()
}

/// Reads the body up to [`MAX_BODY`], refusing anything larger before it is all received.
pub async fn read_body(req: IncomingRequest) -> Result<Vec<u8>, ApiError> {
    spin_kit::spin::read_body(req, MAX_BODY)
        .await
        .map_err(|e| match e {
            BodyError::TooLarge => ApiError::PayloadTooLarge(MAX_BODY),
            BodyError::Unreadable => ApiError::UnreadableBody,
        })
}

/// Parses a JSON body, telling malformed JSON apart from JSON of the wrong shape.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => ApiError::InvalidBody(e.to_string()),
        _ => ApiError::InvalidJson(e.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        word: String,
    }

    #[test]
    fn malformed_json_and_wrong_shapes_are_told_apart() {
        for bad in [&b""[..], b"{", b"word=maison", b"{\"word\":}", b"\xff"] {
            assert!(
                matches!(parse_json::<Body>(bad), Err(ApiError::InvalidJson(_))),
                "{bad:?}"
            );
        }
        for wrong in [
            &b"{}"[..],
            b"{\"word\":1}",
            b"{\"word\":\"a\",\"x\":1}",
            b"[]",
            b"\"maison\"",
        ] {
            assert!(
                matches!(parse_json::<Body>(wrong), Err(ApiError::InvalidBody(_))),
                "{wrong:?}"
            );
        }
        assert_eq!(
            parse_json::<Body>(b"{\"word\":\"maison\"}").unwrap().word,
            "maison"
        );
    }
}
