//! A query answers from one moment of the database, over HTTP and over a WebSocket: its
//! statements share one snapshot, so a write that commits between two of them (here,
//! between a goals page and its milestones) shows in none of the answer, never in half. PostgreSQL only: there a
//! lock held from outside can stop the query between its two statements; SQLite readers
//! never wait, so no test can put a write between them.
use std::time::Duration;

use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};
use serde_json::{Value, json};
use tests::{Backend, TestApp, WsClient};

const GOALS: &str = "{ viewer { goals(first: 5) { nodes { title milestones { title } } } } }";

tests::testkit::postgres_half! {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_write_between_a_querys_statements_shows_in_none_of_its_answer() {
        let app = TestApp::spawn(Backend::Postgres).await;
        let token = a_goal_with_a_milestone(&app).await;
        let reading = async {
            app.graphql_as(&token, GOALS, json!({})).await.assert_ok()["viewer"].clone()
        };
        let viewer = with_a_write_while_it_waits(&app, reading).await;
        assert_eq!(
            viewer["goals"]["nodes"],
            json!([{ "title": "Run a marathon", "milestones": [{ "title": "Buy shoes" }] }]),
            "the goal and its milestones as they were when the query began"
        );

        let after = app.graphql_as(&token, GOALS, json!({})).await.assert_ok().clone();
        assert_eq!(
            after["viewer"]["goals"]["nodes"],
            json!([{ "title": "Run two marathons", "milestones": [{ "title": "Buy better shoes" }] }]),
            "the next query sees the write"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_query_over_a_websocket_answers_from_one_moment_too() {
        let app = TestApp::spawn(Backend::Postgres).await;
        let token = a_goal_with_a_milestone(&app).await;
        let mut ws = WsClient::connect(&app, "graphql-transport-ws").await;
        ws.send(json!({
            "type": "connection_init",
            "payload": { "authorization": format!("Bearer {token}") },
        }))
        .await;
        assert_eq!(ws.receive().await["type"], "connection_ack");
        let reading = async {
            ws.send(json!({ "id": "1", "type": "subscribe", "payload": { "query": GOALS } }))
                .await;
            let next = ws.receive().await;
            assert_eq!(ws.receive().await["type"], "complete");
            next["payload"]["data"]["viewer"].clone()
        };
        let viewer = with_a_write_while_it_waits(&app, reading).await;
        assert_eq!(
            viewer["goals"]["nodes"],
            json!([{ "title": "Run a marathon", "milestones": [{ "title": "Buy shoes" }] }]),
            "the goal and its milestones as they were when the query began"
        );
    }
}

/// A member with the goal "Run a marathon" and its milestone "Buy shoes"; their token.
async fn a_goal_with_a_milestone(app: &TestApp) -> String {
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
    app.graphql_as(
        &user.access_token,
        "mutation($g: UUID!) { addMilestone(input: {goalId: $g, title: \"Buy shoes\"}) { milestone { id } } }",
        json!({ "g": created["createGoal"]["goal"]["id"] }),
    )
    .await
    .assert_ok();
    user.access_token
}

/// Runs `reading` (the goals and their milestones) while milestones are locked from
/// outside: the query reads its page of goals, then waits; the goal and the milestone are
/// renamed and committed; then the query goes on. What it read.
async fn with_a_write_while_it_waits(app: &TestApp, reading: impl Future<Output = Value>) -> Value {
    let outside = app.database.db.begin().await.unwrap();
    outside
        .execute_unprepared("LOCK TABLE goal_milestones IN ACCESS EXCLUSIVE MODE")
        .await
        .unwrap();
    let write_while_it_waits = async {
        wait_for_a_lock_wait(app).await;
        outside
            .execute_unprepared(
                "UPDATE goals SET title = 'Run two marathons'; \
                 UPDATE goal_milestones SET title = 'Buy better shoes'",
            )
            .await
            .unwrap();
        outside.commit().await.unwrap();
    };
    let (read, ()) = tokio::join!(reading, write_while_it_waits);
    read
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
