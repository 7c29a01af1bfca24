//! The two sub-protocols, chosen by `Sec-WebSocket-Protocol`, and the one place that
//! dispatches to each.
use async_graphql::Executor;

use super::{
    connection::{Connection, End, Event, Flow},
    legacy, transport_ws,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// graphql-transport-ws, spoken by the `graphql-ws` library.
    TransportWs,
    /// Legacy graphql-ws (subscriptions-transport-ws), spoken by Apollo's old client.
    Legacy,
}

impl Protocol {
    /// In the server's order of preference.
    pub const ALL: [Protocol; 2] = [Protocol::TransportWs, Protocol::Legacy];

    /// The `Sec-WebSocket-Protocol` name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::TransportWs => "graphql-transport-ws",
            Self::Legacy => "graphql-ws",
        }
    }

    /// The protocol the handshake agreed on; graphql-transport-ws when the client named
    /// neither.
    pub fn chosen(selected: Option<&str>) -> Self {
        Self::ALL
            .into_iter()
            .find(|protocol| Some(protocol.name()) == selected)
            .unwrap_or(Self::TransportWs)
    }

    pub(super) async fn on_message<E: Executor>(
        self,
        conn: &mut Connection<E>,
        text: &[u8],
    ) -> Flow {
        match self {
            Self::TransportWs => transport_ws::on_message(conn, text).await,
            Self::Legacy => legacy::on_message(conn, text).await,
        }
    }

    pub(super) async fn on_event<E: Executor>(
        self,
        conn: &mut Connection<E>,
        id: String,
        event: Event,
    ) -> Flow {
        match self {
            Self::TransportWs => transport_ws::on_event(conn, id, event).await,
            Self::Legacy => legacy::on_event(conn, id, event).await,
        }
    }

    pub(super) async fn on_init_timeout<E: Executor>(self, conn: &mut Connection<E>) -> End {
        match self {
            Self::TransportWs => transport_ws::on_init_timeout(),
            Self::Legacy => legacy::on_init_timeout(conn).await,
        }
    }

    pub(super) async fn keep_alive<E: Executor>(self, conn: &mut Connection<E>) -> Flow {
        match self {
            Self::TransportWs => transport_ws::keep_alive(conn).await,
            Self::Legacy => legacy::keep_alive(conn).await,
        }
    }
}
