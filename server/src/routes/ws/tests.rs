//! The protocol layer over a real socket, with a schema of its own: the app's has no
//! subscription yet, and these need streams that last (to cancel them) and a connection
//! closed from outside.
use std::{net::SocketAddr, sync::Arc, time::Duration};

use async_graphql::{Context, Data, EmptyMutation, Object, Schema, Subscription};
use axum::{Router, extract::WebSocketUpgrade, routing::get};
use futures_util::{SinkExt, Stream, StreamExt, stream};
use schema::domain::{AppError, AppResult};
use serde_json::{Value, json};
use tokio::{
    net::{TcpListener, TcpStream},
    sync::{Notify, mpsc},
};
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream, connect_async,
    tungstenite::{Message, client::IntoClientRequest, http::HeaderValue},
};

use super::{Accepted, Protocol, WsConfig, negotiate, serve};

const PATIENCE: Duration = Duration::from_secs(5);

/// What the `forever` subscription reports: its stream began, or was dropped.
#[derive(Debug, PartialEq, Eq)]
enum Lifecycle {
    Started,
    Cancelled,
}

struct Query;

#[Object]
impl Query {
    async fn hello(&self) -> &str {
        "world"
    }
}

struct Subscription;

#[Subscription]
impl Subscription {
    /// `0 … to - 1`, then the end.
    async fn count(&self, to: i32) -> impl Stream<Item = i32> {
        stream::iter(0..to)
    }

    /// Never yields and never ends; reports when it starts and when it is dropped.
    async fn forever(&self, ctx: &Context<'_>) -> impl Stream<Item = i32> + use<> {
        let lifecycle = ctx.data_unchecked::<mpsc::UnboundedSender<Lifecycle>>();
        lifecycle.send(Lifecycle::Started).ok();
        let guard = Guard(lifecycle.clone());
        stream::pending().map(move |n: i32| {
            let _alive = &guard;
            n
        })
    }
}

struct Guard(mpsc::UnboundedSender<Lifecycle>);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.send(Lifecycle::Cancelled).ok();
    }
}

/// How the test server judges `connection_init`: anonymous, refused, or closable.
#[derive(Clone)]
enum Judge {
    Accept,
    AcceptUntil(Arc<Notify>),
    Refuse,
    Fail,
}

impl Judge {
    fn judge(&self) -> AppResult<Accepted> {
        match self {
            Self::Accept => Ok(Accepted::new(Data::default())),
            Self::AcceptUntil(revoked) => {
                let revoked = revoked.clone();
                Ok(Accepted::new(Data::default()).until(async move { revoked.notified().await }))
            }
            Self::Refuse => Err(AppError::unauthenticated(
                schema::domain::Reason::InvalidToken,
                "the access token is invalid or expired",
            )),
            Self::Fail => Err(AppError::internal(std::io::Error::other(
                "the database is down",
            ))),
        }
    }
}

struct TestServer {
    addr: SocketAddr,
    lifecycle: mpsc::UnboundedReceiver<Lifecycle>,
}

impl TestServer {
    async fn spawn(judge: Judge) -> Self {
        Self::spawn_with(judge, WsConfig::default()).await
    }

    async fn spawn_with(judge: Judge, config: WsConfig) -> Self {
        let (report, lifecycle) = mpsc::unbounded_channel();
        let schema = Schema::build(Query, EmptyMutation, Subscription)
            .data(report)
            .finish();
        let route = move |upgrade: WebSocketUpgrade| {
            let (schema, judge) = (schema.clone(), judge.clone());
            async move {
                let (upgrade, protocol) = negotiate(upgrade);
                upgrade.on_upgrade(move |socket| {
                    let init = move |_payload| async move { judge.judge() };
                    serve(socket, schema, protocol, config, init)
                })
            }
        };
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new().route("/ws", get(route));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { addr, lifecycle }
    }

    async fn next_lifecycle(&mut self) -> Lifecycle {
        tokio::time::timeout(PATIENCE, self.lifecycle.recv())
            .await
            .expect("a lifecycle report in time")
            .expect("the schema is alive")
    }

    async fn connect(&self, protocol: Protocol) -> Client {
        let mut request = format!("ws://{}/ws", self.addr)
            .into_client_request()
            .unwrap();
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_static(protocol.name()),
        );
        let (socket, _) = connect_async(request).await.unwrap();
        Client { socket }
    }
}

struct Client {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Client {
    async fn send(&mut self, message: Value) {
        self.socket
            .send(Message::Text(message.to_string().into()))
            .await
            .unwrap();
    }

    /// The next frame that is not a pong.
    async fn frame(&mut self) -> Message {
        loop {
            let frame = tokio::time::timeout(PATIENCE, self.socket.next())
                .await
                .expect("a frame in time")
                .expect("the socket is open")
                .expect("a readable frame");
            if !matches!(frame, Message::Pong(_)) {
                return frame;
            }
        }
    }

    /// The next JSON message, skipping pings.
    async fn receive(&mut self) -> Value {
        loop {
            match self.frame().await {
                Message::Text(text) => return serde_json::from_str(&text).unwrap(),
                Message::Ping(_) => {}
                other => panic!("expected a message, got {other:?}"),
            }
        }
    }

    async fn closed_with(&mut self) -> (u16, String) {
        loop {
            match self.frame().await {
                Message::Close(Some(frame)) => {
                    return (frame.code.into(), frame.reason.to_string());
                }
                Message::Close(None) => panic!("closed without a code"),
                _ => {}
            }
        }
    }

    async fn initialise(&mut self) {
        self.send(json!({ "type": "connection_init" })).await;
        assert_eq!(self.receive().await["type"], "connection_ack");
    }
}

const FOREVER: &str = "subscription { forever }";

fn subscribe(id: &str, query: &str) -> Value {
    json!({ "id": id, "type": "subscribe", "payload": { "query": query } })
}

#[tokio::test]
async fn a_subscription_streams_its_results_then_completes() {
    let server = TestServer::spawn(Judge::Accept).await;
    let mut ws = server.connect(Protocol::TransportWs).await;
    ws.initialise().await;
    ws.send(subscribe("s", "subscription { count(to: 3) }"))
        .await;
    for n in 0..3 {
        let next = ws.receive().await;
        assert_eq!(next["type"], "next");
        assert_eq!(next["payload"]["data"]["count"], n);
    }
    assert_eq!(ws.receive().await, json!({ "id": "s", "type": "complete" }));
    ws.send(subscribe("s", "{ hello }")).await;
    assert_eq!(ws.receive().await["payload"]["data"]["hello"], "world");
}

#[tokio::test]
async fn a_client_complete_cancels_the_subscription() {
    let mut server = TestServer::spawn(Judge::Accept).await;
    let mut ws = server.connect(Protocol::TransportWs).await;
    ws.initialise().await;
    ws.send(subscribe("1", FOREVER)).await;
    assert_eq!(server.next_lifecycle().await, Lifecycle::Started);
    ws.send(json!({ "id": "1", "type": "complete" })).await;
    assert_eq!(server.next_lifecycle().await, Lifecycle::Cancelled);
    ws.send(json!({ "type": "ping" })).await;
    assert_eq!(
        ws.receive().await,
        json!({ "type": "pong" }),
        "nothing else was sent"
    );
}

#[tokio::test]
async fn closing_the_socket_cancels_its_operations() {
    let mut server = TestServer::spawn(Judge::Accept).await;
    let mut ws = server.connect(Protocol::TransportWs).await;
    ws.initialise().await;
    ws.send(subscribe("1", FOREVER)).await;
    ws.send(subscribe("2", FOREVER)).await;
    assert_eq!(server.next_lifecycle().await, Lifecycle::Started);
    assert_eq!(server.next_lifecycle().await, Lifecycle::Started);
    drop(ws);
    assert_eq!(server.next_lifecycle().await, Lifecycle::Cancelled);
    assert_eq!(server.next_lifecycle().await, Lifecycle::Cancelled);
}

#[tokio::test]
async fn a_running_subscription_id_cannot_be_reused() {
    let mut server = TestServer::spawn(Judge::Accept).await;
    let mut ws = server.connect(Protocol::TransportWs).await;
    ws.initialise().await;
    ws.send(subscribe("dup", FOREVER)).await;
    assert_eq!(server.next_lifecycle().await, Lifecycle::Started);
    ws.send(subscribe("dup", "{ hello }")).await;
    let closed = ws.closed_with().await;
    assert_eq!(closed, (4409, "Subscriber for dup already exists".into()));
    assert_eq!(server.next_lifecycle().await, Lifecycle::Cancelled);
}

#[tokio::test]
async fn the_server_closes_an_initialised_socket_from_outside_with_4403() {
    let revoked = Arc::new(Notify::new());
    let mut server = TestServer::spawn(Judge::AcceptUntil(revoked.clone())).await;
    for protocol in Protocol::ALL {
        let mut ws = server.connect(protocol).await;
        ws.initialise().await;
        let start = match protocol {
            Protocol::TransportWs => subscribe("1", FOREVER),
            Protocol::Legacy => {
                json!({ "id": "1", "type": "start", "payload": { "query": FOREVER } })
            }
        };
        ws.send(start).await;
        assert_eq!(server.next_lifecycle().await, Lifecycle::Started);
        revoked.notify_one();
        assert_eq!(ws.closed_with().await, (4403, "Forbidden".into()));
        assert_eq!(server.next_lifecycle().await, Lifecycle::Cancelled);
    }
}

#[tokio::test]
async fn a_refused_init_closes_4403_and_an_internal_failure_1013_without_its_cause() {
    let server = TestServer::spawn(Judge::Refuse).await;
    let mut ws = server.connect(Protocol::TransportWs).await;
    ws.send(json!({ "type": "connection_init", "payload": { "authorization": "Bearer x" } }))
        .await;
    let (code, reason) = ws.closed_with().await;
    assert_eq!(code, 4403);
    assert_eq!(reason, "Forbidden: the access token is invalid or expired");

    let server = TestServer::spawn(Judge::Fail).await;
    let mut ws = server.connect(Protocol::TransportWs).await;
    ws.send(json!({ "type": "connection_init" })).await;
    assert_eq!(ws.closed_with().await, (1013, "Internal error".into()));
}

#[tokio::test]
async fn legacy_stop_cancels_and_completes_the_operation() {
    let mut server = TestServer::spawn(Judge::Accept).await;
    let mut ws = server.connect(Protocol::Legacy).await;
    ws.initialise().await;
    assert_eq!(ws.receive().await, json!({ "type": "ka" }));
    ws.send(json!({ "id": "9", "type": "start", "payload": { "query": FOREVER } }))
        .await;
    assert_eq!(server.next_lifecycle().await, Lifecycle::Started);
    ws.send(json!({ "id": "9", "type": "stop" })).await;
    assert_eq!(ws.receive().await, json!({ "id": "9", "type": "complete" }));
    assert_eq!(server.next_lifecycle().await, Lifecycle::Cancelled);
}

#[tokio::test]
async fn legacy_init_timeout_says_why_then_closes_4408() {
    let config = WsConfig {
        init_timeout: Duration::from_millis(100),
        ..WsConfig::default()
    };
    let server = TestServer::spawn_with(Judge::Accept, config).await;
    let mut ws = server.connect(Protocol::Legacy).await;
    let error = ws.receive().await;
    assert_eq!(error["type"], "connection_error");
    assert_eq!(
        error["payload"]["message"],
        "Connection initialisation timeout"
    );
    assert_eq!(ws.closed_with().await.0, 4408);
}

#[tokio::test]
async fn keep_alives_are_pings_or_ka_messages() {
    let config = WsConfig {
        keep_alive: Duration::from_millis(50),
        ..WsConfig::default()
    };
    let server = TestServer::spawn_with(Judge::Accept, config).await;
    let mut ws = server.connect(Protocol::TransportWs).await;
    ws.initialise().await;
    assert!(matches!(ws.frame().await, Message::Ping(_)));

    let mut ws = server.connect(Protocol::Legacy).await;
    ws.initialise().await;
    for _ in 0..3 {
        assert_eq!(ws.receive().await, json!({ "type": "ka" }));
    }
}

#[test]
fn the_protocol_is_the_one_agreed_or_graphql_transport_ws() {
    assert_eq!(Protocol::chosen(Some("graphql-ws")), Protocol::Legacy);
    assert_eq!(
        Protocol::chosen(Some("graphql-transport-ws")),
        Protocol::TransportWs
    );
    assert_eq!(Protocol::chosen(None), Protocol::TransportWs);
}
