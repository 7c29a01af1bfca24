//! What the app's main reads cost in SQL statements, on both backends: the habits
//! dashboard (habits with their total, their live streak and today's standing, and their
//! last days of completions) and the goals list (goals with their milestones) each send
//! one statement per level of the query (the sign-in, the page, the relation), however
//! many rows; and the habits page's live fields, read in the page's own statement, agree
//! with the same habit read on its own.
use chrono::Days;
use serde_json::{Value, json};
use tests::{Member, TestApp, backend_test, date};

const DASHBOARD: &str = "query($from: Date!, $to: Date!, $first: Int) { viewer { habits(first: $first) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name currentStreak dueToday completedToday progressThisPeriod completions(from: $from, to: $to) { id completedDate } } } } } }";
const ONE: &str = "query($id: UUID!) { viewer { habit(id: $id) { id currentStreak dueToday completedToday progressThisPeriod } } }";
const GOALS: &str = "{ viewer { goals(first: 20) { edges { node { id title milestones { id title isCompleted } } } } } }";

async fn create(member: &Member<'_>, input: Value) -> String {
    let data = member
        .ok(
            "mutation($input: CreateHabitInput!) { createHabit(input: $input) { habit { id } } }",
            json!({ "input": input }),
        )
        .await;
    data["createHabit"]["habit"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn complete(member: &Member<'_>, habit: &str) {
    member
        .ok(
            "mutation($id: UUID!) { completeHabit(input: {habitId: $id}) { completion { id } } }",
            json!({ "id": habit }),
        )
        .await;
}

backend_test!(
    async fn the_dashboard_and_the_goals_list_send_one_statement_per_level(backend: Backend) {
        let app = TestApp::spawn_without_sign_in_limits(backend).await;
        // A Monday; late evening in New York is already tomorrow in UTC, so a local date
        // taken from anything but the user's own settings would show.
        let start = date(2026, 3, 2);
        let mut member = Member::join(&app, "reads@example.com", "America/New_York", start).await;
        let kept = create(&member, json!({ "name": "Kept" })).await;
        let broken = create(&member, json!({ "name": "Broken" })).await;
        let weekly = create(
            &member,
            json!({ "name": "Weekly", "frequency": "WEEKLY", "targetCount": 2 }),
        )
        .await;
        let mut habits = vec![kept.clone(), broken.clone(), weekly.clone()];
        for n in 0..6 {
            habits.push(create(&member, json!({ "name": format!("Idle {n}") })).await);
        }
        for offset in 0..4 {
            member.at(start + Days::new(offset), 22, 30).await;
            complete(&member, &kept).await;
            if offset < 2 {
                complete(&member, &broken).await;
            }
        }
        complete(&member, &weekly).await;
        let today = start + Days::new(3);
        let from = today - Days::new(4);
        let vars = |first: i64| json!({ "from": from.to_string(), "to": today.to_string(), "first": first });

        let (few, few_sent) = member.counted(DASHBOARD, vars(2)).await;
        let (data, sent) = member.counted(DASHBOARD, vars(20)).await;
        assert_eq!(
            few["viewer"]["habits"]["edges"].as_array().map(Vec::len),
            Some(2)
        );
        assert!(
            sent <= 3 && few_sent == sent,
            "viewer → habits → completions: {few_sent} statements for 2 habits, {sent} for 9"
        );
        let page = &data["viewer"]["habits"];
        assert_eq!(page["totalCount"], 9);
        assert_eq!(page["pageInfo"]["hasNextPage"], false);
        let node = |id: &str| {
            page["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|edge| &edge["node"])
                .find(|node| node["id"] == id)
                .cloned()
                .unwrap()
        };
        let kept_node = node(&kept);
        assert_eq!(kept_node["currentStreak"], 4);
        assert_eq!(kept_node["completedToday"], true);
        assert_eq!(kept_node["dueToday"], false);
        assert_eq!(kept_node["completions"].as_array().map(Vec::len), Some(4));
        assert_eq!(node(&broken)["currentStreak"], 0, "two days missed");
        let weekly_node = node(&weekly);
        assert_eq!(weekly_node["progressThisPeriod"], 1);
        assert_eq!(weekly_node["dueToday"], true);
        for id in &habits {
            let alone = member.ok(ONE, json!({ "id": id })).await["viewer"]["habit"].clone();
            let listed = node(id);
            for field in [
                "currentStreak",
                "dueToday",
                "completedToday",
                "progressThisPeriod",
            ] {
                assert_eq!(
                    listed[field], alone[field],
                    "{field} of {id}: listed vs alone"
                );
            }
        }

        for (goal, milestones) in [("Ship", &["Draft", "Release"][..]), ("Learn", &["Start"])] {
            let id = member
                .ok(
                    "mutation($title: String!) { createGoal(input: {title: $title}) { goal { id } } }",
                    json!({ "title": goal }),
                )
                .await["createGoal"]["goal"]["id"]
                .clone();
            for title in milestones {
                member
                    .ok(
                        "mutation($goal: UUID!, $title: String!) { addMilestone(input: {goalId: $goal, title: $title}) { milestone { id } } }",
                        json!({ "goal": id, "title": title }),
                    )
                    .await;
            }
        }
        let (goals, sent) = member.counted(GOALS, json!({})).await;
        let edges = goals["viewer"]["goals"]["edges"]
            .as_array()
            .cloned()
            .unwrap();
        let milestones: usize = edges
            .iter()
            .map(|edge| edge["node"]["milestones"].as_array().map_or(0, Vec::len))
            .sum();
        assert_eq!((edges.len(), milestones), (2, 3));
        assert!(sent <= 3, "viewer → goals → milestones: {sent} statements");
    }
);

tests::testkit::postgres_half! {
    /// On this machine's loopback, with no `sslmode` in its URL, the server talks to
    /// PostgreSQL without TLS: a record each way per round trip that protects nothing there.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_loopback_database_is_spoken_to_without_tls() {
        use sea_orm::ConnectionTrait;
        let app = TestApp::spawn(tests::Backend::Postgres).await;
        app.graphql("{ __typename }").await.assert_ok();
        let name = app.database.postgres_name().unwrap().to_owned();
        let rows = app
            .app_db
            .query_all_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                // This statement's own connection (one of the request pool's) and the live
                // listener's; the test harness's connections are not the server's.
                format!(
                    "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
                     WHERE a.datname = '{name}' \
                       AND (a.pid = pg_backend_pid() OR a.application_name = 'live_listener')"
                ),
            ))
            .await
            .unwrap();
        let encrypted: Vec<bool> = rows.iter().map(|row| row.try_get("", "ssl").unwrap()).collect();
        assert_eq!(encrypted.len(), 2, "a request connection and the listener's");
        assert!(encrypted.iter().all(|ssl| !ssl), "{encrypted:?}");
    }
}
