//! Bookkeeping writes on read paths are best effort: on a database that refuses writes
//! (read-only), a signed-in user's reads still succeed; only the bookkeeping is skipped.
use std::time::Duration;

use sea_orm::ConnectionTrait;
use serde_json::json;
use tests::{ChildServer, Outbox, TestDatabase, backend_test};

/// The same database, opened so every write fails.
async fn read_only_url(database: &TestDatabase) -> String {
    match database.postgres_name() {
        None => database.url.replace("mode=rwc", "mode=ro"),
        Some(name) => {
            database
                .db
                .execute_unprepared(&format!(
                    r#"ALTER DATABASE "{name}" SET default_transaction_read_only = on"#
                ))
                .await
                .unwrap();
            database.url.clone()
        }
    }
}

backend_test!(
    async fn a_read_succeeds_when_recording_activity_fails(backend: Backend) {
        let database = TestDatabase::fresh(backend).await;
        let mut server = ChildServer::start(&database.url, Outbox::fresh(), &[]).await;
        let member = server.member("reader@example.com").await;
        server.signal("TERM").await;
        server
            .wait_exit(Duration::from_secs(15))
            .await
            .expect("stopped");

        let url = read_only_url(&database).await;
        let server =
            ChildServer::start(&url, Outbox::fresh(), &[("RUN_MIGRATIONS", "false")]).await;
        // A fresh process: its first read by this user is due an activity write.
        let read = server
            .graphql_as(
                Some(&member.access_token),
                "{ viewer { id email } }",
                json!({}),
            )
            .await;
        assert_eq!(
            read.assert_ok()["viewer"]["email"],
            "reader@example.com",
            "the read is answered although its bookkeeping write failed"
        );
        assert!(
            server.logs().contains("cannot record activity"),
            "the failed bookkeeping is logged: {}",
            server.logs()
        );
    }
);
