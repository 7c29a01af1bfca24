//! Milestones through the API: progress follows the share done (by hand while a goal has
//! none), completing pays once for what stands done, edits and reorders keep to the goal.
use serde_json::json;
use tests::{Member, api_test, date};

use super::{GOAL, add_milestone, create_goal, delta, milestone_move};

api_test!(
    async fn milestones_drive_progress_and_pay_once_for_what_stands_done(app: TestApp) {
        let member = Member::join(&app, "steps@example.com", "UTC", date(2026, 3, 2)).await;
        let goal = create_goal(&member, json!({ "title": "Write a book", "progress": 20 })).await;
        assert_eq!(goal["progress"], 20, "by hand while it has no milestones");
        let first = add_milestone(&member, &goal, "Outline").await;
        assert_eq!(
            first["goal"]["progress"], 0,
            "now the share of milestones done"
        );
        let second = add_milestone(&member, &goal, "Draft").await;
        let third = add_milestone(&member, &goal, "Edit").await;
        assert_eq!(third["milestone"]["sortOrder"], 2);
        let by_hand = member
            .gql("mutation($id: UUID!) { updateGoal(input: {goalId: $id, progress: 50}) { goal { progress } } }", json!({ "id": goal["id"] }))
            .await;
        assert_eq!(by_hand.error().2.as_deref(), Some("progress"));

        // The first milestone ever earns an achievement too; count from after it.
        milestone_move(&member, "completeMilestone", &first["milestone"])
            .await
            .assert_ok();
        let before = member.balance().await;
        let done = milestone_move(&member, "completeMilestone", &second["milestone"]).await;
        assert_eq!(
            done.assert_ok()["completeMilestone"]["goal"]["progress"],
            66
        );
        let paid = member.balance().await;
        assert_eq!(delta(paid, before), (10, 0));
        let retry = milestone_move(&member, "completeMilestone", &second["milestone"]).await;
        assert_eq!(
            retry.assert_ok()["completeMilestone"]["milestone"]["isCompleted"],
            true
        );
        assert_eq!(member.balance().await, paid, "a retry pays nothing");
        let undone = milestone_move(&member, "uncompleteMilestone", &second["milestone"]).await;
        let undone = undone.assert_ok()["uncompleteMilestone"].clone();
        assert_eq!(
            undone,
            json!({ "milestone": { "isCompleted": false, "completedAt": null }, "goal": { "progress": 33 } })
        );
        assert_eq!(member.balance().await, before);
        milestone_move(&member, "completeMilestone", &second["milestone"])
            .await
            .assert_ok();
        milestone_move(&member, "completeMilestone", &third["milestone"])
            .await
            .assert_ok();
        assert_eq!(
            delta(member.balance().await, before),
            (20, 0),
            "the net: one reward each"
        );

        let edited = member
            .ok("mutation($id: UUID!) { updateMilestone(input: {milestoneId: $id, title: \"Revise\", description: \"twice\"}) { milestone { title description } } }",
                json!({ "id": third["milestone"]["id"] }))
            .await;
        assert_eq!(
            edited["updateMilestone"]["milestone"],
            json!({ "title": "Revise", "description": "twice" })
        );
        let ids = [&third, &first, &second].map(|m| m["milestone"]["id"].clone());
        member
            .ok("mutation($g: UUID!, $ids: [UUID!]!) { reorderMilestones(input: {goalId: $g, milestoneIds: $ids}) { goal { id } } }",
                json!({ "g": goal["id"], "ids": ids }))
            .await;
        let read = format!("query($id: UUID!) {{ viewer {{ goal(id: $id) {{ {GOAL} }} }} }}");
        let stored = member.ok(&read, json!({ "id": goal["id"] })).await["viewer"]["goal"].clone();
        let titles: Vec<&str> = stored["milestones"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["title"].as_str().unwrap())
            .collect();
        assert_eq!(titles, ["Revise", "Outline", "Draft"]);
        assert_eq!(stored["progress"], 100);
        let deleted = member
            .ok("mutation($id: UUID!) { deleteMilestone(input: {milestoneId: $id}) { deletedMilestoneId goal { progress } } }",
                json!({ "id": first["milestone"]["id"] }))
            .await;
        assert_eq!(deleted["deleteMilestone"]["goal"]["progress"], 100);
        let other = create_goal(&member, json!({ "title": "Other" })).await;
        let foreign = member
            .gql("mutation($g: UUID!, $ids: [UUID!]!) { reorderMilestones(input: {goalId: $g, milestoneIds: $ids}) { goal { id } } }",
                json!({ "g": other["id"], "ids": [second["milestone"]["id"]] }))
            .await;
        assert_eq!(
            foreign.error().0,
            "NOT_FOUND",
            "a milestone of another goal"
        );
    }
);
