//! GraphQL over WebSocket at `/graphql/ws`, in both protocols clients use.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;
use tests::{WsClient, api_test};

api_test!(
    async fn graphql_transport_ws_runs_an_operation(app: TestApp) {
        let mut ws = WsClient::connect(&app, "graphql-transport-ws").await;
        ws.send(json!({ "type": "connection_init", "payload": {} }))
            .await;
        assert_eq!(ws.receive().await["type"], "connection_ack");
        ws.send(
            json!({ "id": "1", "type": "subscribe", "payload": { "query": "{ __typename }" } }),
        )
        .await;
        let next = ws.receive().await;
        assert_eq!(next["type"], "next");
        assert_eq!(next["id"], "1");
        assert_eq!(next["payload"]["data"]["__typename"], "Query");
        assert_eq!(ws.receive().await, json!({ "id": "1", "type": "complete" }));
    }
);

api_test!(
    async fn the_legacy_graphql_ws_protocol_still_works(app: TestApp) {
        let mut ws = WsClient::connect(&app, "graphql-ws").await;
        ws.send(json!({ "type": "connection_init", "payload": {} }))
            .await;
        assert_eq!(ws.receive().await["type"], "connection_ack");
        ws.send(json!({ "id": "7", "type": "start", "payload": { "query": "{ __typename }" } }))
            .await;
        let data = ws.receive().await;
        assert_eq!(data["type"], "data");
        assert_eq!(data["payload"]["data"]["__typename"], "Query");
        assert_eq!(ws.receive().await, json!({ "id": "7", "type": "complete" }));
    }
);
