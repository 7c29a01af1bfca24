//! The admin catalog: entitlements, validation, retire / reinstate / delete, the seeds, and
//! reward edits that apply from each holder's next period.
use serde_json::{Value, json};
use tests::{Member, api_test, date};

use super::support::{
    CLAIMED, accept, complete_habit, create_quest, habit, ledger_agrees, on_quest, quest, quests,
};

api_test!(
    async fn the_catalog_is_seeded_and_kept_by_admins_only(app: TestApp) {
        let admin = app.admin().await;
        let member = Member::join(&app, "plain@example.com", "UTC", date(2026, 3, 2)).await;
        let seeded = quests(&member).await;
        assert!(seeded.len() >= 12, "a starting catalog: {}", seeded.len());
        assert!(
            seeded
                .iter()
                .all(|q| q["status"] == "AVAILABLE" && q["source"] == "CATALOG")
        );
        for period in ["DAILY", "WEEKLY", "MONTHLY", "ONE_TIME"] {
            assert!(
                seeded.iter().any(|q| q["period"] == period),
                "{period} seeded"
            );
        }

        let id = create_quest(
            &app,
            &admin,
            json!({
                "title": "Read", "period": "DAILY", "targetType": "FOCUS_SESSIONS", "target": 2,
                "targetConfig": {"minSessionMinutes": 25}, "xpReward": 20, "coinReward": 4
            }),
        )
        .await;
        let input = json!({"title": "x", "period": "DAILY", "targetType": "XP_EARNED"});
        let forbidden = [
            member.gql("mutation($i: CreateQuestInput!) { createQuest(input: $i) { quest { id } } }", json!({"i": input})).await,
            member.gql("mutation($id: UUID!) { updateQuest(input: {questId: $id, title: \"y\"}) { quest { id } } }", json!({"id": id})).await,
            on_quest(&member, "retireQuest", &id, "quest { id }").await,
            on_quest(&member, "reinstateQuest", &id, "quest { id }").await,
            on_quest(&member, "deleteQuest", &id, "deletedQuestId").await,
        ];
        for response in forbidden {
            assert_eq!(response.error().0, "FORBIDDEN", "{}", response.body);
        }

        let bad = app.graphql_as(&admin.access_token,
            "mutation($i: CreateQuestInput!) { createQuest(input: $i) { quest { id } } }",
            json!({"i": {"title": "Bad", "period": "DAILY", "targetType": "GOALS_COMPLETED", "targetConfig": {"minSessionMinutes": 5}}})).await;
        assert_eq!(
            bad.error(),
            (
                "BAD_USER_INPUT".into(),
                None,
                Some("targetConfig.minSessionMinutes".into())
            )
        );

        accept(&member, &id).await;
        let retire = app.graphql_as(&admin.access_token,
            "mutation($id: UUID!) { retireQuest(input: {questId: $id}) { quest { isActive } } }", json!({"id": id})).await;
        assert_eq!(
            retire.assert_ok()["retireQuest"]["quest"]["isActive"],
            false
        );
        let held = quest(&member, &id).await;
        assert_eq!(
            (&held["status"], &held["isRetired"]),
            (&json!("ACTIVE"), &json!(true)),
            "a holder finishes the period"
        );

        let newcomer = Member::join(&app, "late@example.com", "UTC", date(2026, 3, 2)).await;
        assert!(
            quests(&newcomer).await.iter().all(|q| q["id"] != id),
            "hidden from the catalog"
        );
        let refused = on_quest(&newcomer, "acceptQuest", &id, "quest { id }").await;
        assert_eq!(refused.error().1.as_deref(), Some("QUEST_RETIRED"));

        let in_use = app
            .graphql_as(
                &admin.access_token,
                "mutation($id: UUID!) { deleteQuest(input: {questId: $id}) { deletedQuestId } }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(
            in_use.error(),
            ("CONFLICT".into(), Some("QUEST_IN_USE".into()), None)
        );

        app.graphql_as(
            &admin.access_token,
            "mutation($id: UUID!) { reinstateQuest(input: {questId: $id}) { quest { isActive } } }",
            json!({"id": id}),
        )
        .await
        .assert_ok();
        assert_eq!(accept(&newcomer, &id).await["status"], "ACTIVE");

        let unused = create_quest(
            &app,
            &admin,
            json!({"title": "Spare", "period": "WEEKLY", "targetType": "ACTIVE_DAYS", "target": 3}),
        )
        .await;
        let deleted = app
            .graphql_as(
                &admin.access_token,
                "mutation($id: UUID!) { deleteQuest(input: {questId: $id}) { deletedQuestId } }",
                json!({"id": unused}),
            )
            .await;
        assert_eq!(
            deleted.assert_ok()["deleteQuest"]["deletedQuestId"],
            unused.as_str()
        );
        let retired = app.audit_events_of("quest_retired").await;
        let details = retired
            .first()
            .and_then(|e| e.details.clone())
            .expect("the retirement audited");
        assert_eq!(
            (
                &details["before"]["isActive"],
                &details["after"]["isActive"]
            ),
            (&json!(true), &json!(false))
        );
    }
);

api_test!(
    async fn a_reward_edit_applies_from_each_holders_next_period(app: TestApp) {
        let admin = app.admin().await;
        let id = create_quest(
            &app,
            &admin,
            json!({
                "title": "One habit today", "period": "DAILY", "targetType": "HABIT_COMPLETIONS",
                "target": 1, "xpReward": 30, "coinReward": 7
            }),
        )
        .await;
        let mut holder = Member::join(&app, "holder@example.com", "UTC", date(2026, 3, 2)).await;
        let mut latecomer =
            Member::join(&app, "latecomer@example.com", "UTC", date(2026, 3, 2)).await;
        accept(&holder, &id).await;
        holder.at(date(2026, 3, 2), 12, 30).await;
        let edit = "mutation($id: UUID!) { updateQuest(input: {questId: $id, xpReward: 90, coinReward: 20}) { quest { xpReward coinReward } } }";
        let admin = app.admin().await;
        app.graphql_as(&admin.access_token, edit, json!({ "id": id }))
            .await
            .assert_ok();
        latecomer.at(date(2026, 3, 2), 13, 0).await;
        holder.at(date(2026, 3, 2), 13, 0).await;
        accept(&latecomer, &id).await;
        let terms = |q: Value| (q["xpReward"].clone(), q["coinReward"].clone());
        assert_eq!(
            terms(quest(&holder, &id).await),
            (json!(30), json!(7)),
            "this period keeps its terms"
        );
        assert_eq!(
            terms(quest(&latecomer, &id).await),
            (json!(90), json!(20)),
            "accepted after the edit"
        );

        let stretch = habit(&holder).await;
        complete_habit(&holder, &stretch).await;
        let claimed = on_quest(&holder, "claimQuest", &id, CLAIMED).await;
        assert_eq!(
            (
                claimed.assert_ok()["claimQuest"]["xpAwarded"].clone(),
                claimed.assert_ok()["claimQuest"]["coinsAwarded"].clone()
            ),
            (json!(30), json!(7))
        );

        holder.at(date(2026, 3, 3), 8, 0).await;
        assert_eq!(
            terms(quest(&holder, &id).await),
            (json!(90), json!(20)),
            "the next period pays the new terms"
        );
        complete_habit(&holder, &stretch).await;
        let next = on_quest(&holder, "claimQuest", &id, CLAIMED).await;
        assert_eq!(next.assert_ok()["claimQuest"]["coinsAwarded"], 20);
        ledger_agrees(&holder, "quest").await;
    }
);
