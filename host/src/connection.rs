//! One client connection: HTTP/1.1 with keep-alive, its timeouts, its body intake, and JSON for
//! the errors the HTTP layer raises itself.
//!
//! Timeouts: a request head must be complete within the header-read timeout of the connection
//! being ready for it (hyper's timer); an idle connection closes after the keep-alive timeout
//! ([`EdgeIo`]); a body must be complete within the body-read timeout ([`intake`]). A head that
//! hyper refuses (malformed, too large) or that times out half-sent is answered here, in the
//! product's JSON error shape, once hyper has given the connection back.

use crate::edge_io::{EdgeIo, Exchange, Tracked};
use crate::intake::{self, BodyLimits};
use crate::linger::Lingering;
use crate::Body;
use http::{Request, Response, StatusCode};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::watch;

/// What a connection does with a request once its body is in.
pub type Handler = Arc<
    dyn Fn(Request<Body>) -> Pin<Box<dyn Future<Output = Response<Body>> + Send>> + Send + Sync,
>;

#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub header_read: Duration,
    pub keep_alive: Duration,
}

type Answer = Pin<Box<dyn Future<Output = Result<Response<Tracked<Body>>, Infallible>> + Send>>;

/// Serves `stream` until the client leaves, a timeout ends it, or `stop` turns true (requests in
/// flight finish first); then closes it with a lingering close.
pub async fn serve(
    stream: TcpStream,
    timeouts: Timeouts,
    limits: BodyLimits,
    mut stop: watch::Receiver<bool>,
    handler: Handler,
) {
    let exchange = Arc::new(Exchange::default());
    let service = {
        let exchange = exchange.clone();
        service_fn(move |req: Request<Incoming>| -> Answer {
            exchange.dispatched();
            let (handler, exchange) = (handler.clone(), exchange.clone());
            Box::pin(async move {
                let started = Instant::now();
                let (method, path) = (req.method().clone(), req.uri().path().to_owned());
                let response = match intake::read_body(req, limits).await {
                    Ok(req) => handler(req).await,
                    Err(refusal) => {
                        let status = refusal.status().as_u16();
                        tracing::info!(component = "-", %method, %path, status, ms = ms(started), "request");
                        refusal
                    }
                };
                Ok(response.map(|body| exchange.track(body)))
            })
        })
    };
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(timeouts.header_read);
    let io = EdgeIo::new(Lingering::new(stream), exchange, timeouts.keep_alive);
    let mut conn = http.serve_connection(TokioIo::new(io), service);
    let mut stopping = false;
    let result = loop {
        tokio::select! {
            result = std::future::poll_fn(|cx| conn.poll_without_shutdown(cx)) => break result,
            _ = stop.wait_for(|stop| *stop), if !stopping => {
                stopping = true;
                Pin::new(&mut conn).graceful_shutdown();
            }
        }
    };
    let parts = conn.into_parts();
    close(parts.io.into_inner(), &parts.read_buf, result, timeouts).await;
}

/// Ends a connection hyper has given back, first sending the JSON answer hyper could not: for a
/// head it refused, or one that was started but not finished in time.
async fn close(
    io: EdgeIo<Lingering<TcpStream>>,
    unparsed: &[u8],
    result: hyper::Result<()>,
    timeouts: Timeouts,
) {
    if let Err(e) = &result {
        tracing::debug!("connection ended: {e}");
    }
    let timed_out = matches!(&result, Err(e) if e.is_timeout());
    // Idle: no request started, so nothing unread to linger for; the place frees at once.
    if io.idled_out() || (timed_out && unparsed.is_empty()) {
        let _ = io.into_inner().into_inner().shutdown().await;
        return;
    }
    let answer = match io.held_back() {
        Some(status) => Some(refused_head(status)),
        None if timed_out => Some(raw_json_error(
            StatusCode::REQUEST_TIMEOUT,
            "request_timeout",
            &format!(
                "the request head did not arrive within {} s",
                timeouts.header_read.as_secs_f64()
            ),
        )),
        None => None,
    };
    let mut stream = io.into_inner();
    if let Some(answer) = answer {
        let _ = stream.write_all(&answer).await;
    }
    let _ = stream.shutdown().await;
}

/// The JSON answer in place of the one hyper wrote for a head it could not parse.
fn refused_head(status: u16) -> Vec<u8> {
    let (status, code, message) = match status {
        431 => (
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers_too_large",
            "the request headers are too large or too many",
        ),
        414 => (
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            "the request target is too long",
        ),
        _ => (
            StatusCode::BAD_REQUEST,
            "bad_request",
            "the request line or a header is malformed",
        ),
    };
    raw_json_error(status, code, message)
}

/// A complete HTTP/1.1 answer that closes the connection, for when hyper no longer can send one.
fn raw_json_error(status: StatusCode, code: &str, message: &str) -> Vec<u8> {
    // No method or path: the head was never read whole.
    tracing::info!(
        component = "-",
        method = "-",
        path = "-",
        status = status.as_u16(),
        code,
        "request"
    );
    let body = crate::error_json(code, message);
    format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        body.len(),
    )
    .into_bytes()
}

/// How long a request has taken, for log lines.
fn ms(since: Instant) -> f64 {
    (since.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::{BodyExt, Full};
    use std::net::SocketAddr;
    use tokio::io::AsyncReadExt;
    use tokio::net::TcpListener;

    const QUICK: Timeouts = Timeouts {
        header_read: Duration::from_millis(400),
        keep_alive: Duration::from_millis(300),
    };
    const LIMITS: BodyLimits = BodyLimits {
        max_bytes: 1024,
        deadline: Duration::from_millis(400),
    };

    /// A server whose handler answers `<method> <path> <body length>`.
    async fn server() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let handler: Handler = Arc::new(|req: Request<Body>| {
            Box::pin(async move {
                let line = format!("{} {}", req.method(), req.uri().path());
                let length = req.into_body().collect().await.unwrap().to_bytes().len();
                let body = Full::new(format!("{line} {length}").into())
                    .map_err(|never| match never {})
                    .boxed_unsync();
                Response::new(body)
            })
        });
        let (_keep, stop) = watch::channel(false);
        tokio::spawn(async move {
            let _keep = _keep;
            loop {
                let (stream, _) = listener.accept().await.unwrap();
                tokio::spawn(serve(stream, QUICK, LIMITS, stop.clone(), handler.clone()));
            }
        });
        addr
    }

    /// Sends `request`, then reads until the server closes (or 5 s pass).
    async fn exchange(request: &[u8]) -> (String, Duration) {
        let mut stream = TcpStream::connect(server().await).await.unwrap();
        let started = Instant::now();
        stream.write_all(request).await.unwrap();
        let mut answer = Vec::new();
        let read = stream.read_to_end(&mut answer);
        tokio::time::timeout(Duration::from_secs(5), read)
            .await
            .expect("the server closes the connection")
            .unwrap();
        (
            String::from_utf8_lossy(&answer).into_owned(),
            started.elapsed(),
        )
    }

    #[track_caller]
    fn assert_json_error(answer: &str, status_line: &str, code: &str) {
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with(status_line), "{answer}");
        assert!(head.contains("content-type: application/json"), "{answer}");
        let json: serde_json::Value = serde_json::from_str(body).expect(answer);
        assert_eq!(json["error"]["code"], code, "{answer}");
    }

    #[tokio::test]
    async fn a_malformed_header_gets_a_json_400() {
        let (answer, _) = exchange(b"GET / HTTP/1.1\r\nhost: x\r\nbad header: y\r\n\r\n").await;
        assert_json_error(&answer, "HTTP/1.1 400 Bad Request", "bad_request");
    }

    #[tokio::test]
    async fn a_malformed_request_line_gets_a_json_400() {
        let (answer, _) = exchange(b"NOT HTTP AT ALL\r\n\r\n").await;
        assert_json_error(&answer, "HTTP/1.1 400 Bad Request", "bad_request");
    }

    #[tokio::test]
    async fn after_good_answers_on_the_same_connection_a_malformed_head_still_gets_json() {
        let (answer, _) = exchange(
            b"GET /a HTTP/1.1\r\nhost: x\r\n\r\n\
              HEAD /b HTTP/1.1\r\nhost: x\r\n\r\n\
              POST /c HTTP/1.1\r\nhost: x\r\ncontent-length: 3\r\n\r\nabc\
              GET /d HTTP/1.1\r\nhost: x\r\nx-bad: a\x01b\r\n\r\n",
        )
        .await;
        let answers: Vec<&str> = answer.split("HTTP/1.1 ").skip(1).collect();
        assert_eq!(answers.len(), 4, "{answer}");
        assert!(answers[0].ends_with("GET /a 0"), "{answer}");
        assert!(answers[2].ends_with("POST /c 3"), "{answer}");
        assert_json_error(
            &format!("HTTP/1.1 {}", answers[3]),
            "HTTP/1.1 400",
            "bad_request",
        );
    }

    #[tokio::test]
    async fn too_many_headers_get_a_json_431() {
        let mut head = "GET / HTTP/1.1\r\nhost: x\r\n".to_owned();
        for i in 0..200 {
            head.push_str(&format!("x-{i}: y\r\n"));
        }
        let (answer, _) = exchange(format!("{head}\r\n").as_bytes()).await;
        assert_json_error(&answer, "HTTP/1.1 431", "headers_too_large");
    }

    #[tokio::test]
    async fn a_target_over_64_kib_gets_a_json_414() {
        let path = "a".repeat(70_000);
        let (answer, _) =
            exchange(format!("GET /{path} HTTP/1.1\r\nhost: x\r\n\r\n").as_bytes()).await;
        assert_json_error(&answer, "HTTP/1.1 414", "uri_too_long");
    }

    #[tokio::test]
    async fn a_half_sent_head_gets_a_json_408_at_the_header_timeout() {
        let (answer, took) = exchange(b"GET / HTTP/1.1\r\nhost: x\r\n").await;
        assert_json_error(&answer, "HTTP/1.1 408", "request_timeout");
        assert!(
            took >= QUICK.header_read && took < Duration::from_secs(2),
            "{took:?}"
        );
    }

    #[tokio::test]
    async fn an_idle_connection_is_closed_without_an_answer() {
        let (answer, took) = exchange(b"").await;
        assert_eq!(answer, "");
        assert!(
            took >= QUICK.keep_alive && took < Duration::from_secs(2),
            "{took:?}"
        );
    }

    #[tokio::test]
    async fn a_kept_alive_connection_is_closed_once_idle() {
        let (answer, took) = exchange(b"GET /a HTTP/1.1\r\nhost: x\r\n\r\n").await;
        assert!(
            answer.starts_with("HTTP/1.1 200") && answer.ends_with("GET /a 0"),
            "{answer}"
        );
        assert!(
            took >= QUICK.keep_alive && took < Duration::from_secs(2),
            "{took:?}"
        );
    }

    #[tokio::test]
    async fn a_body_that_stops_coming_gets_a_json_408() {
        let (answer, took) =
            exchange(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 10\r\n\r\nab").await;
        assert_json_error(&answer, "HTTP/1.1 408", "request_timeout");
        assert!(took < Duration::from_secs(2), "{took:?}");
    }

    #[tokio::test]
    async fn a_declared_body_over_the_cap_gets_a_json_413_unread() {
        let (answer, _) =
            exchange(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 5000\r\n\r\n").await;
        assert_json_error(&answer, "HTTP/1.1 413", "payload_too_large");
    }

    #[tokio::test]
    async fn a_client_that_waits_for_100_continue_gets_it() {
        let mut stream = TcpStream::connect(server().await).await.unwrap();
        let head = "POST /e HTTP/1.1\r\nhost: x\r\ncontent-length: 3\r\nexpect: 100-continue\r\nconnection: close\r\n\r\n";
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut interim = [0u8; 25];
        stream.read_exact(&mut interim).await.unwrap();
        assert_eq!(&interim, b"HTTP/1.1 100 Continue\r\n\r\n");
        stream.write_all(b"abc").await.unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        assert!(
            answer.starts_with("HTTP/1.1 200") && answer.ends_with("POST /e 3"),
            "{answer}"
        );
    }
}
