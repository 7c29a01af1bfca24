//! Sockets at shutdown, with the real `graphql-ws` client (tests/js): SIGTERM on one
//! instance sends each of 50 open subscriptions a `1001 going away` close frame (none sees
//! 1006), the clients reconnect to a second instance on the same PostgreSQL database, and
//! `focusSession(since:)` there catches them up on a change made while they were away (`lastChange: PAUSED`).
use std::time::Duration;

use serde_json::json;
use tests::{Backend, ChildServer, Outbox, TestDatabase, node};

const SUBSCRIBERS: usize = 50;

tests::testkit::postgres_half! {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sigterm_sends_1001_to_every_graphql_ws_client_and_another_instance_catches_them_up() {
        if node::tools(false).is_none() {
            return;
        }
        let database = TestDatabase::fresh(Backend::Postgres).await;
        let env = [("APP_MAX_SOCKETS_PER_USER", "100"), ("APP_SHUTDOWN_GRACE_SECONDS", "5")];
        let mut first = ChildServer::start(&database.url, Outbox::fresh(), &env).await;
        let second = ChildServer::start(&database.url, Outbox::fresh(), &env).await;
        let member = first.member("failover@example.com").await;
        let token = Some(member.access_token.as_str());
        first
            .graphql_as(
                token,
                "mutation { startFocusSession(input: {mode: WORK, durationSeconds: 1500}) { session { id } } }",
                json!({}),
            )
            .await
            .assert_ok();

        let ws = |server: &ChildServer| format!("ws://{}/graphql/ws", server.addr);
        let (ws_first, ws_second, http_second) = (ws(&first), ws(&second), second.url("/graphql"));
        let count = SUBSCRIBERS.to_string();
        let mut clients = node::Script::start(
            "graphql-ws-failover.mjs",
            &[&ws_first, &ws_second, &http_second, &member.access_token, &count],
        );
        clients.expect("READY", Duration::from_secs(60)).await;

        first.signal("TERM").await;
        // While the clients wait to reconnect, the session changes on the other instance.
        second
            .graphql_as(token, "mutation { pauseFocusSession { session { status } } }", json!({}))
            .await
            .assert_ok();
        clients.send("paused").await;
        let result = clients.result(Duration::from_secs(60)).await;
        let exit = first.wait_exit(Duration::from_secs(10)).await.expect("the first instance exits");
        assert!(exit.success(), "a clean exit: {exit:?}");

        assert_eq!(
            result["closeCodes"],
            json!({ "1001": SUBSCRIBERS }),
            "every client saw 1001 and none 1006: {result}"
        );
        assert_eq!(result["reconnectedToB"], SUBSCRIBERS, "{result}");
        assert_eq!(result["paused"], SUBSCRIBERS, "{result}");
        eprintln!(
            "{} of {SUBSCRIBERS} clients caught up by `since` on reconnecting (the rest saw the change live)",
            result["caughtUp"]
        );
        assert!(result["caughtUp"].as_u64().unwrap() > 0, "{result}");
    }
}
