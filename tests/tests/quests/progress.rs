//! Progress from real actions on the user's calendar, claims that pay once under
//! concurrency, and undo taking a claim back.
use serde_json::{Value, json};
use tests::{Member, TestApp, api_test, date, local};

use super::support::{
    CLAIMED, accept, complete_habit, create_quest, habit, ledger_agrees, on_quest, quest,
};

/// A weekly FOCUS_MINUTES 100 quest accepted on a Wednesday: four 25-minute sessions
/// complete it, 20 concurrent claims pay once, and it resets at the next local Monday at
/// the day-start hour, once, across the week's DST change.
async fn a_week_of_focus(
    app: TestApp,
    zone: &str,
    day_start: u32,
    wednesday: chrono::NaiveDate,
    monday: chrono::NaiveDate,
) {
    let admin = app.admin().await;
    let id = create_quest(
        &app,
        &admin,
        json!({
            "title": "Focus 100 this week", "period": "WEEKLY", "targetType": "FOCUS_MINUTES",
            "target": 100, "xpReward": 40, "coinReward": 9
        }),
    )
    .await;
    let mut member = Member::join(&app, "week@example.com", zone, wednesday).await;
    member.ok("mutation($h: Int!) { updateSettings(input: {dayStartHour: $h}) { settings { dayStartHour } } }", json!({"h": day_start})).await;
    member.at(wednesday, 9, 0).await;
    let accepted = accept(&member, &id).await;
    assert_eq!(
        accepted["periodEndsAt"],
        json!(local(member.zone, monday, day_start, 0).to_rfc3339())
    );
    for n in 1..=4 {
        app.focus_for(&mut member.user, 25).await;
        let standing = quest(&member, &id).await;
        assert_eq!(standing["progress"], json!(25 * n));
    }
    assert_eq!(quest(&member, &id).await["status"], "COMPLETED");

    let (xp_before, coins_before) = member.balance().await;
    let claims = (0..20).map(|_| on_quest(&member, "claimQuest", &id, CLAIMED));
    let responses = futures_util::future::join_all(claims).await;
    let payloads: Vec<Value> = responses
        .iter()
        .map(|r| r.assert_ok()["claimQuest"].clone())
        .collect();
    assert_eq!(
        payloads.iter().filter(|p| p["repeated"] == false).count(),
        1,
        "one claim pays"
    );
    assert!(payloads.iter().all(|p| p["xpAwarded"] == 40
        && p["coinsAwarded"] == 9
        && p["quest"]["status"] == "CLAIMED"));
    // The first claim also earns the seeded `first_quest` achievement (10 XP, 5 coins).
    assert_eq!(
        member.balance().await,
        (xp_before + 40 + 10, coins_before + 9 + 5)
    );
    assert_eq!(member.ledger("achievement").await.first(), Some(&(10, 5)));
    assert_eq!(ledger_agrees(&member, "quest").await, vec![(40, 9)]);

    // The last minutes of the week (after the DST change): still this week's.
    let sunday = monday.pred_opt().unwrap();
    member.at(sunday, 23, 30).await;
    member
        .app
        .travel(
            &mut member.user,
            local(member.zone, monday, day_start, 0) - chrono::Duration::minutes(1),
        )
        .await;
    assert_eq!(quest(&member, &id).await["status"], "CLAIMED");
    member.at(monday, day_start, 0).await;
    let reset = quest(&member, &id).await;
    assert_eq!(
        (
            &reset["status"],
            &reset["progress"],
            &reset["timesCompleted"]
        ),
        (&json!("ACTIVE"), &json!(0), &json!(1))
    );
    member.at(monday, day_start + 5, 0).await;
    assert_eq!(
        quest(&member, &id).await["status"],
        "ACTIVE",
        "one reset a period"
    );
    assert_eq!(ledger_agrees(&member, "quest").await.len(), 1);
}

api_test!(
    async fn an_auckland_focus_week_completes_pays_once_and_resets_on_monday_across_dst(
        app: TestApp,
    ) {
        // NZDT ends on Sunday 5 April 2026.
        a_week_of_focus(
            app,
            "Pacific/Auckland",
            0,
            date(2026, 4, 1),
            date(2026, 4, 6),
        )
        .await;
    }
);

api_test!(
    async fn a_berlin_focus_week_resets_at_the_day_start_hour_across_dst(app: TestApp) {
        // CEST begins on Sunday 29 March 2026; the user's day starts at 04:00.
        a_week_of_focus(
            app,
            "Europe/Berlin",
            4,
            date(2026, 3, 25),
            date(2026, 3, 30),
        )
        .await;
    }
);

api_test!(
    async fn undoing_the_habit_that_completed_a_claimed_quest_reverses_the_claim(app: TestApp) {
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
        let member = Member::join(&app, "undo@example.com", "UTC", date(2026, 3, 2)).await;
        let habit = habit(&member).await;
        accept(&member, &id).await;
        let early = on_quest(&member, "claimQuest", &id, CLAIMED).await;
        assert_eq!(
            early.error(),
            ("CONFLICT".into(), Some("QUEST_NOT_COMPLETED".into()), None)
        );

        let completion = complete_habit(&member, &habit).await;
        assert_eq!(quest(&member, &id).await["status"], "COMPLETED");
        let claimed = on_quest(&member, "claimQuest", &id, CLAIMED).await;
        assert_eq!(claimed.assert_ok()["claimQuest"]["coinsAwarded"], 7);
        ledger_agrees(&member, "quest").await;

        member.ok("mutation($id: UUID!) { undoHabitCompletion(input: {completionId: $id}) { undoneCompletionId } }", json!({"id": completion})).await;
        let undone = quest(&member, &id).await;
        assert_eq!(
            (
                &undone["status"],
                &undone["progress"],
                &undone["timesCompleted"]
            ),
            (&json!("ACTIVE"), &json!(0), &json!(0))
        );
        assert!(
            ledger_agrees(&member, "reversal")
                .await
                .contains(&(-30, -7)),
            "the claim reversed"
        );
        let again = on_quest(&member, "claimQuest", &id, CLAIMED).await;
        assert_eq!(again.error().1.as_deref(), Some("QUEST_NOT_COMPLETED"));

        complete_habit(&member, &habit).await;
        let paid = on_quest(&member, "claimQuest", &id, CLAIMED).await;
        assert_eq!(
            paid.assert_ok()["claimQuest"]["repeated"],
            false,
            "done again, paid again"
        );
        assert_eq!(ledger_agrees(&member, "quest").await.len(), 2);
        let (_, coins) = member.balance().await;
        let net: i64 = ledger_agrees(&member, "quest")
            .await
            .iter()
            .map(|r| r.1)
            .sum::<i64>()
            - 7;
        assert_eq!(net, 7, "one reward for what stands done");
        assert!(coins >= 7);
    }
);
