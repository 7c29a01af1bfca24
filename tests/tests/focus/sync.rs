//! Live sync: `subscription { focusSession }` carries every change of the viewer's
//! sessions to each of their devices, over both WebSocket protocols and across server
//! instances on one PostgreSQL, with the server's remaining time and a growing version.
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use tests::{Backend, TestApp, WsClient, api_test};

use super::support::{SESSION, advance, moved, start, subscription};

api_test!(
    async fn a_pause_on_one_device_reaches_the_others_over_both_protocols(app: TestApp) {
        let mut laptop = app.member("devices@example.com").await;
        let phone = app.sign_in("devices@example.com").await;
        let watch = app.sign_in("devices@example.com").await;
        let query = subscription();
        let modern =
            WsClient::subscribed(&app, "graphql-transport-ws", &phone.access_token, &query).await;
        let legacy = WsClient::subscribed(&app, "graphql-ws", &watch.access_token, &query).await;
        app.focus_subscribers_reach(laptop.user_id, 2).await;

        let mut sockets = [modern, legacy];
        let mut versions = Vec::new();
        // Each device hears each change, with the remaining time as the server sees it.
        let mut hear = async |change: &str, remaining: i64| {
            for ws in &mut sockets {
                let seen = ws.next_data().await["focusSession"].clone();
                assert_eq!(
                    (seen["lastChange"].clone(), seen["remainingSeconds"].clone()),
                    (json!(change), json!(remaining))
                );
                versions.push(
                    seen["version"]
                        .as_str()
                        .and_then(|v| v.parse::<i64>().ok())
                        .unwrap(),
                );
            }
        };
        start(&app, &laptop, 1500).await;
        hear("STARTED", 1500).await;
        advance(&app, &mut laptop, 100).await;
        moved(&app, &laptop, "pause").await;
        hear("PAUSED", 1400).await;
        advance(&app, &mut laptop, 50).await;
        moved(&app, &laptop, "resume").await;
        hear("RESUMED", 1400).await;
        advance(&app, &mut laptop, 1400).await;
        moved(&app, &laptop, "complete").await;
        hear("COMPLETED", 0).await;
        let per_device: Vec<i64> = versions.iter().step_by(2).copied().collect();
        assert!(per_device.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
        assert_eq!(
            versions
                .iter()
                .skip(1)
                .step_by(2)
                .copied()
                .collect::<Vec<_>>(),
            per_device
        );
    }
);

api_test!(
    async fn since_sends_the_latest_state_first_and_others_changes_never_arrive(app: TestApp) {
        let user = app.member("since@example.com").await;
        let stranger = app.member("stranger@example.com").await;
        let session = start(&app, &user, 600).await;
        let version = session["version"]
            .as_str()
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap();
        let catch_up = |since: i64| {
            format!("subscription {{ focusSession(since: \"{since}\") {{ {SESSION} }} }}")
        };

        let mut fresh = WsClient::subscribed(
            &app,
            "graphql-transport-ws",
            &user.access_token,
            &catch_up(0),
        )
        .await;
        assert_eq!(fresh.next_data().await["focusSession"]["id"], session["id"]);
        let mut current = WsClient::subscribed(
            &app,
            "graphql-transport-ws",
            &user.access_token,
            &catch_up(version),
        )
        .await;
        app.focus_subscribers_reach(user.user_id, 2).await;

        start(&app, &stranger, 600).await;
        let paused = moved(&app, &user, "pause").await["session"].clone();
        for ws in [&mut fresh, &mut current] {
            let next = ws.next_data().await["focusSession"].clone();
            assert_eq!(
                (next["id"].clone(), next["lastChange"].clone()),
                (session["id"].clone(), json!("PAUSED"))
            );
            assert_eq!(next["version"], paused["version"]);
        }
    }
);

api_test!(
    async fn a_subscription_needs_a_signed_in_user_and_ends_with_its_session(app: TestApp) {
        let mut anonymous = WsClient::connect(&app, "graphql-transport-ws").await;
        anonymous.initialise(json!({})).await;
        anonymous
            .send(json!({ "id": "1", "type": "subscribe", "payload": { "query": subscription() } }))
            .await;
        let refused = anonymous.receive().await;
        assert_eq!(
            refused["payload"]["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{refused}"
        );

        let user = app.member("revoked@example.com").await;
        let phone = app.sign_in("revoked@example.com").await;
        let mut ws = WsClient::subscribed(
            &app,
            "graphql-transport-ws",
            &phone.access_token,
            &subscription(),
        )
        .await;
        app.focus_subscribers_reach(user.user_id, 1).await;
        app.graphql_as(
            &phone.access_token,
            "mutation { signOut { signedOut } }",
            json!({}),
        )
        .await
        .assert_ok();
        assert_eq!(ws.closed_with().await, Some(4403));
        app.focus_subscribers_reach(user.user_id, 0).await;
    }
);

tests::testkit::postgres_half! {
    /// Two server processes' worth of instances on one PostgreSQL: a device subscribed on one
    /// sees a pause sent to the other, with the remaining time the server computed.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_pause_sent_to_another_instance_reaches_this_ones_subscribers() {
        let here = TestApp::spawn(Backend::Postgres).await;
        let there = here.another_instance().await;
        let mut laptop = there.member("two-instances@example.com").await;
        let phone = here.sign_in("two-instances@example.com").await;
        let mut ws =
            WsClient::subscribed(&here, "graphql-ws", &phone.access_token, &subscription()).await;
        here.focus_subscribers_reach(phone.user_id, 1).await;

        start(&there, &laptop, 1500).await;
        assert_eq!(
            ws.next_data().await["focusSession"]["lastChange"],
            "STARTED"
        );
        advance(&there, &mut laptop, 420).await;
        let paused = moved(&there, &laptop, "pause").await["session"].clone();
        let seen = ws.next_data().await["focusSession"].clone();
        assert_eq!(
            (
                seen["lastChange"].clone(),
                seen["isPaused"].clone(),
                seen["remainingSeconds"].clone()
            ),
            (json!("PAUSED"), json!(true), json!(1080))
        );
        assert_eq!(seen["version"], paused["version"]);
    }
}

tests::testkit::postgres_half! {
    /// The listener's connection dies; it reconnects, resends the latest state, and relays
    /// again.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_lost_listener_connection_reconnects_and_catches_up() {
        let app = TestApp::spawn(Backend::Postgres).await;
        let user = app.member("reconnect@example.com").await;
        let mut ws = WsClient::subscribed(
            &app,
            "graphql-transport-ws",
            &user.access_token,
            &subscription(),
        )
        .await;
        app.focus_subscribers_reach(user.user_id, 1).await;
        start(&app, &user, 600).await;
        assert_eq!(
            ws.next_data().await["focusSession"]["lastChange"],
            "STARTED"
        );

        let database = app.database.postgres_name().unwrap().to_owned();
        let killed = app
            .database
            .db
            .query_all_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                format!(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE datname = '{database}' AND application_name = 'live_listener'"
                ),
            ))
            .await
            .unwrap();
        assert_eq!(killed.len(), 1, "the listener had its own connection");
        // Paused while the listener may be down: the resync after reconnecting delivers it.
        moved(&app, &user, "pause").await;
        assert_eq!(ws.next_data().await["focusSession"]["lastChange"], "PAUSED");
        moved(&app, &user, "resume").await;
        let resumed: Value = ws.next_data().await["focusSession"].clone();
        assert_eq!(resumed["lastChange"], "RESUMED");
    }
}
