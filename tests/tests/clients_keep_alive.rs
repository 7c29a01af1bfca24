//! The idle keep-alive bound is its own (`APP_IDLE_TIMEOUT_SECONDS`), apart from the
//! header-read timeout: a kept-alive connection left idle is closed after the idle bound
//! (not after the shorter header timeout), while a connection in use stays open.
use std::time::{Duration, Instant};

use tests::{Backend, ChildServer, Outbox, TestDatabase};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

/// Sends one GET and reads its whole response; `false` if the connection was closed.
async fn request(tcp: &mut TcpStream) -> bool {
    if tcp
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .is_err()
    {
        return false;
    }
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 1024];
    loop {
        let text = String::from_utf8_lossy(&buffer).to_string();
        if let Some(head_end) = text.find("\r\n\r\n") {
            let length: usize = text[..head_end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap())
                })
                .unwrap_or(0);
            if buffer.len() >= head_end + 4 + length {
                return text.starts_with("HTTP/1.1 200");
            }
        }
        match tokio::time::timeout(Duration::from_secs(5), tcp.read(&mut chunk)).await {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => return false,
            Ok(Ok(n)) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}

/// Whether the server closes `tcp` within `patience`.
async fn closed_within(tcp: &mut TcpStream, patience: Duration) -> bool {
    let mut sink = [0u8; 64];
    matches!(
        tokio::time::timeout(patience, tcp.read(&mut sink)).await,
        Ok(Ok(0) | Err(_))
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_kept_alive_connection_closes_after_the_idle_bound_and_one_in_use_does_not() {
    let database = TestDatabase::fresh(Backend::Sqlite).await;
    let env = [
        ("APP_HEADER_READ_TIMEOUT_SECONDS", "1"),
        ("APP_IDLE_TIMEOUT_SECONDS", "3"),
    ];
    let server = ChildServer::start(&database.url, Outbox::fresh(), &env).await;

    let mut idle = TcpStream::connect(server.addr).await.unwrap();
    assert!(request(&mut idle).await);
    let idle_since = Instant::now();

    // Meanwhile another connection sends a request every 700 ms for 5 s: each is answered.
    let busy_use = async {
        let mut busy = TcpStream::connect(server.addr).await.unwrap();
        let started = Instant::now();
        let mut answered = 0;
        while started.elapsed() < Duration::from_secs(5) {
            assert!(request(&mut busy).await, "a connection in use was closed");
            answered += 1;
            tokio::time::sleep(Duration::from_millis(700)).await;
        }
        answered
    };
    let idle_close = async {
        // Past the header timeout the idle connection is still open: that bound is not this one.
        let early = closed_within(&mut idle, Duration::from_millis(2000)).await;
        let closed = closed_within(&mut idle, Duration::from_secs(3)).await;
        (early, closed, idle_since.elapsed())
    };
    let (answered, (early, closed, after)) = tokio::join!(busy_use, idle_close);
    assert!(!early, "closed by the header-read timer");
    assert!(closed, "the idle connection is closed after the idle bound");
    assert!(
        after >= Duration::from_millis(2900) && after < Duration::from_millis(4500),
        "closed after {after:?}, the bound is 3 s"
    );
    assert!(answered >= 7, "{answered} requests on the busy connection");
    eprintln!(
        "idle keep-alive closed after {after:?}; the busy connection answered {answered} requests"
    );
}
