//! The connection as hyper sees it: closes idle keep-alive connections, and holds back the bare
//! error answers hyper writes on its own so the server can answer in JSON instead.
//!
//! hyper answers a request head it cannot parse itself (400, 414 or 431, empty body) and gives
//! the service no say. Those answers are the only bytes hyper writes while no request is being
//! served, which the connection can tell from two counters its requests keep ([`Exchange`]):
//! one when a request reaches the service, one when hyper drops that request's response body.
//! hyper drops the body once the last of it is buffered, and goes back to reading heads only
//! after flushing the buffer. So once the counters agree and a flush has completed, every byte of
//! every answer is out, and whatever hyper writes next is its own error answer.

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

/// Requests handed to the service and responses hyper has finished with, on one connection.
#[derive(Default)]
pub struct Exchange {
    dispatched: AtomicU64,
    finished: AtomicU64,
}

impl Exchange {
    /// Called when a request reaches the service.
    pub fn dispatched(&self) {
        self.dispatched.fetch_add(1, Ordering::SeqCst);
    }

    /// The response body to give hyper: counts the response finished when hyper drops it.
    pub fn track<B>(self: &Arc<Self>, body: B) -> Tracked<B> {
        Tracked {
            inner: body,
            exchange: self.clone(),
        }
    }

    /// `Some(n)` when every request so far (`n`) has its response body dropped by hyper.
    fn settled(&self) -> Option<u64> {
        let finished = self.finished.load(Ordering::SeqCst);
        (self.dispatched.load(Ordering::SeqCst) == finished).then_some(finished)
    }
}

/// A response body that tells its [`Exchange`] when hyper is done with it.
pub struct Tracked<B> {
    inner: B,
    exchange: Arc<Exchange>,
}

impl<B> Drop for Tracked<B> {
    fn drop(&mut self) {
        self.exchange.finished.fetch_add(1, Ordering::SeqCst);
    }
}

impl<B: Body<Data = Bytes> + Unpin> Body for Tracked<B> {
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

pub struct EdgeIo<S> {
    inner: S,
    exchange: Arc<Exchange>,
    /// The answers fully flushed so far, when no request is being served.
    flushed: Option<u64>,
    keep_alive: Duration,
    /// Running while the connection waits for the first byte of a request head.
    idle: Option<Pin<Box<Sleep>>>,
    /// The status of the error answer hyper wrote, held back.
    held_back: Option<u16>,
    /// Whether the connection ended because it stayed idle.
    idled_out: bool,
}

impl<S> EdgeIo<S> {
    pub fn new(inner: S, exchange: Arc<Exchange>, keep_alive: Duration) -> Self {
        Self {
            inner,
            exchange,
            flushed: Some(0),
            keep_alive,
            idle: Some(Box::pin(tokio::time::sleep(keep_alive))),
            held_back: None,
            idled_out: false,
        }
    }

    /// The status of hyper's own error answer, if it wrote one (which the client did not get).
    pub fn held_back(&self) -> Option<u16> {
        self.held_back
    }

    /// Whether the keep-alive timeout ended the connection (hyper was told the client left).
    pub fn idled_out(&self) -> bool {
        self.idled_out
    }

    pub fn into_inner(self) -> S {
        self.inner
    }

    /// Whether hyper is writing its own answer (see the module comment); if so, remembers it.
    fn hold_back(&mut self, first_bytes: &[u8]) -> bool {
        if self.held_back.is_none() {
            match self.exchange.settled() {
                Some(n) if self.flushed == Some(n) => {
                    self.held_back = Some(status_of(first_bytes).unwrap_or(400));
                }
                _ => return false,
            }
        }
        true
    }
}

/// `HTTP/1.1 431 Request Header Fields Too Large` → 431.
fn status_of(head: &[u8]) -> Option<u16> {
    std::str::from_utf8(head.get(9..12)?).ok()?.parse().ok()
}

impl<S: AsyncRead + Unpin> AsyncRead for EdgeIo<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(result) => {
                if buf.filled().len() > before {
                    this.idle = None;
                }
                Poll::Ready(result)
            }
            Poll::Pending => {
                let timed_out = this
                    .idle
                    .as_mut()
                    .is_some_and(|idle| idle.as_mut().poll(cx).is_ready());
                if timed_out {
                    // Nothing came in time: end of stream, which hyper takes as the client leaving.
                    this.idled_out = true;
                    Poll::Ready(Ok(()))
                } else {
                    Poll::Pending
                }
            }
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for EdgeIo<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.hold_back(buf) {
            return Poll::Ready(Ok(buf.len()));
        }
        self.flushed = None;
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let first = bufs.iter().find(|b| !b.is_empty()).map_or(&[][..], |b| b);
        if self.hold_back(first) {
            return Poll::Ready(Ok(bufs.iter().map(|b| b.len()).sum()));
        }
        self.flushed = None;
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        std::task::ready!(Pin::new(&mut this.inner).poll_flush(cx))?;
        let settled = this.exchange.settled();
        if settled.is_some() && this.flushed != settled {
            // The last answer is out: the connection is idle until the next head starts.
            this.flushed = settled;
            this.idle = Some(Box::pin(tokio::time::sleep_until(
                Instant::now() + this.keep_alive,
            )));
        }
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
