//! Lazy resets: a completed daily quest left unclaimed is paid once at the next period,
//! also when two instances reset it at the same moment; `viewer.quests` runs the same
//! statements for 3 quests as for 15.
use serde_json::json;
use tests::{Backend, Member, TestApp, api_test, date};

use super::support::{QUEST, accept, complete_habit, create_quest, habit, ledger_agrees, quest};

async fn completed_and_left(app: &TestApp) -> (Member<'_>, String) {
    let admin = app.admin().await;
    let id = create_quest(
        app,
        &admin,
        json!({
            "title": "A habit a day", "period": "DAILY", "targetType": "HABIT_COMPLETIONS",
            "target": 1, "xpReward": 12, "coinReward": 3
        }),
    )
    .await;
    let member = Member::join(app, "left@example.com", "UTC", date(2026, 3, 2)).await;
    let habit = habit(&member).await;
    accept(&member, &id).await;
    complete_habit(&member, &habit).await;
    assert_eq!(quest(&member, &id).await["status"], "COMPLETED");
    (member, id)
}

api_test!(
    async fn a_completed_daily_quest_left_unclaimed_is_paid_once_at_the_next_period(app: TestApp) {
        let (mut member, id) = completed_and_left(&app).await;
        member.at(date(2026, 3, 3), 8, 0).await;
        let next = quest(&member, &id).await;
        assert_eq!(
            (&next["status"], &next["progress"], &next["timesCompleted"]),
            (&json!("ACTIVE"), &json!(0), &json!(1))
        );
        quest(&member, &id).await;
        assert_eq!(
            ledger_agrees(&member, "quest").await,
            vec![(12, 3)],
            "paid once, by the reset"
        );
    }
);

tests::testkit::postgres_half! {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn two_instances_resetting_at_once_pay_the_unclaimed_quest_once() {
        let app = TestApp::spawn(Backend::Postgres).await;
        let other = app.another_instance().await;
        let (mut member, id) = completed_and_left(&app).await;
        member.at(date(2026, 3, 3), 8, 0).await;
        let query = format!("{{ viewer {{ quests {{ {QUEST} }} }} }}");
        let token = member.user.access_token.clone();
        let reads = (0..6).map(|n| {
            let (instance, query, token) = (if n % 2 == 0 { &app } else { &other }, query.clone(), token.clone());
            async move { instance.graphql_as(&token, &query, json!({})).await }
        });
        for response in futures_util::future::join_all(reads).await {
            response.assert_ok();
        }
        assert_eq!(ledger_agrees(&member, "quest").await, vec![(12, 3)]);
        assert_eq!(quest(&member, &id).await["timesCompleted"], 1);
    }
}

api_test!(
    async fn viewer_quests_runs_as_many_statements_for_3_quests_as_for_15(app: TestApp) {
        let admin = app.admin().await;
        let member = Member::join(&app, "count@example.com", "UTC", date(2026, 3, 2)).await;
        let query = format!("{{ viewer {{ quests {{ {QUEST} }} }} }}");
        let mut counts = Vec::new();
        for total in [3, 15] {
            for n in counts.len() * 3..total {
                let id = create_quest(&app, &admin, json!({
                    "title": format!("Quest {n}"), "period": "DAILY", "targetType": "XP_EARNED", "target": 50
                })).await;
                accept(&member, &id).await;
                member.ok("mutation($t: String!) { createMyQuest(input: {title: $t}) { quest { id } } }", json!({"t": format!("Mine {n}")})).await;
            }
            let (response, statements) = app
                .graphql_counting_as(&member.user.access_token, &query, json!({}))
                .await;
            response.assert_ok();
            counts.push(statements);
        }
        assert_eq!(counts[0], counts[1], "statements per read: {counts:?}");
    }
);
