//! Goals and milestones through the API, on both backends: status moves and their
//! conflicts, progress from milestones or by hand, rewards paid through the engine and
//! taken back exactly on uncompleting (redo pays again, retries never), and that nobody
//! reaches another user's goal or milestone.

use serde_json::{Value, json};
use tests::{GqlResponse, Member, api_test, date};

#[path = "goals/milestones.rs"]
mod milestones;

const GOAL: &str = "id title description category targetDate status progress priority sortOrder startedAt completedAt milestones { id title description isCompleted completedAt sortOrder }";

async fn create_goal(member: &Member<'_>, input: Value) -> Value {
    let query = format!(
        "mutation($input: CreateGoalInput!) {{ createGoal(input: $input) {{ goal {{ {GOAL} }} }} }}"
    );
    member.ok(&query, json!({ "input": input })).await["createGoal"]["goal"].clone()
}

/// Runs a `(input: {goalId})` mutation such as `completeGoal`.
async fn goal_move(member: &Member<'_>, mutation: &str, goal: &Value) -> GqlResponse {
    let query = format!(
        "mutation($id: UUID!) {{ {mutation}(input: {{goalId: $id}}) {{ goal {{ {GOAL} }} }} }}"
    );
    member.gql(&query, json!({ "id": goal["id"] })).await
}

async fn add_milestone(member: &Member<'_>, goal: &Value, title: &str) -> Value {
    member
        .ok("mutation($g: UUID!, $t: String!) { addMilestone(input: {goalId: $g, title: $t}) { milestone { id title sortOrder } goal { progress } } }",
            json!({ "g": goal["id"], "t": title }))
        .await["addMilestone"]
        .clone()
}

/// Runs a `(input: {milestoneId})` mutation such as `completeMilestone`.
async fn milestone_move(member: &Member<'_>, mutation: &str, milestone: &Value) -> GqlResponse {
    let query = format!(
        "mutation($id: UUID!) {{ {mutation}(input: {{milestoneId: $id}}) {{ milestone {{ isCompleted completedAt }} goal {{ progress }} }} }}"
    );
    member.gql(&query, json!({ "id": milestone["id"] })).await
}

fn delta(after: (i64, i64), before: (i64, i64)) -> (i64, i64) {
    (after.0 - before.0, after.1 - before.1)
}

api_test!(
    async fn a_goal_pauses_resumes_completes_and_uncompleting_takes_the_reward_back_exactly(
        app: TestApp,
    ) {
        let member = Member::join(&app, "goals@example.com", "UTC", date(2026, 3, 2)).await;
        let warm_up = create_goal(&member, json!({ "title": "Warm up" })).await;
        goal_move(&member, "completeGoal", &warm_up)
            .await
            .assert_ok();
        let goal = create_goal(
            &member,
            json!({
                "title": " Marathon ", "description": "Sub 4h", "category": "health",
                "targetDate": "2026-10-04", "priority": 3
            }),
        )
        .await;
        assert_eq!(
            (
                &goal["title"],
                &goal["status"],
                &goal["progress"],
                &goal["sortOrder"],
                &goal["targetDate"]
            ),
            (
                &json!("Marathon"),
                &json!("ACTIVE"),
                &json!(0),
                &json!(1),
                &json!("2026-10-04")
            )
        );
        let paused = goal_move(&member, "pauseGoal", &goal).await;
        assert_eq!(paused.assert_ok()["pauseGoal"]["goal"]["status"], "PAUSED");
        let again = goal_move(&member, "pauseGoal", &goal).await;
        assert_eq!(
            again.assert_ok()["pauseGoal"]["goal"]["status"],
            "PAUSED",
            "a repeat changes nothing"
        );
        let resumed = goal_move(&member, "resumeGoal", &goal).await;
        assert_eq!(
            resumed.assert_ok()["resumeGoal"]["goal"]["status"],
            "ACTIVE"
        );

        let before = member.balance().await;
        let done = goal_move(&member, "completeGoal", &goal).await;
        let done = done.assert_ok()["completeGoal"]["goal"].clone();
        assert_eq!(done["status"], "COMPLETED");
        assert!(done["completedAt"].is_string());
        let paid = member.balance().await;
        // 50 XP and 10 coins (and any level achievement they reach).
        assert_eq!(member.ledger("goal").await, vec![(50, 10), (50, 10)]);
        assert!(delta(paid, before).0 >= 50);
        goal_move(&member, "completeGoal", &goal).await.assert_ok();
        assert_eq!(
            member.balance().await,
            paid,
            "completing again while completed pays nothing"
        );
        let conflict = goal_move(&member, "pauseGoal", &goal).await;
        assert_eq!(
            conflict.error(),
            ("CONFLICT".into(), Some("GOAL_COMPLETED".into()), None)
        );

        let reopened = goal_move(&member, "uncompleteGoal", &goal).await;
        let reopened = reopened.assert_ok()["uncompleteGoal"]["goal"].clone();
        assert_eq!(
            (reopened["status"].clone(), reopened["completedAt"].clone()),
            (json!("ACTIVE"), Value::Null)
        );
        let taken_back = member.balance().await;
        assert_eq!(delta(paid, taken_back), (50, 10), "taken back exactly");
        assert_eq!(member.ledger("reversal").await, vec![(-50, -10)]);
        goal_move(&member, "uncompleteGoal", &goal)
            .await
            .assert_ok();
        assert_eq!(
            member.balance().await,
            taken_back,
            "nothing more to take back"
        );
        goal_move(&member, "completeGoal", &goal).await.assert_ok();
        assert_eq!(member.balance().await, paid, "doing it again pays again");
        let feed = member
            .ok(
                "{ viewer { activity(filter: {eventType: \"goal_complete\"}) { totalCount } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            feed["viewer"]["activity"]["totalCount"], 2,
            "the warm-up and what stands"
        );

        let update = "mutation($input: UpdateGoalInput!) { updateGoal(input: $input) { goal { title category targetDate priority progress } } }";
        let updated = member
            .ok(update, json!({ "input": { "goalId": goal["id"], "category": null, "targetDate": null, "priority": 5, "progress": 40 } }))
            .await;
        assert_eq!(
            updated["updateGoal"]["goal"],
            json!({ "title": "Marathon", "category": null, "targetDate": null, "priority": 5, "progress": 40 })
        );
        for (input, field) in [
            (json!({ "title": " " }), "title"),
            (json!({ "priority": 11 }), "priority"),
            (json!({ "progress": 101 }), "progress"),
        ] {
            let mut input = input;
            input["goalId"] = goal["id"].clone();
            let response = member.gql(update, json!({ "input": input })).await;
            assert_eq!(
                response.error(),
                ("BAD_USER_INPUT".into(), None, Some(field.into()))
            );
        }
        let deleted = member
            .ok(
                "mutation($id: UUID!) { deleteGoal(input: {goalId: $id}) { deletedGoalId } }",
                json!({ "id": goal["id"] }),
            )
            .await;
        assert_eq!(deleted["deleteGoal"]["deletedGoalId"], goal["id"]);
        assert_eq!(member.balance().await, paid, "deleting is not undoing");
        let listed = member
            .ok("{ viewer { goals { totalCount } } }", json!({}))
            .await;
        assert_eq!(listed["viewer"]["goals"]["totalCount"], 1);
    }
);

api_test!(
    async fn nobody_reaches_another_users_goal_or_milestone(app: TestApp) {
        let owner = Member::join(&app, "owner@example.com", "UTC", date(2026, 3, 2)).await;
        let stranger = Member::join(&app, "stranger@example.com", "UTC", date(2026, 3, 2)).await;
        let goal = create_goal(&owner, json!({ "title": "Private" })).await;
        let milestone = add_milestone(&owner, &goal, "Step").await["milestone"].clone();
        let read = format!("query($id: UUID!) {{ viewer {{ goal(id: $id) {{ {GOAL} }} }} }}");
        assert_eq!(
            stranger
                .gql(&read, json!({ "id": goal["id"] }))
                .await
                .error()
                .0,
            "NOT_FOUND"
        );
        for mutation in ["pauseGoal", "resumeGoal", "completeGoal", "uncompleteGoal"] {
            assert_eq!(
                goal_move(&stranger, mutation, &goal).await.error().0,
                "NOT_FOUND",
                "{mutation}"
            );
        }
        for mutation in ["completeMilestone", "uncompleteMilestone"] {
            assert_eq!(
                milestone_move(&stranger, mutation, &milestone)
                    .await
                    .error()
                    .0,
                "NOT_FOUND",
                "{mutation}"
            );
        }
        let vars = json!({ "g": goal["id"], "m": milestone["id"] });
        for (what, mutation) in [
            (
                "update",
                "mutation($g: UUID!) { updateGoal(input: {goalId: $g, title: \"Mine\"}) { goal { id } } }",
            ),
            (
                "delete",
                "mutation($g: UUID!) { deleteGoal(input: {goalId: $g}) { deletedGoalId } }",
            ),
            (
                "reorder",
                "mutation($g: UUID!) { reorderGoals(input: {goalIds: [$g]}) { goals { id } } }",
            ),
            (
                "add",
                "mutation($g: UUID!) { addMilestone(input: {goalId: $g, title: \"Mine\"}) { milestone { id } } }",
            ),
            (
                "edit",
                "mutation($m: UUID!) { updateMilestone(input: {milestoneId: $m, title: \"Mine\"}) { milestone { id } } }",
            ),
            (
                "delete milestone",
                "mutation($m: UUID!) { deleteMilestone(input: {milestoneId: $m}) { deletedMilestoneId } }",
            ),
            (
                "reorder milestones",
                "mutation($g: UUID!, $m: UUID!) { reorderMilestones(input: {goalId: $g, milestoneIds: [$m]}) { goal { id } } }",
            ),
        ] {
            assert_eq!(
                stranger.gql(mutation, vars.clone()).await.error().0,
                "NOT_FOUND",
                "{what}"
            );
        }
        let listed = stranger
            .ok("{ viewer { goals { totalCount } } }", json!({}))
            .await;
        assert_eq!(listed["viewer"]["goals"]["totalCount"], 0);
        let mine = owner.ok(&read, json!({ "id": goal["id"] })).await["viewer"]["goal"].clone();
        assert_eq!(
            (
                mine["title"].clone(),
                mine["status"].clone(),
                mine["milestones"][0]["title"].clone()
            ),
            (json!("Private"), json!("ACTIVE"), json!("Step"))
        );
    }
);

api_test!(
    async fn goals_list_in_the_viewers_order_filtered_by_status(app: TestApp) {
        let member = Member::join(&app, "list@example.com", "UTC", date(2026, 3, 2)).await;
        let mut goals = Vec::new();
        for title in ["A", "B", "C"] {
            goals.push(create_goal(&member, json!({ "title": title })).await);
        }
        goal_move(&member, "pauseGoal", &goals[1]).await.assert_ok();
        let ids: Vec<Value> = [2, 0, 1].iter().map(|i| goals[*i]["id"].clone()).collect();
        member
            .ok("mutation($ids: [UUID!]!) { reorderGoals(input: {goalIds: $ids}) { goals { id } } }", json!({ "ids": ids }))
            .await;
        let list = "query($s: GoalStatus) { viewer { goals(filter: {status: $s}) { edges { node { title } } } } }";
        let titles = |data: Value| -> Vec<String> {
            data["viewer"]["goals"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"]["title"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(titles(member.ok(list, json!({})).await), ["C", "A", "B"]);
        assert_eq!(
            titles(member.ok(list, json!({ "s": "ACTIVE" })).await),
            ["C", "A"]
        );
        assert_eq!(
            titles(member.ok(list, json!({ "s": "PAUSED" })).await),
            ["B"]
        );
    }
);
