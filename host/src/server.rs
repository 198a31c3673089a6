//! The HTTP listener: a bounded number of open connections, one task each (see
//! [`crate::connection`]), and a graceful stop that lets in-flight requests finish.
//!
//! Connections beyond the cap wait in the kernel's accept queue until one closes; the timeouts
//! bound how long an idle or slow connection can keep its place.

use crate::app::App;
use crate::connection::{self, Handler, Timeouts};
use crate::intake::BodyLimits;
use anyhow::Result;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch, Semaphore};
use tokio::task::JoinHandle;

/// How long a graceful stop waits for in-flight requests before dropping them.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// The listener's limits; the defaults are `host up`'s.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// A request head must be complete within this of the connection being ready for it.
    pub header_read_timeout: Duration,
    /// An idle connection (no request started) is closed after this.
    pub keep_alive_timeout: Duration,
    /// A request body must be complete within this of its head.
    pub body_read_timeout: Duration,
    /// Larger request bodies are refused with 413 before they run.
    pub max_body_bytes: usize,
    /// Open connections at once; more wait to be accepted.
    pub max_connections: usize,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            keep_alive_timeout: Duration::from_secs(5),
            body_read_timeout: Duration::from_secs(10),
            max_body_bytes: 2 << 20,
            max_connections: 256,
        }
    }
}

/// A running server; [`Server::stop`] shuts it down gracefully.
pub struct Server {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl Server {
    /// Serves `app` on `listen` with the default limits.
    pub async fn start(app: Arc<App>, listen: SocketAddr) -> Result<Server> {
        Self::start_with(app, listen, &ServerOptions::default()).await
    }

    pub async fn start_with(
        app: Arc<App>,
        listen: SocketAddr,
        options: &ServerOptions,
    ) -> Result<Server> {
        let listener = TcpListener::bind(listen)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}"))?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(accept_loop(app, listener, options.clone(), stopped));
        Ok(Server {
            addr,
            stop: Some(stop),
            task,
        })
    }

    /// Stops accepting, then waits for in-flight requests (up to a bound).
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

async fn accept_loop(
    app: Arc<App>,
    listener: TcpListener,
    options: ServerOptions,
    mut stopped: oneshot::Receiver<()>,
) {
    let max_connections = options.max_connections.clamp(1, Semaphore::MAX_PERMITS) as u32;
    let slots = Arc::new(Semaphore::new(max_connections as usize));
    let (stopping, stop_signal) = watch::channel(false);
    let timeouts = Timeouts {
        header_read: options.header_read_timeout,
        keep_alive: options.keep_alive_timeout,
    };
    let limits = BodyLimits {
        max_bytes: options.max_body_bytes,
        deadline: options.body_read_timeout,
    };
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the slots are never closed"),
            _ = &mut stopped => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    // Running out of file descriptors must not end the server.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stopped => break,
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let handler: Handler = Arc::new(move |req| {
            let app = app.clone();
            Box::pin(async move { app.handle_external(req, peer).await })
        });
        let stop = stop_signal.clone();
        tokio::spawn(async move {
            connection::serve(stream, timeouts, limits, stop, handler).await;
            drop(slot);
        });
    }
    drop(listener);
    let _ = stopping.send(true);
    let drained = tokio::time::timeout(DRAIN_TIMEOUT, slots.acquire_many(max_connections));
    if drained.await.is_err() {
        tracing::warn!("some requests were still running after {DRAIN_TIMEOUT:?}; dropping them");
    }
}
