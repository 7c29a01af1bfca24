//! Accepting connections with hyper's timers wired (a slow or silent client is closed after
//! the header-read timeout), and shutting down in bounded time: stop accepting, drain the
//! requests in flight up to the grace period, close WebSockets with 1001, then return
//! whatever half-open connections remain.
use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};

use axum::{Router, extract::ConnectInfo};
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::{conn::auto, graceful::GracefulShutdown},
    service::TowerToHyperService,
};
use tokio::net::TcpListener;
use tower::ServiceExt;

use crate::drain::Drain;

/// How long closing WebSockets get to send their close frame once the grace period allows.
const SOCKET_CLOSE_PATIENCE: Duration = Duration::from_secs(2);

/// What bounds a connection's life.
#[derive(Debug, Clone, Copy)]
pub struct ServeLimits {
    /// A request head (line and headers) must arrive within this; hyper also applies it to
    /// the wait for the next request on a kept-alive connection.
    pub header_read: Duration,
    /// How long shutdown waits for requests in flight.
    pub grace: Duration,
}

pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ServeLimits,
    drain: Drain,
    shutdown: impl Future<Output = ()> + Send,
) {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read);
    builder.http2().timer(TokioTimer::new());
    let graceful = GracefulShutdown::new();
    // One clone per connection task, to count what the grace period cut.
    let connections = Arc::new(());
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors and the like: pause rather than spin.
                    tracing::warn!(error = %err, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // No Nagle delay: a subscription event is a small frame that must leave at once,
        // not wait for the client's delayed ACK of the previous one (about 40 ms).
        if let Err(err) = tcp.set_nodelay(true) {
            tracing::debug!(error = %err, "cannot set TCP_NODELAY");
        }
        let service = router.clone().map_request(
            move |mut request: axum::http::Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(peer));
                request
            },
        );
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(tcp), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        let live = connections.clone();
        tokio::spawn(async move {
            let _live = live;
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    drain.begin();
    let started = tokio::time::Instant::now();
    let open = || Arc::strong_count(&connections) - 1;
    tracing::info!(
        connections = open(),
        websockets = drain.open_sockets(),
        grace_seconds = limits.grace.as_secs(),
        "no longer accepting; draining"
    );
    let drained = tokio::time::timeout(limits.grace, graceful.shutdown())
        .await
        .is_ok();
    // WebSockets were told to close with 1001 when draining began.
    let deadline = tokio::time::Instant::now() + SOCKET_CLOSE_PATIENCE;
    while drain.open_sockets() > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (connections_cut, websockets_cut) = (open(), drain.open_sockets());
    if drained && websockets_cut == 0 {
        tracing::info!(elapsed_ms = started.elapsed().as_millis(), "drained");
    } else {
        tracing::info!(
            elapsed_ms = started.elapsed().as_millis(),
            connections_cut,
            websockets_cut,
            "grace period over; cutting what remains"
        );
    }
}
