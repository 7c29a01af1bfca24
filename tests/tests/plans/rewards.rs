//! What planning pays, once per local date: three items pay 5 XP and a `planning` star,
//! finishing them 10 XP; removing and re-adding pays nothing more. A habit, goal or
//! milestone linked from an item is completed (and paid) through its own area, and
//! uncompleting the item undoes exactly that.
use serde_json::json;
use tests::{Member, api_test, date};

use super::support::{add, goal, habit, item, plan};

async fn planning_stars(member: &Member<'_>) -> i64 {
    let data = member
        .ok("{ viewer { skills { key totalStars } } }", json!({}))
        .await;
    data["viewer"]["skills"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "planning")
        .map(|s| s["totalStars"].as_i64().unwrap())
        .expect("the planning skill")
}

api_test!(
    async fn a_planned_day_pays_once_and_finishing_it_pays_once(app: TestApp) {
        let member = Member::join(&app, "planner@example.com", "UTC", date(2026, 7, 1)).await;
        let mut ids = Vec::new();
        for (n, title) in ["One", "Two"].iter().enumerate() {
            ids.push(add(&member, json!(null), title).await["item"]["id"].clone());
            assert_eq!(
                member.ledger("plan").await.len(),
                0,
                "{} item(s) pay nothing",
                n + 1
            );
        }
        ids.push(add(&member, json!(null), "Three").await["item"]["id"].clone());
        assert_eq!(member.ledger("plan").await, [(5, 0)]);
        assert_eq!(planning_stars(&member).await, 1);
        // Removing one and adding it again pays nothing more, and takes nothing back.
        item(&member, "removePlanItem", json!({ "itemId": ids[2] })).await;
        assert_eq!(member.ledger("plan").await, [(5, 0)]);
        ids[2] = add(&member, json!(null), "Three again").await["item"]["id"].clone();
        assert_eq!(member.ledger("plan").await, [(5, 0)]);
        for id in &ids[..2] {
            item(&member, "completePlanItem", json!({ "itemId": id })).await;
        }
        assert_eq!(member.ledger("plan").await.len(), 1, "not finished yet");
        let done = item(&member, "completePlanItem", json!({ "itemId": ids[2] })).await;
        assert_eq!(done["plan"]["doneCount"], 3);
        assert_eq!(member.ledger("plan").await, [(10, 0), (5, 0)]);
        item(&member, "uncompletePlanItem", json!({ "itemId": ids[2] })).await;
        item(&member, "completePlanItem", json!({ "itemId": ids[2] })).await;
        assert_eq!(
            member.ledger("plan").await.len(),
            2,
            "finishing pays once per date"
        );
        let events = member
            .ok(
                "{ viewer { activity(first: 20) { edges { node { eventType xpEarned } } } } }",
                json!({}),
            )
            .await;
        let kinds: Vec<_> = events["viewer"]["activity"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["eventType"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(kinds, ["plan_finished", "plan_created"]);
        // A far-off date pays nothing.
        for title in ["A", "B", "C"] {
            add(&member, json!("2026-09-01"), title).await;
        }
        assert_eq!(member.ledger("plan").await.len(), 2);
    }
);

api_test!(
    async fn a_linked_habit_is_completed_through_habits_and_undone_with_the_item(app: TestApp) {
        let member = Member::join(&app, "linked@example.com", "UTC", date(2026, 7, 1)).await;
        let read = habit(&member, "Read").await;
        let id = item(
            &member,
            "addPlanItem",
            json!({ "kind": "HABIT", "title": "Read", "ref": { "habitId": read } }),
        )
        .await["item"]["id"]
            .clone();
        let query =
            "query($h: UUID!) { viewer { habit(id: $h) { completedToday progressThisPeriod } } }";
        item(&member, "completePlanItem", json!({ "itemId": id })).await;
        let h = member.ok(query, json!({ "h": read })).await;
        assert_eq!(h["viewer"]["habit"]["completedToday"], true);
        assert_eq!(member.ledger("habit").await, [(5, 1)]);
        let undone = item(&member, "uncompletePlanItem", json!({ "itemId": id })).await;
        assert_eq!(undone["item"]["done"], false);
        let h = member.ok(query, json!({ "h": read })).await;
        assert_eq!(h["viewer"]["habit"]["completedToday"], false);
        assert_eq!(member.ledger("reversal").await, [(-5, -1)]);
        item(&member, "completePlanItem", json!({ "itemId": id })).await;
        assert_eq!(
            member.ledger("habit").await.len(),
            2,
            "done again pays again"
        );
        let habit_rows = member.ledger("habit").await;
        let reversals = member.ledger("reversal").await;
        let net: i64 = habit_rows.iter().chain(&reversals).map(|(xp, _)| xp).sum();
        assert_eq!(net, 5, "net: one reward for what stands done");
        // Done elsewhere first: the item is done, the habit is not logged twice.
        let walk = habit(&member, "Walk").await;
        member
            .ok(
                "mutation($h: UUID!) { completeHabit(input: {habitId: $h}) { habit { id } } }",
                json!({ "h": walk }),
            )
            .await;
        let walk_item = item(
            &member,
            "addPlanItem",
            json!({ "kind": "HABIT", "title": "Walk", "ref": { "habitId": walk } }),
        )
        .await["item"]["id"]
            .clone();
        let done = item(&member, "completePlanItem", json!({ "itemId": walk_item })).await;
        assert_eq!(done["item"]["done"], true);
        item(
            &member,
            "uncompletePlanItem",
            json!({ "itemId": walk_item }),
        )
        .await;
        let h = member.ok(query, json!({ "h": walk })).await;
        assert_eq!(
            h["viewer"]["habit"]["completedToday"], true,
            "the user's own completion stays"
        );
    }
);

api_test!(
    async fn linked_goals_and_milestones_complete_and_reopen_with_the_item(app: TestApp) {
        let member = Member::join(&app, "goals@example.com", "UTC", date(2026, 7, 1)).await;
        let g = goal(&member, "Ship").await;
        let milestone = member
            .ok(
                "mutation($g: UUID!) { addMilestone(input: {goalId: $g, title: \"Draft\"}) { milestone { id } } }",
                json!({ "g": g }),
            )
            .await["addMilestone"]["milestone"]["id"]
            .clone();
        let m_item = item(
            &member,
            "addPlanItem",
            json!({ "kind": "MILESTONE", "title": "Draft", "ref": { "milestoneId": milestone } }),
        )
        .await["item"]["id"]
            .clone();
        let g_item = item(
            &member,
            "addPlanItem",
            json!({ "kind": "GOAL", "title": "Ship", "ref": { "goalId": g } }),
        )
        .await["item"]["id"]
            .clone();
        let query = "query($g: UUID!) { viewer { goal(id: $g) { status progress milestones { isCompleted } } } }";
        item(&member, "completePlanItem", json!({ "itemId": m_item })).await;
        let read = member.ok(query, json!({ "g": g })).await;
        assert_eq!(read["viewer"]["goal"]["milestones"][0]["isCompleted"], true);
        assert_eq!(member.ledger("milestone").await, [(10, 0)]);
        item(&member, "completePlanItem", json!({ "itemId": g_item })).await;
        let read = member.ok(query, json!({ "g": g })).await;
        assert_eq!(read["viewer"]["goal"]["status"], "COMPLETED");
        assert_eq!(member.ledger("goal").await, [(50, 10)]);
        item(&member, "uncompletePlanItem", json!({ "itemId": g_item })).await;
        item(&member, "uncompletePlanItem", json!({ "itemId": m_item })).await;
        let read = member.ok(query, json!({ "g": g })).await;
        assert_eq!(read["viewer"]["goal"]["status"], "ACTIVE");
        assert_eq!(
            read["viewer"]["goal"]["milestones"][0]["isCompleted"],
            false
        );
        assert_eq!(member.ledger("reversal").await, [(-10, 0), (-50, -10)]);
        assert_eq!(plan(&member, json!(null)).await["doneCount"], 0);
    }
);
