//! Accepting connections with their bounds wired (`connection`: a slow or silent client is
//! closed after the header-read timeout, an idle kept-alive one after the idle timeout),
//! and shutting down in bounded time: stop accepting, drain the
//! requests in flight up to the grace period, close WebSockets with 1001, then return
//! whatever half-open connections remain.
use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};

use axum::{Router, extract::ConnectInfo};
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::conn::auto,
    service::TowerToHyperService,
};
use tokio::{net::TcpListener, sync::watch};
use tower::ServiceExt;

use crate::{
    connection::{Activity, Expiry, Watched},
    drain::Drain,
};

/// How long closing WebSockets get to send their close frame once the grace period allows.
const SOCKET_CLOSE_PATIENCE: Duration = Duration::from_secs(2);

/// What bounds a connection's life.
#[derive(Debug, Clone, Copy)]
pub struct ServeLimits {
    /// A request head (line and headers) must arrive within this once its first byte has
    /// (on a new connection: from accept).
    pub header_read: Duration,
    /// A kept-alive connection with no request in flight is closed after this.
    pub idle: Duration,
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
    // The header-read and idle bounds are `connection::Activity`'s: hyper's own header
    // timer also runs while a kept-alive connection waits, so it is off.
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(None);
    builder.http2().timer(TokioTimer::new());
    let (stop, stopping) = watch::channel(false);
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
        let activity = Activity::default();
        let service = {
            let (router, activity) = (router.clone(), activity.clone());
            tower::service_fn(
                move |mut request: axum::http::Request<hyper::body::Incoming>| {
                    request
                        .extensions_mut()
                        .insert(ConnectInfo::<SocketAddr>(peer));
                    let in_flight = activity.request_started();
                    let response = router.clone().oneshot(request);
                    async move {
                        let response = response.await;
                        drop(in_flight);
                        response
                    }
                },
            )
        };
        let io = TokioIo::new(Watched::new(tcp, activity.clone()));
        let connection = builder
            .serve_connection_with_upgrades(io, TowerToHyperService::new(service))
            .into_owned();
        let live = connections.clone();
        let mut stopping = stopping.clone();
        tokio::spawn(async move {
            let _live = live;
            tokio::pin!(connection);
            let expired = activity.expired(limits.header_read, limits.idle);
            tokio::pin!(expired);
            let mut closing = false;
            loop {
                tokio::select! {
                    ended = connection.as_mut() => {
                        if let Err(err) = ended {
                            tracing::debug!(error = %err, %peer, "connection ended with an error");
                        }
                        break;
                    }
                    expiry = &mut expired, if !closing => match expiry {
                        Expiry::Head => {
                            tracing::debug!(%peer, "request head not received in time; closing");
                            break;
                        }
                        Expiry::Idle => {
                            connection.as_mut().graceful_shutdown();
                            closing = true;
                        }
                    },
                    _ = stopping.wait_for(|stop| *stop), if !closing => {
                        connection.as_mut().graceful_shutdown();
                        closing = true;
                    }
                }
            }
        });
    }
    drop(listener);
    drain.begin();
    stop.send_replace(true);
    let started = tokio::time::Instant::now();
    let open = || Arc::strong_count(&connections) - 1;
    tracing::info!(
        connections = open(),
        websockets = drain.open_sockets(),
        grace_seconds = limits.grace.as_secs(),
        "no longer accepting; draining"
    );
    let deadline = started + limits.grace;
    while open() > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let drained = open() == 0;
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
