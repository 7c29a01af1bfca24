//! Focus fan-out: N WebSocket subscribers of one user, spread over two server processes on
//! one PostgreSQL, and one pause sent to the first; how long until each subscriber has it
//! (p50 / p99 / max over several pauses), for N = 10, 100, 1,000, and the servers' memory
//! (RSS) with 1,000 subscriptions open.
//!
//! ```sh
//! cargo bench -p server --bench focus_fanout      # PostgreSQL at BENCH_POSTGRES_URL,
//!                                                 # else postgres://postgres@127.0.0.1:5432/postgres
//! ```
//! It creates a scratch database and drops it afterwards. Latency is measured from just
//! before the pause request is sent to the moment each client task reads its event, so it
//! includes the mutation itself, the NOTIFY, both dispatchers and the client's own
//! scheduling of 1,000 sockets on the same machine.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use futures_util::{SinkExt, StreamExt, future::join_all};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_tungstenite::{
    connect_async,
    tungstenite::{Message, client::IntoClientRequest, http::HeaderValue},
};

const SECRET: &str = "focus-fanout-benchmark-secret-0123456789";
const EMAIL: &str = "bench@example.com";

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

impl Server {
    async fn start(database_url: &str, outbox: &Path) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_server"))
            .env("DATABASE_URL", database_url)
            .env("DATABASE_MAX_CONNECTIONS", "20")
            .env("APP_BIND", format!("127.0.0.1:{port}"))
            .env("JWT_SECRET", SECRET)
            .env("APP_OUTBOX_DIR", outbox)
            .env("APP_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("start the server binary");
        let server = Self {
            child,
            base: format!("127.0.0.1:{port}"),
        };
        let http = reqwest::Client::new();
        for _ in 0..300 {
            let ready = http
                .get(format!("http://{}/readyz", server.base))
                .send()
                .await;
            if ready.is_ok_and(|r| r.status().is_success()) {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the server on port {port} never became ready");
    }

    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_default()
    }

    async fn graphql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = reqwest::Client::new()
            .post(format!("http://{}/graphql", self.base))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let body: Value = request.send().await.unwrap().json().await.unwrap();
        assert!(body.get("errors").is_none(), "{body}");
        body["data"].clone()
    }
}

/// Signs the benchmark's user in through a mailed link and passes the gates.
async fn member(server: &Server, outbox: &Path) -> String {
    let link = "mutation($e: String!) { requestSignInLink(input: {email: $e}) { sent } }";
    server.graphql(None, link, json!({ "e": EMAIL })).await;
    let mail = std::fs::read_dir(outbox)
        .unwrap()
        .filter_map(Result::ok)
        .find_map(|e| std::fs::read_to_string(e.path()).ok())
        .expect("the sign-in mail");
    let token: String = mail
        .split("token=")
        .nth(1)
        .expect("a sign-in link")
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let signed = server
        .graphql(
            None,
            "mutation($t: String!) { signInWithLink(input: {token: $t}) { accessToken } }",
            json!({ "t": token }),
        )
        .await;
    let access = signed["signInWithLink"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let terms = server
        .graphql(None, "{ signUpRequirements { termsVersion } }", json!({}))
        .await;
    let accept = "mutation($v: String!) { acceptTerms(input: {version: $v}) { viewer { id } } }";
    let version = terms["signUpRequirements"]["termsVersion"].clone();
    server
        .graphql(Some(&access), accept, json!({ "v": version }))
        .await;
    let age = r#"mutation { confirmAge(input: {birthDate: "1990-01-01"}) { viewer { id } } }"#;
    server.graphql(Some(&access), age, json!({})).await;
    access
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A signed-in graphql-transport-ws socket subscribed to `focusSession(since: 0)`, past the
/// first message (the current session), so the subscription is surely registered.
async fn subscriber(server: &Server, token: &str) -> Socket {
    let mut request = format!("ws://{}/graphql/ws", server.base)
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    let (mut ws, _) = connect_async(request).await.expect("a WebSocket");
    let init = json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {token}") } });
    ws.send(Message::Text(init.to_string().into()))
        .await
        .unwrap();
    next_json(&mut ws).await;
    let query =
        "subscription { focusSession(since: 0) { id lastChange remainingSeconds version } }";
    let subscribe = json!({ "id": "1", "type": "subscribe", "payload": { "query": query } });
    ws.send(Message::Text(subscribe.to_string().into()))
        .await
        .unwrap();
    next_json(&mut ws).await;
    ws
}

async fn next_json(ws: &mut Socket) -> Value {
    loop {
        match ws.next().await.expect("open").expect("readable") {
            Message::Text(text) => return serde_json::from_str(&text).unwrap(),
            Message::Close(frame) => panic!("closed: {frame:?}"),
            _ => {}
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1_000.0)
}

async fn round(n: usize, pauses: usize, servers: &[Server; 2], token: &str) -> Vec<Duration> {
    let start = "mutation { startFocusSession(input: {mode: WORK, durationSeconds: 14400}) { session { id } } }";
    servers[0].graphql(Some(token), start, json!({})).await;
    let sockets = join_all((0..n).map(|i| subscriber(&servers[i % 2], token))).await;
    let (arrived, mut arrivals) = mpsc::unbounded_channel();
    let readers: Vec<_> = sockets
        .into_iter()
        .map(|mut ws| {
            let arrived = arrived.clone();
            tokio::spawn(async move {
                loop {
                    let message = next_json(&mut ws).await;
                    if message["type"] == "next" {
                        arrived.send(Instant::now()).ok();
                    }
                }
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(n * pauses);
    for i in 0..pauses {
        let verb = if i % 2 == 0 { "pause" } else { "resume" };
        let query = format!("mutation {{ {verb}FocusSession {{ session {{ version }} }} }}");
        let sent = Instant::now();
        servers[0].graphql(Some(token), &query, json!({})).await;
        for _ in 0..n {
            let at = tokio::time::timeout(Duration::from_secs(30), arrivals.recv())
                .await
                .expect("every subscriber hears the change")
                .expect("readers alive");
            latencies.push(at - sent);
        }
    }
    if n == 1_000 {
        let rss: Vec<_> = servers.iter().map(|s| s.rss_kib() / 1024).collect();
        println!(
            "RSS with {n} open subscriptions ({} per instance): {} MiB and {} MiB",
            n / 2,
            rss[0],
            rss[1]
        );
    }
    readers.iter().for_each(tokio::task::JoinHandle::abort);
    let abandon = "mutation { abandonFocusSession { session { id } } }";
    servers[0].graphql(Some(token), abandon, json!({})).await;
    latencies
}

#[tokio::main]
async fn main() {
    let admin = std::env::var("BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("focus_bench_{}", uuid::Uuid::new_v4().simple());
    let admin_db = Database::connect(&admin).await.expect("PostgreSQL");
    admin_db
        .execute_unprepared(&format!(r#"CREATE DATABASE "{name}""#))
        .await
        .unwrap();
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    let url = format!("{base}/{name}");
    let outbox: PathBuf = std::env::temp_dir().join(&name);
    std::fs::create_dir_all(&outbox).unwrap();
    {
        let first = Server::start(&url, &outbox).await;
        let second = Server::start(&url, &outbox).await;
        let servers = [first, second];
        let token = member(&servers[0], &outbox).await;
        println!(
            "idle RSS: {} MiB and {} MiB",
            servers[0].rss_kib() / 1024,
            servers[1].rss_kib() / 1024
        );
        println!("subscribers | pauses | samples | p50 | p99 | max");
        for (n, pauses) in [(10, 20), (100, 10), (1_000, 4)] {
            let mut latencies = round(n, pauses, &servers, &token).await;
            latencies.sort();
            println!(
                "{n:>11} | {pauses:>6} | {:>7} | {} | {} | {}",
                latencies.len(),
                ms(percentile(&latencies, 50.0)),
                ms(percentile(&latencies, 99.0)),
                ms(latencies[latencies.len() - 1])
            );
        }
    }
    std::fs::remove_dir_all(&outbox).ok();
    admin_db
        .execute_unprepared(&format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#))
        .await
        .ok();
}
