//! One client connection: HTTP/1.1 with keep-alive, its timeouts, its body intake, and JSON for
//! the errors the HTTP layer raises itself.
//!
//! Timeouts: a request head must be complete within the header-read timeout of the connection
//! being ready for it (hyper's timer); an idle connection closes after the keep-alive timeout
//! ([`EdgeIo`]); a body must be complete within the body-read timeout ([`intake`]). A head that
//! hyper refuses (malformed, too large) or that times out half-sent is answered here, in the
//! product's JSON error shape, once hyper has given the connection back.
//!
//! Every request gets its [`RequestId`] here, before its body is read, so that a refusal is
//! logged and answered with one too; the handler finds it in the request's extensions.

use crate::edge_io::{EdgeIo, Exchange, Tracked};
use crate::intake::{self, BodyLimits};
use crate::linger::Lingering;
use crate::logs;
use crate::request_id::RequestId;
use crate::Body;
use http::{Request, Response};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use spin_kit::errors::Code;
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
                let id = RequestId::at_edge(req.headers());
                let mut response = match intake::read_body(req, limits).await {
                    Ok(mut req) => {
                        req.extensions_mut().insert(id.clone());
                        handler(req).await
                    }
                    Err(refusal) => {
                        let status = refusal.status().as_u16();
                        logs::refused_request(&method, &path, status, started, &id);
                        refusal
                    }
                };
                // Whatever answered, host or component, the client gets the id its log
                // lines carry.
                id.set_on(response.headers_mut());
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
            Code::RequestTimeout,
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
    let (code, message) = match status {
        431 => (
            Code::HeadersTooLarge,
            "the request headers are too large or too many",
        ),
        414 => (Code::UriTooLong, "the request target is too long"),
        _ => (
            Code::BadRequest,
            "the request line or a header is malformed",
        ),
    };
    raw_json_error(code, message)
}

/// A complete HTTP/1.1 answer that closes the connection, for when hyper no longer can send one.
fn raw_json_error(code: Code, message: &str) -> Vec<u8> {
    let status = crate::status_of(code);
    // A head never read whole has no client id to keep: always a fresh one.
    let id = RequestId::generate();
    logs::refused_head(status.as_u16(), code.as_str(), &id);
    let body = crate::error_json(code, message);
    format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{}: {id}\r\nconnection: close\r\n\r\n{body}",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        body.len(),
        crate::request_id::HEADER,
    )
    .into_bytes()
}

#[cfg(test)]
mod tests;
