//! graphql-transport-ws, the protocol of the `graphql-ws` library
//! (<https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md>). Every violation
//! closes the socket with the 44xx code the spec names; the client library treats 1002 and
//! 1011 as fatal, which is why this is not async-graphql's implementation.
use async_graphql::{Executor, Response, ServerError};
use axum::extract::ws::Message;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{
    connection::{Connection, End, Event, Flow, Init, refusal},
    messages::{OperationPayload, close, refused_before_execution},
};

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientMessage {
    ConnectionInit {
        payload: Option<Map<String, Value>>,
    },
    Ping {
        payload: Option<Map<String, Value>>,
    },
    Pong {},
    Subscribe {
        id: String,
        payload: Box<OperationPayload>,
    },
    Complete {
        id: String,
    },
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ServerMessage<'a> {
    ConnectionAck,
    Pong {
        #[serde(skip_serializing_if = "Option::is_none")]
        payload: Option<Map<String, Value>>,
    },
    Next {
        id: &'a str,
        payload: &'a Response,
    },
    /// The operation was refused before it ran; no `complete` follows.
    Error {
        id: &'a str,
        payload: &'a [ServerError],
    },
    Complete {
        id: &'a str,
    },
}

pub(super) async fn on_message<E: Executor>(conn: &mut Connection<E>, text: &[u8]) -> Flow {
    let message: ClientMessage = serde_json::from_slice(text)
        .map_err(|err| End::close(close::BAD_REQUEST, format!("Invalid message: {err}")))?;
    match message {
        ClientMessage::ConnectionInit { payload } => {
            let payload = payload.map_or(Value::Null, Value::Object);
            match conn.initialise(payload).await {
                Init::Accepted => conn.send(&ServerMessage::ConnectionAck).await,
                Init::Refused(err) => {
                    let (code, reason) = refusal(&err);
                    Err(End::close(code, reason))
                }
                Init::Repeated => Err(End::close(
                    close::TOO_MANY_INITS,
                    "Too many initialisation requests",
                )),
            }
        }
        ClientMessage::Ping { payload } => conn.send(&ServerMessage::Pong { payload }).await,
        ClientMessage::Pong {} => Ok(()),
        ClientMessage::Subscribe { id, payload } => {
            let Some(session) = conn.session() else {
                return Err(End::close(close::UNAUTHORIZED, "Unauthorized"));
            };
            if id.is_empty() {
                return Err(End::close(
                    close::BAD_REQUEST,
                    "Invalid message: empty `id`",
                ));
            }
            if conn.is_running(&id) {
                let reason = format!("Subscriber for {id} already exists");
                return Err(End::close(close::SUBSCRIBER_EXISTS, reason));
            }
            if conn.is_full(&id) {
                let mut error = async_graphql::ServerError::new(conn.full_message(), None);
                let mut extensions = async_graphql::ErrorExtensionValues::default();
                extensions.set("code", schema::domain::ErrorCode::BadUserInput.as_str());
                error.extensions = Some(extensions);
                let payload = &vec![error];
                return conn.send(&ServerMessage::Error { id: &id, payload }).await;
            }
            conn.start(id, (*payload).into(), session);
            Ok(())
        }
        ClientMessage::Complete { id } => {
            conn.stop(&id);
            Ok(())
        }
    }
}

pub(super) async fn on_event<E: Executor>(
    conn: &mut Connection<E>,
    id: String,
    event: Event,
) -> Flow {
    match event {
        Event::Result(response) if refused_before_execution(&response) => {
            conn.stop(&id);
            let payload = &response.errors;
            conn.send(&ServerMessage::Error { id: &id, payload }).await
        }
        Event::Result(response) => {
            let payload = &*response;
            conn.send(&ServerMessage::Next { id: &id, payload }).await
        }
        Event::Done => {
            conn.stop(&id);
            conn.send(&ServerMessage::Complete { id: &id }).await
        }
    }
}

pub(super) fn on_init_timeout() -> End {
    End::close(close::INIT_TIMEOUT, "Connection initialisation timeout")
}

/// The protocol has no keep-alive message of its own: a WebSocket ping it is.
pub(super) async fn keep_alive<E: Executor>(conn: &mut Connection<E>) -> Flow {
    conn.send_frame(Message::Ping(Default::default())).await
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn parse(message: Value) -> Result<ClientMessage, serde_json::Error> {
        serde_json::from_value(message)
    }

    #[test]
    fn malformed_messages_say_what_is_wrong() {
        let unknown = parse(json!({ "type": "start", "id": "1" })).unwrap_err();
        assert!(
            unknown.to_string().contains("unknown variant `start`"),
            "{unknown}"
        );
        let no_id = parse(json!({ "type": "subscribe", "payload": { "query": "{ a }" } }));
        assert!(
            no_id
                .unwrap_err()
                .to_string()
                .contains("missing field `id`")
        );
        let bad_init = parse(json!({ "type": "connection_init", "payload": "token" }));
        assert!(bad_init.is_err());
        assert!(parse(json!({ "id": "1" })).is_err());
    }

    #[test]
    fn optional_payloads_may_be_absent_or_null() {
        assert!(matches!(
            parse(json!({ "type": "connection_init" })),
            Ok(ClientMessage::ConnectionInit { payload: None })
        ));
        assert!(matches!(
            parse(json!({ "type": "ping", "payload": null })),
            Ok(ClientMessage::Ping { payload: None })
        ));
        assert!(matches!(
            parse(json!({ "type": "pong", "payload": { "at": 1 } })),
            Ok(ClientMessage::Pong {})
        ));
    }

    #[test]
    fn server_messages_have_the_spec_shape() {
        let response = Response::new(async_graphql::Value::Null);
        let next = serde_json::to_value(ServerMessage::Next {
            id: "1",
            payload: &response,
        })
        .unwrap();
        assert_eq!(
            next,
            json!({ "type": "next", "id": "1", "payload": { "data": null } })
        );
        let pong = serde_json::to_value(ServerMessage::Pong { payload: None }).unwrap();
        assert_eq!(pong, json!({ "type": "pong" }));
    }
}
