//! A query answers from one moment of the database: its statements share one snapshot, so
//! a write that commits between two of them (here, between a goals page and its
//! milestones) shows in none of the answer, never in half of it. PostgreSQL only: there a
//! lock held from outside can stop the query between its two statements; SQLite readers
//! never wait, so no test can put a write between them.
use std::time::Duration;

use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};
use serde_json::json;
use tests::{Backend, TestApp};

tests::testkit::postgres_half! {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_write_between_a_querys_statements_shows_in_none_of_its_answer() {
        let app = TestApp::spawn(Backend::Postgres).await;
        let user = app.member("snapshot@example.com").await;
        let created = app
            .graphql_as(
                &user.access_token,
                "mutation { createGoal(input: {title: \"Run a marathon\"}) { goal { id } } }",
                json!({}),
            )
            .await
            .assert_ok()
            .clone();
        let goal = created["createGoal"]["goal"]["id"].clone();
        app.graphql_as(
            &user.access_token,
            "mutation($g: UUID!) { addMilestone(input: {goalId: $g, title: \"Buy shoes\"}) { milestone { id } } }",
            json!({ "g": goal }),
        )
        .await
        .assert_ok();

        // Milestones are held from outside: the query reads its page of goals, then waits.
        let outside = app.database.db.begin().await.unwrap();
        outside
            .execute_unprepared("LOCK TABLE goal_milestones IN ACCESS EXCLUSIVE MODE")
            .await
            .unwrap();
        let reading = app.graphql_as(
            &user.access_token,
            "{ viewer { goals(first: 5) { nodes { title milestones { title } } } } }",
            json!({}),
        );
        let write_while_it_waits = async {
            wait_for_a_lock_wait(&app).await;
            outside
                .execute_unprepared(
                    "UPDATE goals SET title = 'Run two marathons'; \
                     UPDATE goal_milestones SET title = 'Buy better shoes'",
                )
                .await
                .unwrap();
            outside.commit().await.unwrap();
        };
        let (response, ()) = tokio::join!(reading, write_while_it_waits);
        let data = response.assert_ok();
        assert_eq!(
            data["viewer"]["goals"]["nodes"],
            json!([{ "title": "Run a marathon", "milestones": [{ "title": "Buy shoes" }] }]),
            "the goal and its milestones as they were when the query began"
        );

        let after = app
            .graphql_as(
                &user.access_token,
                "{ viewer { goals(first: 5) { nodes { title milestones { title } } } } }",
                json!({}),
            )
            .await
            .assert_ok()
            .clone();
        assert_eq!(
            after["viewer"]["goals"]["nodes"],
            json!([{ "title": "Run two marathons", "milestones": [{ "title": "Buy better shoes" }] }]),
            "the next query sees the write"
        );
    }
}

/// Waits until one of the app's statements waits on a lock (at most five seconds).
async fn wait_for_a_lock_wait(app: &TestApp) {
    let waiting = Statement::from_string(
        DbBackend::Postgres,
        "SELECT pid FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid() \
         AND wait_event_type = 'Lock'",
    );
    for _ in 0..250 {
        let found = app
            .database
            .db
            .query_all_raw(waiting.clone())
            .await
            .unwrap();
        if !found.is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the query never waited on the milestones' lock");
}
