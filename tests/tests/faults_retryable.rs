//! A write that loses its database connection (PostgreSQL: the backend is terminated) or
//! waits past SQLite's busy timeout answers `UNAVAILABLE` with `retryable: true`, never a
//! bare `INTERNAL`; a retry with the same idempotency key pays exactly once; and a read
//! that loses its connection is run once more on a fresh one.
use std::time::Duration;

use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::json;
use tests::{Backend, TestApp, backend_test};

const ADJUST: &str = "mutation($u: UUID!) { adjustPoints(input: {userId: $u, xp: 7, coins: 1, reason: \"retry\", idempotencyKey: \"retry-1\"}) { repeated entry { id } } }";

backend_test!(
    async fn a_write_that_loses_its_database_answers_unavailable_and_retrying_pays_once(
        backend: Backend,
    ) {
        let app = TestApp::spawn_with(backend, |config| {
            config.timeouts.sqlite_busy = Duration::from_secs(1);
        })
        .await;
        let admin = app.admin().await;
        let user = app.member("retried@example.com").await;

        // Hold the ledger from outside so the app's write waits on it.
        let outside = app.database.db.begin().await.unwrap();
        if backend == Backend::Postgres {
            outside
                .execute_unprepared("LOCK TABLE points_ledger IN ACCESS EXCLUSIVE MODE")
                .await
                .unwrap();
        } else {
            outside
                .execute_unprepared("DELETE FROM points_ledger WHERE 1 = 0")
                .await
                .unwrap();
            outside
                .execute_unprepared("INSERT INTO write_probe (id, checks) VALUES (99, 0)")
                .await
                .unwrap();
        }
        let waiting = app.graphql_as(&admin.access_token, ADJUST, json!({ "u": user.user_id }));
        let cut = async {
            if backend == Backend::Postgres {
                tokio::time::sleep(Duration::from_millis(500)).await;
                // The connection is lost mid-request, as when the database restarts.
                app.database
                    .db
                    .execute_unprepared(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                         WHERE datname = current_database() AND pid <> pg_backend_pid() \
                         AND wait_event_type = 'Lock'",
                    )
                    .await
                    .unwrap();
            }
        };
        let (response, ()) = tokio::join!(waiting, cut);
        outside.rollback().await.unwrap();
        assert_eq!(response.error_codes(), ["UNAVAILABLE"], "{}", response.body);
        assert_eq!(response.body["errors"][0]["extensions"]["retryable"], true);

        let retried = app
            .graphql_as(&admin.access_token, ADJUST, json!({ "u": user.user_id }))
            .await;
        assert_eq!(
            retried.assert_ok()["adjustPoints"]["repeated"],
            false,
            "nothing was paid before"
        );
        let again = app
            .graphql_as(&admin.access_token, ADJUST, json!({ "u": user.user_id }))
            .await;
        assert_eq!(
            again.assert_ok()["adjustPoints"]["repeated"],
            true,
            "the key pays once"
        );
    }
);

tests::testkit::postgres_half! {
    /// A read whose connection is cut mid-request (the backend terminated while it waits)
    /// runs once more on a fresh connection: the client gets its answer, not UNAVAILABLE.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_read_that_loses_its_connection_is_answered_from_a_fresh_one() {
        let app = TestApp::spawn(Backend::Postgres).await;
        let user = app.member("reader@example.com").await;
        app.graphql_as(
            &user.access_token,
            "mutation { createHabit(input: {name: \"Read\"}) { habit { id } } }",
            json!({}),
        )
        .await
        .assert_ok();

        let outside = app.database.db.begin().await.unwrap();
        outside
            .execute_unprepared("LOCK TABLE habits IN ACCESS EXCLUSIVE MODE")
            .await
            .unwrap();
        let reading = app.graphql_as(
            &user.access_token,
            "{ viewer { habits(first: 5) { edges { node { name } } } } }",
            json!({}),
        );
        let cut_then_release = async {
            tokio::time::sleep(Duration::from_millis(500)).await;
            let cut = app
                .database
                .db
                .query_all_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Postgres,
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE datname = current_database() AND pid <> pg_backend_pid() \
                     AND wait_event_type = 'Lock'",
                ))
                .await
                .unwrap();
            assert_eq!(cut.len(), 1, "the read was waiting on the lock");
            // The read runs again, waits on the lock once more, and proceeds once it goes.
            tokio::time::sleep(Duration::from_millis(300)).await;
            outside.rollback().await.unwrap();
        };
        let (response, ()) = tokio::join!(reading, cut_then_release);
        let data = response.assert_ok();
        assert_eq!(
            data["viewer"]["habits"]["edges"][0]["node"]["name"],
            "Read"
        );
    }
}
