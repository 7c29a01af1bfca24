//! `/graphql/ws`: GraphQL over WebSocket in graphql-transport-ws (with its close codes) and
//! legacy graphql-ws. Our own small protocol layer rather than async-graphql's, whose close
//! codes the graphql-ws client treats as fatal. The actor comes from the `connection_init`
//! payload; an accepted connection can be closed from outside with 4403 (`Accepted::until`).
mod connection;
mod legacy;
mod messages;
mod protocol;
pub mod sockets;
mod transport_ws;

#[cfg(test)]
mod tests;

use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, State, WebSocketUpgrade},
    http::HeaderMap,
    response::Response,
};
use schema::{
    RequestContext,
    domain::{AppError, auth::sessions},
};

pub use connection::{Accepted, WsConfig, serve, serve_until};
pub use protocol::Protocol;

use super::{AppState, graphql::request_meta};
use crate::auth;

pub async fn upgrade(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let meta = request_meta(&headers, peer);
    let config = WsConfig {
        init_timeout: state.ws_init_timeout,
        max_operations: state.limits.max_subscriptions_per_socket,
        ..WsConfig::default()
    };
    // Sockets mostly idle while subscribed: read in 4 KiB chunks rather than tungstenite's
    // 128 KiB buffer per socket (larger messages still assemble, up to the limit). Measured
    // with 1,000 focus subscriptions: about 50 KiB per socket instead of 170.
    let upgrade = upgrade
        .read_buffer_size(4 * 1024)
        .max_message_size(state.max_body_bytes)
        .max_frame_size(state.max_body_bytes);
    let (upgrade, protocol) = negotiate(upgrade);
    upgrade.on_upgrade(move |socket| {
        let schema = state.schema.extended().clone();
        let open = state.drain.socket_guard();
        let going_away = state.drain.clone().going_away();
        let init =
            move |payload: serde_json::Value| async move {
                let actor = auth::actor_from_init_payload(&state, &payload).await?;
                let session = actor.require_session().ok().map(|(_, session)| session.0);
                let permit =
                    match actor.user_id() {
                        None => None,
                        Some(user) => Some(state.sockets.admit(user.0).ok_or_else(|| {
                            AppError::RateLimited {
                                retry_after_seconds: 60,
                            }
                        })?),
                    };
                let context = RequestContext { actor, meta };
                let mut data = schema::graphql::connection_data(context, &state.db);
                // Held as long as the connection: its drop frees the user's place.
                data.insert(permit);
                // Trusted documents hold over WebSocket too (see `Connection::start`).
                data.insert(state.documents.clone());
                let accepted = Accepted::new(data);
                Ok(match session {
                    // Revoking the session (sign-out, revocation, theft) closes the socket.
                    Some(session) => accepted.until(sessions::ended(
                        state.db.clone(),
                        state.identity.clone(),
                        state.clock.clone(),
                        session,
                    )),
                    None => accepted,
                })
            };
        async move {
            serve_until(socket, schema, protocol, config, init, going_away).await;
            drop(open);
        }
    })
}

/// Agrees on a sub-protocol: the first of ours the client offers, else graphql-transport-ws.
pub fn negotiate(upgrade: WebSocketUpgrade) -> (WebSocketUpgrade, Protocol) {
    let upgrade = upgrade.protocols(Protocol::ALL.map(Protocol::name));
    let selected = upgrade.selected_protocol().and_then(|v| v.to_str().ok());
    let protocol = Protocol::chosen(selected);
    (upgrade, protocol)
}
