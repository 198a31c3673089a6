//! The HTTP listener: HTTP/1.1 with keep-alive, one task per connection, and a graceful stop
//! that lets in-flight requests finish.

use crate::app::App;
use crate::linger::Lingering;
use anyhow::Result;
use http_body_util::BodyExt;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How long a graceful stop waits for in-flight requests before dropping them.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// A running server; [`Server::stop`] shuts it down gracefully.
pub struct Server {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl Server {
    pub async fn start(app: Arc<App>, listen: SocketAddr) -> Result<Server> {
        let listener = TcpListener::bind(listen)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}"))?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(accept_loop(app, listener, stopped));
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

async fn accept_loop(app: Arc<App>, listener: TcpListener, mut stopped: oneshot::Receiver<()>) {
    let graceful = GracefulShutdown::new();
    let http = hyper::server::conn::http1::Builder::new();
    loop {
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
        let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
            let app = app.clone();
            async move {
                let req = req.map(|b| b.map_err(wasmtime_wasi_http::Error::from).boxed_unsync());
                Ok::<_, Infallible>(app.handle_external(req, peer).await)
            }
        });
        let conn = http.serve_connection(TokioIo::new(Lingering::new(stream)), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!("connection from {peer} ended: {e}");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("some requests were still running after {DRAIN_TIMEOUT:?}; dropping them");
    }
}
