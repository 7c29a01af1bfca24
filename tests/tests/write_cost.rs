//! What the paying writes of the other areas cost in SQL statements, on both backends:
//! completing a focus session, a goal milestone and claiming a quest each send a bounded
//! number whatever came before (measured after the user's first of each, so no first-time
//! achievement is paid inside the measured call).

use chrono::Duration;
use schema::domain::clock::Clock;
use serde_json::{Value, json};
use tests::{Member, TestApp, backend_test, date};

/// What one paying write may send (habits have their own check).
const WRITE_BOUND: u64 = 12;

async fn focus_session(member: &mut Member<'_>) -> (Value, u64) {
    member
        .ok(
            "mutation { startFocusSession(input: {mode: WORK, durationSeconds: 1500}) { session { id } } }",
            json!({}),
        )
        .await;
    let later = member.app.clock.now() + Duration::seconds(1_501);
    member.app.travel(&mut member.user, later).await;
    member.counted(
        "mutation { completeFocusSession { session { id xpAwarded } reward { xp coins stars } } }",
        json!({}),
    )
    .await
}

backend_test!(
    async fn focus_milestones_and_quest_claims_send_a_bounded_number_of_statements(
        backend: Backend,
    ) {
        let app = TestApp::spawn_without_sign_in_limits(backend).await;
        let mut member =
            Member::join(&app, "costs@example.com", "Asia/Tokyo", date(2026, 5, 4)).await;
        let mut sent = Vec::new();

        focus_session(&mut member).await;
        let (data, n) = focus_session(&mut member).await;
        assert_eq!(data["completeFocusSession"]["reward"]["xp"], 25);
        sent.push(("completeFocusSession", n, WRITE_BOUND));

        let goal = member
            .ok(
                "mutation { createGoal(input: {title: \"Ship\"}) { goal { id } } }",
                json!({}),
            )
            .await["createGoal"]["goal"]["id"]
            .clone();
        let mut milestones = Vec::new();
        for title in ["Draft", "Review", "Release"] {
            let added = member
                .ok(
                    "mutation($g: UUID!, $t: String!) { addMilestone(input: {goalId: $g, title: $t}) { milestone { id } } }",
                    json!({ "g": goal, "t": title }),
                )
                .await;
            milestones.push(added["addMilestone"]["milestone"]["id"].clone());
        }
        let complete = "mutation($id: UUID!) { completeMilestone(input: {milestoneId: $id}) { milestone { isCompleted } goal { progress } reward { xp } } }";
        member.ok(complete, json!({ "id": milestones[0] })).await;
        let (data, n) = member
            .counted(complete, json!({ "id": milestones[1] }))
            .await;
        assert_eq!(data["completeMilestone"]["reward"]["xp"], 10);
        sent.push(("completeMilestone", n, WRITE_BOUND));

        let admin = app.admin().await;
        let quest = app
            .graphql_as(
                &admin.access_token,
                "mutation($input: CreateQuestInput!) { createQuest(input: $input) { quest { id } } }",
                json!({ "input": {
                    "title": "One habit a day", "period": "DAILY", "targetType": "HABIT_COMPLETIONS",
                    "target": 1, "xpReward": 30, "coinReward": 7
                } }),
            )
            .await
            .assert_ok()["createQuest"]["quest"]["id"]
            .clone();
        member
            .ok(
                "mutation($id: UUID!) { acceptQuest(input: {questId: $id}) { quest { id } } }",
                json!({ "id": quest }),
            )
            .await;
        let habit = member
            .ok(
                "mutation { createHabit(input: {name: \"Walk\"}) { habit { id } } }",
                json!({}),
            )
            .await["createHabit"]["habit"]["id"]
            .clone();
        let claim = "mutation($id: UUID!) { claimQuest(input: {questId: $id}) { xpAwarded coinsAwarded quest { status } } }";
        let complete_habit =
            "mutation($h: UUID!) { completeHabit(input: {habitId: $h}) { completion { id } } }";
        for day in [5, 6] {
            member.at(date(2026, 5, day), 10, 0).await;
            member.ok(complete_habit, json!({ "h": habit })).await;
            let (data, n) = member.counted(claim, json!({ "id": quest })).await;
            assert_eq!(data["claimQuest"]["xpAwarded"], 30);
            if day == 6 {
                sent.push(("claimQuest", n, WRITE_BOUND));
            }
        }
        eprintln!("statements per write ({backend:?}): {sent:?}");
        for (what, n, bound) in sent {
            assert!(n <= bound, "{what}: {n} statements");
        }
    }
);
