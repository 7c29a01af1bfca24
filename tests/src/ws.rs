//! A WebSocket GraphQL client speaking either graphql-transport-ws or legacy graphql-ws.
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream, connect_async,
    tungstenite::{Message, client::IntoClientRequest, http::HeaderValue},
};

use crate::TestApp;

/// How long a test waits for a message before it fails.
const PATIENCE: Duration = Duration::from_secs(10);

pub struct WsClient {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl WsClient {
    /// Opens `/graphql/ws` asking for `protocol` (`graphql-transport-ws` or `graphql-ws`).
    pub async fn connect(app: &TestApp, protocol: &str) -> Self {
        let (client, agreed) = Self::connect_offering(app, Some(protocol)).await;
        assert_eq!(
            agreed.as_deref(),
            Some(protocol),
            "the server must agree on the sub-protocol"
        );
        client
    }

    /// Opens `/graphql/ws` offering `protocol` (or none); returns the one the server named.
    pub async fn connect_offering(app: &TestApp, protocol: Option<&str>) -> (Self, Option<String>) {
        Self::connect_to(app.addr, protocol).await
    }

    /// The same on the server at `addr` (a child process, say).
    pub async fn connect_to(
        addr: std::net::SocketAddr,
        protocol: Option<&str>,
    ) -> (Self, Option<String>) {
        let mut request = format!("ws://{addr}/graphql/ws")
            .into_client_request()
            .expect("a WebSocket request");
        if let Some(protocol) = protocol {
            request.headers_mut().insert(
                "Sec-WebSocket-Protocol",
                HeaderValue::from_str(protocol).expect("a protocol header"),
            );
        }
        let (socket, response) = connect_async(request).await.expect("WebSocket handshake");
        let agreed = response
            .headers()
            .get("sec-websocket-protocol")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        (Self { socket }, agreed)
    }

    pub async fn send(&mut self, message: Value) {
        self.send_text(&message.to_string()).await;
    }

    /// Sends `text` as it is, JSON or not.
    pub async fn send_text(&mut self, text: &str) {
        self.socket
            .send(Message::Text(text.into()))
            .await
            .expect("send a WebSocket message");
    }

    /// Sends `messages` in one write, so the server reads them together, before it can
    /// act on the first (e.g. a `subscribe` and its `complete`).
    pub async fn send_together(&mut self, messages: &[Value]) {
        for message in messages {
            self.socket
                .feed(Message::Text(message.to_string().into()))
                .await
                .expect("queue a WebSocket message");
        }
        self.socket.flush().await.expect("send WebSocket messages");
    }

    /// Sends `connection_init` with `payload` and expects `connection_ack`.
    pub async fn initialise(&mut self, payload: Value) {
        self.send(json!({ "type": "connection_init", "payload": payload }))
            .await;
        assert_eq!(self.receive().await["type"], "connection_ack");
    }

    /// The next JSON message. Keep-alives (WebSocket pings, which tungstenite answers, and
    /// legacy `ka` messages) are skipped.
    pub async fn receive(&mut self) -> Value {
        loop {
            let frame = tokio::time::timeout(PATIENCE, self.socket.next())
                .await
                .expect("a WebSocket message in time")
                .expect("the socket is open")
                .expect("a readable frame");
            match frame {
                Message::Text(text) => {
                    let message: Value = serde_json::from_str(&text).expect("a JSON message");
                    if message != json!({ "type": "ka" }) {
                        return message;
                    }
                }
                Message::Close(frame) => panic!("closed while waiting for a message: {frame:?}"),
                _ => {}
            }
        }
    }

    /// Waits for the server to close the socket and returns the close code.
    pub async fn closed_with(&mut self) -> Option<u16> {
        self.close_frame().await.map(|(code, _)| code)
    }

    /// Waits for the server to close the socket and returns its code and reason. Messages
    /// before the close are skipped.
    pub async fn close_frame(&mut self) -> Option<(u16, String)> {
        loop {
            let frame = tokio::time::timeout(PATIENCE, self.socket.next())
                .await
                .expect("a close in time");
            match frame {
                None | Some(Err(_)) => return None,
                Some(Ok(Message::Close(frame))) => {
                    return frame.map(|f| (f.code.into(), f.reason.to_string()));
                }
                Some(Ok(_)) => {}
            }
        }
    }
}
