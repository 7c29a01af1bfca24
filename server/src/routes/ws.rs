//! `/graphql/ws`: GraphQL over WebSocket, in both graphql-transport-ws and the legacy
//! graphql-ws protocol. The actor comes from the `connection_init` payload.
use std::net::SocketAddr;

use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::{
    extract::{ConnectInfo, State, WebSocketUpgrade},
    http::{HeaderMap, header},
    response::Response,
};
use schema::RequestContext;

use super::{AppState, middleware::REQUEST_ID};
use crate::auth;

pub async fn upgrade(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &header::HeaderValue| v.to_str().ok())
            .map(str::to_owned)
    };
    let request_id = text(REQUEST_ID);
    let user_agent = text(header::USER_AGENT);
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            let db = state.db.clone();
            GraphQLWebSocket::new(socket, state.schema.clone(), protocol)
                .on_connection_init(move |payload| async move {
                    let actor = auth::actor_from_init_payload(&payload)
                        .map_err(async_graphql::Error::from)?;
                    let context = RequestContext {
                        actor,
                        request_id,
                        ip_address: Some(peer.ip().to_string()),
                        user_agent,
                    };
                    Ok(schema::graphql::connection_data(context, &db))
                })
                .serve()
        })
}
