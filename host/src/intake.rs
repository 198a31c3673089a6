//! Reading a request's body before it may run: within a size cap and a deadline, so that a
//! client sending slowly holds only its own connection, never one of the few admission slots
//! that components run in.

use crate::{json_error, Body};
use http::{HeaderValue, Request, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use spin_kit::errors::Code;
use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub struct BodyLimits {
    pub max_bytes: usize,
    /// From the end of the head to the last byte of the body.
    pub deadline: Duration,
}

/// The request with its whole body in memory, or the JSON answer that refuses it. Refusals close
/// the connection: the rest of the body is not read (lingering close still lets the client see
/// the answer).
pub async fn read_body<B>(
    req: Request<B>,
    limits: BodyLimits,
) -> Result<Request<Body>, Response<Body>>
where
    B: hyper::body::Body<Data = bytes::Bytes> + Send + 'static,
    B::Error: std::error::Error + Send + Sync + 'static,
{
    let (parts, body) = req.into_parts();
    // A declared length over the cap is refused before a byte of it is read.
    if body.size_hint().lower() > limits.max_bytes as u64 {
        return Err(too_large(limits.max_bytes));
    }
    let collected = tokio::time::timeout(
        limits.deadline,
        Limited::new(body, limits.max_bytes).collect(),
    );
    match collected.await {
        Ok(Ok(collected)) => {
            // Trailers, if any, stay with the body.
            let body = collected.map_err(|never| match never {}).boxed_unsync();
            Ok(Request::from_parts(parts, body))
        }
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
            Err(too_large(limits.max_bytes))
        }
        Ok(Err(e)) => Err(closing(json_error(
            Code::BadRequest,
            &format!("the request body could not be read: {e}"),
        ))),
        Err(_) => Err(closing(json_error(
            Code::RequestTimeout,
            &format!(
                "the request body did not arrive within {} s",
                limits.deadline.as_secs_f64()
            ),
        ))),
    }
}

fn too_large(max: usize) -> Response<Body> {
    closing(json_error(
        Code::PayloadTooLarge,
        &format!("request body exceeds {max} bytes"),
    ))
}

fn closing(mut response: Response<Body>) -> Response<Body> {
    response
        .headers_mut()
        .insert(http::header::CONNECTION, HeaderValue::from_static("close"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use http::StatusCode;
    use http_body_util::{Full, StreamBody};
    use hyper::body::Frame;

    const LIMITS: BodyLimits = BodyLimits {
        max_bytes: 8,
        deadline: Duration::from_millis(200),
    };

    async fn text(req: Request<Body>) -> String {
        let bytes = req.into_body().collect().await.unwrap().to_bytes();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn a_body_within_the_cap_is_handed_on_whole() {
        let req = Request::new(Full::new(Bytes::from_static(b"12345678")));
        let req = read_body(req, LIMITS).await.unwrap();
        assert_eq!(text(req).await, "12345678");
    }

    #[tokio::test]
    async fn a_body_over_the_cap_is_refused_as_too_large() {
        let req = Request::new(Full::new(Bytes::from_static(b"123456789")));
        let refused = read_body(req, LIMITS).await.unwrap_err();
        assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(refused.headers()["connection"], "close");
    }

    #[tokio::test]
    async fn a_body_that_never_ends_is_refused_at_the_deadline() {
        let stream = futures::stream::pending::<Result<Frame<Bytes>, std::io::Error>>();
        let req = Request::new(StreamBody::new(stream));
        let started = std::time::Instant::now();
        let refused = read_body(req, LIMITS).await.unwrap_err();
        assert_eq!(refused.status(), StatusCode::REQUEST_TIMEOUT);
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}
