//! GraphQL over WebSocket at `/graphql/ws`, in both protocols clients use: graphql-transport-ws
//! with each of its close codes, and legacy graphql-ws.

use std::time::Duration;

use serde_json::{Value, json};
use tests::{TestApp, WsClient, api_test};

const TRANSPORT_WS: &str = "graphql-transport-ws";
const LEGACY: &str = "graphql-ws";

fn subscribe(id: &str, query: &str) -> Value {
    json!({ "id": id, "type": "subscribe", "payload": { "query": query } })
}

/// A graphql-transport-ws socket past `connection_ack`.
async fn initialised(app: &TestApp) -> WsClient {
    let mut ws = WsClient::connect(app, TRANSPORT_WS).await;
    ws.initialise(json!({})).await;
    ws
}

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

api_test!(
    async fn a_client_naming_no_sub_protocol_is_spoken_to_in_graphql_transport_ws(app: TestApp) {
        let (mut ws, agreed) = WsClient::connect_offering(&app, None).await;
        assert_eq!(agreed, None);
        ws.initialise(json!(null)).await;
        ws.send(subscribe("1", "{ __typename }")).await;
        assert_eq!(ws.receive().await["type"], "next");
    }
);

api_test!(
    async fn operations_on_one_socket_run_side_by_side(app: TestApp) {
        let mut ws = initialised(&app).await;
        ws.send_together(&[
            subscribe("a", "{ __typename }"),
            subscribe("b", "{ __typename }"),
        ])
        .await;
        let mut completed = Vec::new();
        while completed.len() < 2 {
            let message = ws.receive().await;
            match message["type"].as_str() {
                Some("next") => assert_eq!(message["payload"]["data"]["__typename"], "Query"),
                Some("complete") => completed.push(message["id"].as_str().unwrap().to_owned()),
                _ => panic!("unexpected {message}"),
            }
        }
        completed.sort();
        assert_eq!(completed, ["a", "b"]);
    }
);

api_test!(
    async fn invalid_json_closes_the_socket_with_4400(app: TestApp) {
        let mut ws = WsClient::connect(&app, TRANSPORT_WS).await;
        ws.send_text("{ not json").await;
        let (code, reason) = ws.close_frame().await.unwrap();
        assert_eq!(code, 4400);
        assert!(reason.starts_with("Invalid message"), "{reason}");
    }
);

api_test!(
    async fn an_unknown_message_type_closes_the_socket_with_4400(app: TestApp) {
        let mut ws = initialised(&app).await;
        ws.send(json!({ "id": "1", "type": "start", "payload": { "query": "{ __typename }" } }))
            .await;
        let (code, reason) = ws.close_frame().await.unwrap();
        assert_eq!(code, 4400);
        assert!(reason.contains("unknown variant `start`"), "{reason}");
    }
);

api_test!(
    async fn a_subscribe_missing_its_id_closes_the_socket_with_4400(app: TestApp) {
        let mut ws = initialised(&app).await;
        ws.send(json!({ "type": "subscribe", "payload": { "query": "{ __typename }" } }))
            .await;
        let (code, reason) = ws.close_frame().await.unwrap();
        assert_eq!(code, 4400);
        assert!(reason.contains("missing field `id`"), "{reason}");
    }
);

api_test!(
    async fn subscribing_before_the_connection_ack_closes_the_socket_with_4401(app: TestApp) {
        let mut ws = WsClient::connect(&app, TRANSPORT_WS).await;
        ws.send(subscribe("1", "{ __typename }")).await;
        assert_eq!(
            ws.close_frame().await,
            Some((4401, "Unauthorized".to_owned()))
        );
    }
);

api_test!(
    async fn a_refused_token_in_connection_init_closes_the_socket_with_4403(app: TestApp) {
        let mut ws = WsClient::connect(&app, TRANSPORT_WS).await;
        ws.send(
            json!({ "type": "connection_init", "payload": { "authorization": "Bearer nope" } }),
        )
        .await;
        let (code, reason) = ws.close_frame().await.unwrap();
        assert_eq!(code, 4403);
        assert!(reason.starts_with("Forbidden"), "{reason}");
    }
);

api_test!(
    async fn no_connection_init_within_the_timeout_closes_the_socket_with_4408(app: TestApp) {
        let app = TestApp::spawn_with(app.backend(), |config| {
            config.ws_init_timeout = Duration::from_millis(200);
        })
        .await;
        let mut ws = WsClient::connect(&app, TRANSPORT_WS).await;
        assert_eq!(
            ws.close_frame().await,
            Some((4408, "Connection initialisation timeout".to_owned()))
        );
    }
);

api_test!(
    async fn a_subscribe_reusing_a_running_id_closes_the_socket_with_4409(app: TestApp) {
        let mut ws = initialised(&app).await;
        ws.send_together(&[
            subscribe("twice", "{ __typename }"),
            subscribe("twice", "{ __typename }"),
        ])
        .await;
        assert_eq!(
            ws.close_frame().await,
            Some((4409, "Subscriber for twice already exists".to_owned()))
        );
    }
);

api_test!(
    async fn an_id_may_be_used_again_once_its_operation_completed(app: TestApp) {
        let mut ws = initialised(&app).await;
        for _ in 0..2 {
            ws.send(subscribe("1", "{ __typename }")).await;
            assert_eq!(ws.receive().await["type"], "next");
            assert_eq!(ws.receive().await, json!({ "id": "1", "type": "complete" }));
        }
    }
);

api_test!(
    async fn a_second_connection_init_closes_the_socket_with_4429(app: TestApp) {
        let mut ws = initialised(&app).await;
        ws.send(json!({ "type": "connection_init" })).await;
        assert_eq!(
            ws.close_frame().await,
            Some((4429, "Too many initialisation requests".to_owned()))
        );
    }
);

api_test!(
    async fn a_ping_gets_a_pong_echoing_its_payload_and_a_pong_is_ignored(app: TestApp) {
        let mut ws = WsClient::connect(&app, TRANSPORT_WS).await;
        ws.send(json!({ "type": "ping", "payload": { "sent": 1 } }))
            .await;
        assert_eq!(
            ws.receive().await,
            json!({ "type": "pong", "payload": { "sent": 1 } })
        );
        ws.send(json!({ "type": "pong" })).await;
        ws.send(json!({ "type": "ping" })).await;
        assert_eq!(ws.receive().await, json!({ "type": "pong" }));
    }
);

api_test!(
    async fn a_client_complete_cancels_its_operation(app: TestApp) {
        let mut ws = initialised(&app).await;
        ws.send_together(&[
            subscribe("1", "{ __typename }"),
            json!({ "id": "1", "type": "complete" }),
        ])
        .await;
        ws.send(json!({ "type": "ping" })).await;
        assert_eq!(
            ws.receive().await,
            json!({ "type": "pong" }),
            "a completed operation sends nothing more"
        );
    }
);

api_test!(
    async fn a_validation_error_yields_an_error_message_and_no_complete(app: TestApp) {
        let mut ws = initialised(&app).await;
        ws.send(subscribe("1", "{ nope }")).await;
        let error = ws.receive().await;
        assert_eq!(error["type"], "error");
        assert_eq!(error["id"], "1");
        let errors = error["payload"]
            .as_array()
            .expect("an array of GraphQL errors");
        assert_eq!(errors.len(), 1);
        assert!(errors[0]["message"].as_str().unwrap().contains("nope"));
        assert_eq!(errors[0]["extensions"]["code"], "BAD_USER_INPUT");
        ws.send(json!({ "type": "ping" })).await;
        assert_eq!(ws.receive().await, json!({ "type": "pong" }));
    }
);

api_test!(
    async fn legacy_init_with_a_refused_token_gets_connection_error_then_4403(app: TestApp) {
        let mut ws = WsClient::connect(&app, LEGACY).await;
        ws.send(
            json!({ "type": "connection_init", "payload": { "authorization": "Bearer nope" } }),
        )
        .await;
        let error = ws.receive().await;
        assert_eq!(error["type"], "connection_error");
        assert!(error["payload"]["message"].is_string(), "{error}");
        assert_eq!(ws.closed_with().await, Some(4403));
    }
);

api_test!(
    async fn legacy_answers_a_malformed_message_with_an_error_and_stays_open(app: TestApp) {
        let mut ws = WsClient::connect(&app, LEGACY).await;
        ws.send(json!({ "type": "connection_init" })).await;
        assert_eq!(ws.receive().await["type"], "connection_ack");
        ws.send(json!({ "id": "3", "type": "subscribe" })).await;
        let error = ws.receive().await;
        assert_eq!(error["type"], "error");
        assert_eq!(error["id"], "3");
        assert!(error["payload"]["message"].is_string(), "{error}");
        ws.send_text("not json").await;
        assert_eq!(ws.receive().await["type"], "error");
        ws.send(json!({ "id": "4", "type": "start", "payload": { "query": "{ __typename }" } }))
            .await;
        assert_eq!(ws.receive().await["type"], "data");
        assert_eq!(ws.receive().await, json!({ "id": "4", "type": "complete" }));
    }
);

api_test!(
    async fn legacy_refuses_a_start_before_connection_init(app: TestApp) {
        let mut ws = WsClient::connect(&app, LEGACY).await;
        ws.send(json!({ "id": "1", "type": "start", "payload": { "query": "{ __typename }" } }))
            .await;
        let error = ws.receive().await;
        assert_eq!(error["type"], "error");
        assert_eq!(error["id"], "1");
    }
);

/// A message past the body limit ends the socket instead of being buffered.
#[tokio::test]
async fn a_message_over_the_size_limit_closes_the_socket() {
    let app = TestApp::spawn_with(tests::Backend::Sqlite, |config| {
        config.max_body_bytes = 1_024
    })
    .await;
    let mut ws = WsClient::connect(&app, "graphql-transport-ws").await;
    ws.send_text(&format!(
        r#"{{"type":"connection_init","payload":{{"pad":"{}"}}}}"#,
        "x".repeat(4_096)
    ))
    .await;
    let code = ws.closed_with().await;
    assert!(
        matches!(code, None | Some(1009)),
        "closed as too big, got {code:?}"
    );
    app.graphql("{ __typename }").await.assert_ok();
}
