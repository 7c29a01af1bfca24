//! Slow and silent clients against the real server binary: half-sent request heads and
//! bodies are closed after the configured timeouts while other clients are served at once,
//! and SIGTERM finishes within the grace period however many of them are connected, with
//! open subscriptions closed 1001 Going Away.
use std::time::{Duration, Instant};

use serde_json::json;
use tests::{Backend, ChildServer, Outbox, TestDatabase, WsClient};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

/// Opens `heads` connections that send half a request head and `bodies` that send a whole
/// head but half the body they announce.
async fn slow_clients(server: &ChildServer, heads: usize, bodies: usize) -> Vec<TcpStream> {
    let mut sockets = Vec::new();
    for n in 0..heads + bodies {
        let mut tcp = TcpStream::connect(server.addr).await.unwrap();
        let partial = if n < heads {
            "POST /graphql HTTP/1.1\r\nHost: x\r\n".to_owned()
        } else {
            "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"query\":".to_owned()
        };
        tcp.write_all(partial.as_bytes()).await.unwrap();
        sockets.push(tcp);
    }
    sockets
}

/// Whether the server has closed `tcp` within `patience` (anything it sent first, such as
/// a 408, is read and skipped).
async fn closed_within(tcp: &mut TcpStream, patience: Duration) -> bool {
    let mut sink = Vec::new();
    tokio::time::timeout(patience, tcp.read_to_end(&mut sink))
        .await
        .is_ok()
}

async fn served_promptly(server: &ChildServer) -> Duration {
    let started = Instant::now();
    let response = server.graphql_as(None, "{ __typename }", json!({})).await;
    response.assert_ok();
    started.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_requests_are_closed_after_the_timeouts_and_others_are_served_meanwhile() {
    let database = TestDatabase::fresh(Backend::Sqlite).await;
    let env = [
        ("APP_HEADER_READ_TIMEOUT_SECONDS", "2"),
        ("APP_BODY_READ_TIMEOUT_SECONDS", "3"),
    ];
    let server = ChildServer::start(&database.url, Outbox::fresh(), &env).await;
    let started = Instant::now();
    let mut sockets = slow_clients(&server, 150, 50).await;
    let elapsed = served_promptly(&server).await;
    assert!(
        elapsed < Duration::from_secs(1),
        "served in {elapsed:?} beside 200 slow clients"
    );
    let mut closed = 0;
    for tcp in &mut sockets {
        let left = Duration::from_secs(6).saturating_sub(started.elapsed());
        if closed_within(tcp, left).await {
            closed += 1;
        }
    }
    assert_eq!(
        closed, 200,
        "every slow client is closed within its timeout (+ slack)"
    );
    let total = started.elapsed();
    assert!(
        total >= Duration::from_secs(2),
        "not before the header timeout: {total:?}"
    );
    served_promptly(&server).await;
    eprintln!("200 slow clients closed after {total:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_within_the_grace_period_with_slow_clients_and_subscriptions_open() {
    let database = TestDatabase::fresh(Backend::Sqlite).await;
    let env = [
        // Longer than the grace period: only shutdown can end these clients in time.
        ("APP_HEADER_READ_TIMEOUT_SECONDS", "60"),
        ("APP_BODY_READ_TIMEOUT_SECONDS", "60"),
        ("APP_SHUTDOWN_GRACE_SECONDS", "2"),
    ];
    let mut server = ChildServer::start(&database.url, Outbox::fresh(), &env).await;
    let member = server.member("subscriber@example.com").await;
    let mut subscribers = Vec::new();
    for n in 0..3 {
        let (mut ws, _) = WsClient::connect_to(server.addr, Some("graphql-transport-ws")).await;
        ws.initialise(json!({ "authorization": format!("Bearer {}", member.access_token) }))
            .await;
        ws.send(json!({ "id": format!("s{n}"), "type": "subscribe", "payload": { "query": "subscription { focusSession { id } }" } }))
            .await;
        subscribers.push(ws);
    }
    let _slow = slow_clients(&server, 20, 10).await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    let signalled = Instant::now();
    server.signal("TERM").await;
    for ws in &mut subscribers {
        let close = ws.close_frame().await;
        assert_eq!(
            close.map(|(code, _)| code),
            Some(1001),
            "subscriptions close Going Away"
        );
    }
    let exit = server.wait_exit(Duration::from_secs(8)).await;
    let took = signalled.elapsed();
    let exit = exit.unwrap_or_else(|| {
        panic!(
            "still running {took:?} after SIGTERM; logs:\n{}",
            server.logs()
        )
    });
    assert!(exit.success(), "a clean exit: {exit:?}");
    assert!(
        took < Duration::from_secs(6),
        "exits within the grace period (+ slack): {took:?}"
    );
    let logs = server.logs();
    assert!(logs.contains("no longer accepting; draining"), "{logs}");
    assert!(
        logs.contains("grace period over; cutting what remains"),
        "what was cut is logged: {logs}"
    );
    eprintln!("SIGTERM to exit with 30 slow clients and 3 subscriptions: {took:?}");
}
