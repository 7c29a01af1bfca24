//! Clients that give up on a query halfway (a timeout, a closed tab) leave nothing behind:
//! the server drops their work, every connection goes back to the pool outside any
//! transaction, and the next client is answered. With a pool of two, one connection kept
//! by an abandoned query (its snapshot, or a `BEGIN` cut off halfway) would show at once.
use std::time::Duration;

use futures_util::future::join_all;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::json;
use tests::{Backend, TestApp, backend_test};

const GOALS: &str =
    "{ viewer { goals(first: 20) { totalCount nodes { title milestones { title } } } } }";

backend_test!(
    async fn queries_abandoned_halfway_leave_every_connection_free(backend: Backend) {
        let app = TestApp::spawn_with(backend, |config| config.database_max_connections = 2).await;
        let user = app.member("impatient@example.com").await;
        for goal in ["Run", "Read", "Rest"] {
            let created = app
                .graphql_as(
                    &user.access_token,
                    "mutation($t: String!) { createGoal(input: {title: $t}) { goal { id } } }",
                    json!({ "t": goal }),
                )
                .await
                .assert_ok()
                .clone();
            app.graphql_as(
                &user.access_token,
                "mutation($g: UUID!) { addMilestone(input: {goalId: $g, title: \"Start\"}) { milestone { id } } }",
                json!({ "g": created["createGoal"]["goal"]["id"] }),
            )
            .await
            .assert_ok();
        }

        // Eight at a time, each client giving up after a little longer than the last.
        for round in 0..40u64 {
            join_all((0..8u64).map(|i| {
                let patience = Duration::from_micros(100 + (round * 8 + i) * 23 % 4_000);
                app.http
                    .post(app.url("/graphql"))
                    .bearer_auth(&user.access_token)
                    .json(&json!({ "query": GOALS }))
                    .timeout(patience)
                    .send()
            }))
            .await;
        }

        let answered = tokio::time::timeout(
            Duration::from_secs(5),
            app.graphql_as(&user.access_token, GOALS, json!({})),
        )
        .await
        .expect("the next query is answered at once");
        assert_eq!(answered.assert_ok()["viewer"]["goals"]["totalCount"], 3);
        if backend == Backend::Postgres {
            assert_eq!(
                open_transactions(&app).await,
                0,
                "no connection is left inside a transaction"
            );
        }
    }
);

/// How many of the app's connections sit inside a transaction, once in-flight work had a
/// moment to end.
async fn open_transactions(app: &TestApp) -> usize {
    let open = Statement::from_string(
        DbBackend::Postgres,
        "SELECT pid FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid() \
         AND state LIKE 'idle in transaction%'",
    );
    let mut found = 0;
    for _ in 0..50 {
        found = app
            .database
            .db
            .query_all_raw(open.clone())
            .await
            .unwrap()
            .len();
        if found == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    found
}
