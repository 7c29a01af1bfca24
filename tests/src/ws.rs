//! A WebSocket GraphQL client speaking either graphql-transport-ws or legacy graphql-ws.
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
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
        let mut request = format!("ws://{}/graphql/ws", app.addr)
            .into_client_request()
            .expect("a WebSocket request");
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_str(protocol).expect("a protocol header"),
        );
        let (socket, response) = connect_async(request).await.expect("WebSocket handshake");
        assert_eq!(
            response
                .headers()
                .get("sec-websocket-protocol")
                .and_then(|v| v.to_str().ok()),
            Some(protocol),
            "the server must agree on the sub-protocol"
        );
        Self { socket }
    }

    pub async fn send(&mut self, message: Value) {
        self.socket
            .send(Message::Text(message.to_string().into()))
            .await
            .expect("send a WebSocket message");
    }

    /// The next JSON message; pings are answered by tungstenite and skipped.
    pub async fn receive(&mut self) -> Value {
        loop {
            let frame = tokio::time::timeout(PATIENCE, self.socket.next())
                .await
                .expect("a WebSocket message in time")
                .expect("the socket is open")
                .expect("a readable frame");
            match frame {
                Message::Text(text) => {
                    return serde_json::from_str(&text).expect("a JSON message");
                }
                Message::Close(frame) => panic!("closed while waiting for a message: {frame:?}"),
                _ => {}
            }
        }
    }

    /// Waits for the server to close the socket and returns the close code.
    pub async fn closed_with(&mut self) -> Option<u16> {
        loop {
            let frame = tokio::time::timeout(PATIENCE, self.socket.next())
                .await
                .expect("a close in time");
            match frame {
                None | Some(Err(_)) => return None,
                Some(Ok(Message::Close(frame))) => return frame.map(|f| f.code.into()),
                Some(Ok(_)) => {}
            }
        }
    }
}
