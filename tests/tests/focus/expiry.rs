//! Sessions nobody completes: the job abandons them once past `expires_at` (ten minutes
//! after the planned end, moved out by resumes), without reward, and tells the devices; a
//! move after the expiry is refused, and a new start clears an expired session itself.
use serde_json::json;
use tests::{Backend, TestApp, WsClient, api_test};

use super::support::{active, advance, balance, refusal, start, subscription, try_move, try_start};

api_test!(
    async fn a_session_left_past_its_expiry_is_abandoned_without_reward_and_announced(
        app: TestApp,
    ) {
        let mut user = app.member("left@example.com").await;
        let phone = app.sign_in("left@example.com").await;
        let mut ws = WsClient::subscribed(
            &app,
            "graphql-transport-ws",
            &phone.access_token,
            &subscription(),
        )
        .await;
        app.focus_subscribers_reach(user.user_id, 1).await;
        let session = start(&app, &user, 60).await;
        assert_eq!(
            ws.next_data().await["focusSession"]["lastChange"],
            "STARTED"
        );

        advance(&app, &mut user, 60 + 599).await;
        assert_eq!(
            app.expire_focus_sessions().await,
            0,
            "not before its expiry"
        );
        advance(&app, &mut user, 1).await;
        let late = try_move(&app, &user, "complete", None).await;
        assert_eq!(
            refusal(&late),
            ("CONFLICT".into(), "FOCUS_SESSION_EXPIRED".into())
        );
        assert_eq!(app.expire_focus_sessions().await, 1);
        assert_eq!(
            app.expire_focus_sessions().await,
            0,
            "each session expires once"
        );

        let expired = ws.next_data().await["focusSession"].clone();
        assert_eq!(expired["id"], session["id"]);
        assert_eq!(
            (
                expired["status"].clone(),
                expired["lastChange"].clone(),
                expired["remainingSeconds"].clone()
            ),
            (json!("ABANDONED"), json!("EXPIRED"), json!(0))
        );
        assert_eq!(active(&app, &user).await, serde_json::Value::Null);
        assert_eq!(balance(&app, &user).await, (0, 0));
        let again = try_move(&app, &user, "complete", Some(&session["id"])).await;
        assert_eq!(
            refusal(&again),
            ("CONFLICT".into(), "FOCUS_SESSION_ENDED".into())
        );
    }
);

api_test!(
    async fn a_start_clears_an_expired_session_the_job_has_not_reached(app: TestApp) {
        let mut user = app.member("restart@example.com").await;
        let old = start(&app, &user, 60).await;
        advance(&app, &mut user, 3_600).await;
        let new = try_start(
            &app,
            &user,
            json!({ "mode": "WORK", "durationSeconds": 60 }),
        )
        .await;
        let new = new.assert_ok()["startFocusSession"]["session"].clone();
        assert_ne!(new["id"], old["id"]);
        let list = app
            .graphql_as(
                &user.access_token,
                "{ viewer { focusSessions { edges { node { id status lastChange version } } } } }",
                json!({}),
            )
            .await;
        let edges = list.assert_ok()["viewer"]["focusSessions"]["edges"].clone();
        assert_eq!(edges[1]["node"]["lastChange"], "EXPIRED");
        assert!(
            edges[0]["node"]["version"]
                .as_str()
                .and_then(|v| v.parse::<i64>().ok())
                > edges[1]["node"]["version"]
                    .as_str()
                    .and_then(|v| v.parse::<i64>().ok())
        );
        assert_eq!(app.expire_focus_sessions().await, 0);
    }
);

tests::testkit::postgres_half! {
    /// PostgreSQL only: instances share a database there, one SQLite file has one instance.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn instances_running_the_job_together_expire_each_session_once() {
        let app = TestApp::spawn(Backend::Postgres).await;
        let other = app.another_instance().await;
        for i in 0..5 {
            let user = app.member(&format!("crowd{i}@example.com")).await;
            start(&app, &user, 60).await;
        }
        app.clock.advance(chrono::Duration::hours(1));
        let (a, b) = tokio::join!(app.expire_focus_sessions(), other.expire_focus_sessions());
        assert_eq!(a + b, 5, "every session claimed by exactly one instance");
        assert_eq!(app.expire_focus_sessions().await, 0);
    }
}
