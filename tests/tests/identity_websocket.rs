//! A signed-in WebSocket: the token rides in `connection_init`, outlives its access
//! token's expiry, and closes with 4403 the moment its session is revoked.

use chrono::Duration;
use serde_json::json;
use tests::{TestApp, WsClient, api_test};

async fn signed_in_socket(app: &TestApp, access_token: &str) -> WsClient {
    let mut ws = WsClient::connect(app, "graphql-transport-ws").await;
    ws.send(json!({
        "type": "connection_init",
        "payload": { "authorization": format!("Bearer {access_token}") },
    }))
    .await;
    assert_eq!(ws.receive().await["type"], "connection_ack");
    ws
}

async fn viewer_email(ws: &mut WsClient, id: &str) -> serde_json::Value {
    ws.send(
        json!({ "id": id, "type": "subscribe", "payload": { "query": "{ viewer { email } }" } }),
    )
    .await;
    let next = ws.receive().await;
    assert_eq!(ws.receive().await["type"], "complete");
    next["payload"]["data"]["viewer"]["email"].clone()
}

api_test!(
    async fn a_socket_acts_as_its_user_and_closes_with_4403_when_signed_out(app: TestApp) {
        let user = app.sign_in("socket@example.com").await;
        let mut ws = signed_in_socket(&app, &user.access_token).await;
        assert_eq!(viewer_email(&mut ws, "1").await, "socket@example.com");

        app.clock.advance(Duration::minutes(20));
        assert_eq!(
            viewer_email(&mut ws, "2").await,
            "socket@example.com",
            "an access token expiring under an open socket does not close it"
        );

        app.clock.set(chrono::Utc::now());
        let other_device = app.sign_in("socket@example.com").await;
        let mut other_ws = signed_in_socket(&app, &other_device.access_token).await;
        app.graphql_as(
            &user.access_token,
            "mutation { signOut { signedOut } }",
            json!({}),
        )
        .await;
        assert_eq!(ws.closed_with().await, Some(4403));
        assert_eq!(
            viewer_email(&mut other_ws, "3").await,
            "socket@example.com",
            "another session's socket stays open"
        );
    }
);

api_test!(
    async fn a_socket_with_a_revoked_sessions_token_is_refused_with_4403(app: TestApp) {
        let user = app.sign_in("late-socket@example.com").await;
        app.graphql_as(
            &user.access_token,
            "mutation { signOut { signedOut } }",
            json!({}),
        )
        .await;
        let mut ws = WsClient::connect(&app, "graphql-transport-ws").await;
        ws.send(json!({
            "type": "connection_init",
            "payload": { "authorization": format!("Bearer {}", user.access_token) },
        }))
        .await;
        assert_eq!(ws.closed_with().await, Some(4403));
    }
);
