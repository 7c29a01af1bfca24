//! Reading habits: the connection with its filter and pages, completions in a range, the
//! heatmap, and relations that batch: the statements a query runs do not grow with the
//! number of habits.
use serde_json::{Value, json};
use tests::{Member, api_test, date};

use super::support::{complete, create, try_complete};

api_test!(
    async fn the_viewer_pages_through_habits_filtered_by_active(app: TestApp) {
        let member = Member::join(&app, "pager@example.com", "UTC", date(2026, 3, 2)).await;
        let mut ids = Vec::new();
        for name in ["A", "B", "C", "D"] {
            ids.push(create(&member, json!({ "name": name })).await);
        }
        member
            .ok(
                "mutation($id: UUID!) { archiveHabit(input: {habitId: $id}) { habit { id } } }",
                json!({ "id": ids[1] }),
            )
            .await;
        let page = "query($after: String, $active: Boolean) { viewer { habits(first: 2, after: $after, filter: {active: $active}) {
            totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } } }";
        let names = |data: &Value| -> Vec<String> {
            data["viewer"]["habits"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
                .collect()
        };
        let first = member.ok(page, json!({ "active": true })).await;
        assert_eq!(names(&first), ["A", "C"]);
        assert_eq!(first["viewer"]["habits"]["totalCount"], 3);
        let cursor = first["viewer"]["habits"]["pageInfo"]["endCursor"].clone();
        let second = member
            .ok(page, json!({ "active": true, "after": cursor }))
            .await;
        assert_eq!(names(&second), ["D"]);
        assert_eq!(second["viewer"]["habits"]["pageInfo"]["hasNextPage"], false);
        let archived = member.ok(page, json!({ "active": false })).await;
        assert_eq!(names(&archived), ["B"]);
        let forged = member.gql(page, json!({ "after": "bm9wZQ" })).await;
        assert_eq!(forged.error().2.as_deref(), Some("after"));
    }
);

api_test!(
    async fn completions_in_a_range_and_the_heatmap_count_by_local_date(app: TestApp) {
        let mut member = Member::join(
            &app,
            "heat@example.com",
            "Pacific/Auckland",
            date(2026, 3, 1),
        )
        .await;
        let water = create(&member, json!({ "name": "Water", "targetCount": 3 })).await;
        for (day, times) in [(1, 2), (2, 1), (4, 3)] {
            member.at(date(2026, 3, day), 9, 0).await;
            for _ in 0..times {
                complete(&member, &water).await;
            }
        }
        member.at(date(2026, 3, 5), 9, 0).await;
        let full = try_complete(&member, &water, json!({ "date": "2026-03-04" })).await;
        assert_eq!(full.error().1.as_deref(), Some("HABIT_TARGET_REACHED"));
        let query = "query($id: UUID!) { viewer {
            habitHeatmap(habitId: $id, from: \"2026-03-02\", to: \"2026-03-04\") { date count }
            all: habitHeatmap(habitId: $id) { date count }
            habit(id: $id) { completions(from: \"2026-03-01\", to: \"2026-03-02\") { completedDate }
                             recent: completions { completedDate } } } }";
        let data = member.ok(query, json!({ "id": water })).await;
        assert_eq!(
            data["viewer"]["habitHeatmap"],
            json!([{ "date": "2026-03-02", "count": 1 }, { "date": "2026-03-04", "count": 3 }])
        );
        assert_eq!(data["viewer"]["all"].as_array().unwrap().len(), 3);
        let dates: Vec<&str> = data["viewer"]["habit"]["completions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["completedDate"].as_str().unwrap())
            .collect();
        assert_eq!(dates, ["2026-03-01", "2026-03-01", "2026-03-02"]);
        assert_eq!(
            data["viewer"]["habit"]["recent"].as_array().unwrap().len(),
            6
        );
        let too_long = member
            .gql("query($id: UUID!) { viewer { habitHeatmap(habitId: $id, from: \"2025-01-01\") { date } } }", json!({ "id": water }))
            .await;
        assert_eq!(too_long.error().2.as_deref(), Some("from"));
    }
);

api_test!(
    async fn habit_and_goal_relations_resolve_in_batches_whatever_their_number(app: TestApp) {
        let member = Member::join(&app, "batch@example.com", "UTC", date(2026, 3, 2)).await;
        let query = "{ viewer {
            habits(first: 50) { totalCount edges { node { id name currentStreak dueToday completedToday progressThisPeriod
                completions { id completedDate } } } }
            goals(first: 50) { totalCount edges { node { id progress milestones { id title isCompleted } } } } } }";
        let add = |n: usize| {
            let member = &member;
            async move {
                for i in 0..n {
                    let habit = create(member, json!({ "name": format!("H{i}") })).await;
                    complete(member, &habit).await;
                    let goal = member
                        .ok("mutation($t: String!) { createGoal(input: {title: $t}) { goal { id } } }", json!({ "t": format!("G{i}") }))
                        .await["createGoal"]["goal"]["id"].clone();
                    for m in 0..2 {
                        member
                            .ok("mutation($g: UUID!, $t: String!) { addMilestone(input: {goalId: $g, title: $t}) { milestone { id } } }",
                                json!({ "g": goal, "t": format!("M{m}") }))
                            .await;
                    }
                }
            }
        };
        add(1).await;
        let (one, few) = app
            .graphql_counting_as(&member.user.access_token, query, json!({}))
            .await;
        one.assert_ok();
        add(5).await;
        let (six, many) = app
            .graphql_counting_as(&member.user.access_token, query, json!({}))
            .await;
        let data = six.assert_ok();
        assert_eq!(data["viewer"]["habits"]["totalCount"], 6);
        assert_eq!(
            data["viewer"]["goals"]["edges"][5]["node"]["milestones"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(few, many, "statements grow with depth, not rows");
    }
);

api_test!(
    async fn total_count_rides_in_the_page_statement_and_still_counts_past_the_last_page(
        app: TestApp,
    ) {
        let member = Member::join(&app, "total@example.com", "UTC", date(2026, 3, 2)).await;
        let none = member
            .ok("{ viewer { habits { totalCount } } }", json!({}))
            .await;
        assert_eq!(none["viewer"]["habits"]["totalCount"], 0);
        for name in ["A", "B", "C"] {
            create(&member, json!({ "name": name })).await;
        }
        let token = &member.user.access_token;
        let (bare, without) = app
            .graphql_counting_as(
                token,
                "{ viewer { habits(first: 2) { edges { node { id } } } } }",
                json!({}),
            )
            .await;
        bare.assert_ok();
        let page = "query($after: String) { viewer { habits(first: 2, after: $after) {
            totalCount pageInfo { endCursor } edges { node { id } } } } }";
        let (counted, with) = app.graphql_counting_as(token, page, json!({})).await;
        let first = counted.assert_ok();
        assert_eq!(first["viewer"]["habits"]["totalCount"], 3);
        assert_eq!(with, without, "totalCount costs no statement of its own");
        // Past the end: an empty page, and still the whole list's count.
        let mut after = first["viewer"]["habits"]["pageInfo"]["endCursor"].clone();
        let second = member.ok(page, json!({ "after": after })).await;
        after = second["viewer"]["habits"]["pageInfo"]["endCursor"].clone();
        let past = member.ok(page, json!({ "after": after })).await;
        assert_eq!(past["viewer"]["habits"]["edges"], json!([]));
        assert_eq!(past["viewer"]["habits"]["totalCount"], 3);
    }
);
