//! Legacy graphql-ws, the subscriptions-transport-ws protocol of Apollo's old client
//! (<https://github.com/apollographql/subscriptions-transport-ws/blob/master/PROTOCOL.md>).
//! It has no close codes of its own: a malformed message gets an `error` message and the
//! socket stays open; a failed `connection_init` gets `connection_error`, then the socket
//! closes with the graphql-transport-ws code for the same case.
use async_graphql::{Executor, Response};
use serde::{Deserialize, Serialize};

use super::{
    connection::{Connection, End, Event, Flow, Init, refusal},
    messages::{OperationPayload, close},
};

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientMessage {
    ConnectionInit {
        payload: Option<serde_json::Value>,
    },
    Start {
        id: String,
        payload: Box<OperationPayload>,
    },
    Stop {
        id: String,
    },
    ConnectionTerminate,
}

/// Just the `id` of a message that is otherwise malformed, to address the `error` to it.
#[derive(Deserialize)]
struct Addressed {
    id: Option<String>,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ServerMessage<'a> {
    ConnectionAck,
    ConnectionError {
        payload: Problem<'a>,
    },
    #[serde(rename = "ka")]
    KeepAlive,
    /// Each result, also one whose operation was refused before it ran.
    Data {
        id: &'a str,
        payload: &'a Response,
    },
    Error {
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<&'a str>,
        payload: Problem<'a>,
    },
    Complete {
        id: &'a str,
    },
}

#[derive(Serialize)]
struct Problem<'a> {
    message: &'a str,
}

pub(super) async fn on_message<E: Executor>(conn: &mut Connection<E>, text: &[u8]) -> Flow {
    let message = match serde_json::from_slice::<ClientMessage>(text) {
        Ok(message) => message,
        Err(err) => {
            let id = serde_json::from_slice::<Addressed>(text)
                .ok()
                .and_then(|m| m.id);
            let message = format!("Invalid message: {err}");
            return send_error(conn, id.as_deref(), &message).await;
        }
    };
    match message {
        ClientMessage::ConnectionInit { payload } => {
            match conn.initialise(payload.unwrap_or_default()).await {
                Init::Accepted => {
                    conn.send(&ServerMessage::ConnectionAck).await?;
                    conn.send(&ServerMessage::KeepAlive).await
                }
                Init::Refused(err) => {
                    let (code, reason) = refusal(&err);
                    Err(connection_error(conn, code, reason).await)
                }
                Init::Repeated => {
                    let reason = "Too many initialisation requests";
                    Err(connection_error(conn, close::TOO_MANY_INITS, reason.into()).await)
                }
            }
        }
        ClientMessage::Start { id, payload } => {
            let Some(session) = conn.session() else {
                let message = "send connection_init and wait for connection_ack first";
                return send_error(conn, Some(&id), message).await;
            };
            if conn.is_full(&id) {
                let message = conn.full_message();
                return send_error(conn, Some(&id), &message).await;
            }
            // As the original server did, a `start` reusing a running id replaces it.
            conn.start(id, (*payload).into(), session);
            Ok(())
        }
        ClientMessage::Stop { id } => {
            if conn.stop(&id) {
                conn.send(&ServerMessage::Complete { id: &id }).await?;
            }
            Ok(())
        }
        ClientMessage::ConnectionTerminate => Err(End::close(close::NORMAL, "")),
    }
}

pub(super) async fn on_event<E: Executor>(
    conn: &mut Connection<E>,
    id: String,
    event: Event,
) -> Flow {
    match event {
        Event::Result(response) => {
            let payload = &*response;
            conn.send(&ServerMessage::Data { id: &id, payload }).await
        }
        Event::Done => {
            conn.stop(&id);
            conn.send(&ServerMessage::Complete { id: &id }).await
        }
    }
}

pub(super) async fn on_init_timeout<E: Executor>(conn: &mut Connection<E>) -> End {
    let reason = "Connection initialisation timeout";
    connection_error(conn, close::INIT_TIMEOUT, reason.into()).await
}

/// `ka` once the connection is acknowledged (clients time out without it).
pub(super) async fn keep_alive<E: Executor>(conn: &mut Connection<E>) -> Flow {
    if conn.is_initialised() {
        conn.send(&ServerMessage::KeepAlive).await
    } else {
        Ok(())
    }
}

async fn send_error<E: Executor>(
    conn: &mut Connection<E>,
    id: Option<&str>,
    message: &str,
) -> Flow {
    let payload = Problem { message };
    conn.send(&ServerMessage::Error { id, payload }).await
}

/// Tells the client why, then ends the connection with `code`.
async fn connection_error<E: Executor>(conn: &mut Connection<E>, code: u16, reason: String) -> End {
    let payload = Problem { message: &reason };
    match conn.send(&ServerMessage::ConnectionError { payload }).await {
        Ok(()) => End::close(code, reason),
        Err(end) => end,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    #[test]
    fn messages_have_the_legacy_names() {
        let start = json!({ "type": "start", "id": "7", "payload": { "query": "{ a }" } });
        assert!(matches!(
            serde_json::from_value(start),
            Ok(ClientMessage::Start { .. })
        ));
        let terminate = json!({ "type": "connection_terminate" });
        assert!(matches!(
            serde_json::from_value(terminate),
            Ok(ClientMessage::ConnectionTerminate)
        ));
        let ka = serde_json::to_value(ServerMessage::KeepAlive).unwrap();
        assert_eq!(ka, json!({ "type": "ka" }));
        let error = ServerMessage::Error {
            id: None,
            payload: Problem { message: "no" },
        };
        assert_eq!(
            serde_json::to_value(error).unwrap(),
            json!({ "type": "error", "payload": { "message": "no" } })
        );
        assert!(serde_json::from_value::<ClientMessage>(Value::Null).is_err());
    }
}
