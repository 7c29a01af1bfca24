//! Focus timer helpers: running the expiry job on demand (tests set the clock, then run
//! it, instead of waiting for its tick), waiting until a focus or reward subscription is
//! registered, and a signed-in subscription socket in either WebSocket protocol.
use std::time::Duration;

use schema::domain::{Clock, UserId, focus::expiry};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{SignedIn, TestApp, WsClient};

impl TestApp {
    /// Runs the focus expiry job once, as the app's background job does, at the app's clock.
    pub async fn expire_focus_sessions(&self) -> usize {
        expiry::expire_overdue(&self.app_db, &self.focus, self.clock.now())
            .await
            .expect("the focus expiry job")
    }

    /// Runs one whole work session of `minutes` through the API: start, let the clock run
    /// out (renewing `user`'s tokens, as a client would), complete. Returns the payload.
    pub async fn focus_for(&self, user: &mut SignedIn, minutes: i64) -> Value {
        let start = "mutation($seconds: Int!) { startFocusSession(input: {mode: WORK, durationSeconds: $seconds}) { session { id } } }";
        self.travel(user, self.clock.now()).await;
        self.graphql_as(
            &user.access_token,
            start,
            json!({ "seconds": minutes * 60 }),
        )
        .await
        .assert_ok();
        let end = self.clock.now() + chrono::Duration::minutes(minutes);
        self.travel(user, end).await;
        let complete =
            "mutation { completeFocusSession { repeated session { id xpAwarded coinsAwarded } } }";
        self.graphql_as(&user.access_token, complete, json!({}))
            .await
            .assert_ok()["completeFocusSession"]
            .clone()
    }

    /// Waits until this instance holds `n` focus subscriptions of `user`: a client cannot
    /// see when the server has registered its `subscribe`.
    pub async fn focus_subscribers_reach(&self, user: Uuid, n: usize) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while self.focus.subscribers(UserId(user)) < n {
            assert!(
                tokio::time::Instant::now() < deadline,
                "{n} focus subscriptions were never registered"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Waits until this instance holds `n` reward event subscriptions of `user`.
    pub async fn reward_subscribers_reach(&self, user: Uuid, n: usize) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while self.rewards.subscribers(UserId(user)) < n {
            assert!(
                tokio::time::Instant::now() < deadline,
                "{n} reward event subscriptions were never registered"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

impl WsClient {
    /// A socket of `protocol` signed in with `access_token`, running `query` as operation
    /// `"1"` (`subscribe` in graphql-transport-ws, `start` in legacy graphql-ws).
    pub async fn subscribed(
        app: &TestApp,
        protocol: &str,
        access_token: &str,
        query: &str,
    ) -> Self {
        let mut ws = Self::connect(app, protocol).await;
        ws.initialise(json!({ "authorization": format!("Bearer {access_token}") }))
            .await;
        let kind = if protocol == "graphql-ws" {
            "start"
        } else {
            "subscribe"
        };
        ws.send(json!({ "id": "1", "type": kind, "payload": { "query": query } }))
            .await;
        ws
    }

    /// The `data` of the next result, in either protocol (`next` or legacy `data`).
    pub async fn next_data(&mut self) -> Value {
        let message = self.receive().await;
        assert!(
            matches!(message["type"].as_str(), Some("next" | "data")),
            "expected a result, got {message}"
        );
        assert!(message["payload"].get("errors").is_none(), "{message}");
        message["payload"]["data"].clone()
    }
}
