//! Streaks by schedule through the API: a CUSTOM habit keeps its streak through days it is
//! not due (a week of them, for a once-a-week one) and loses it after a missed one; a
//! streak of seven pays its bonus once, an undo that breaks the period takes it back and a
//! redo pays it again; grace mends a streak; the user-level habit streak follows.
use serde_json::json;
use tests::{Member, api_test, date};

use super::support::{complete, create, habit, try_complete, undo};

api_test!(
    async fn a_custom_mon_wed_fri_habit_keeps_its_streak_through_unscheduled_days_and_loses_it_after_a_missed_wednesday(
        app: TestApp,
    ) {
        // Monday 2 March 2026, two weeks of Mondays, Wednesdays and Fridays.
        let mut member = Member::join(
            &app,
            "mwf@example.com",
            "America/New_York",
            date(2026, 3, 2),
        )
        .await;
        let lift = create(
            &member,
            json!({ "name": "Lift", "frequency": "CUSTOM", "customDays": [5, 1, 3] }),
        )
        .await;
        assert_eq!(habit(&member, &lift).await["customDays"], json!([1, 3, 5]));
        let mut expected = 0;
        for day in [2, 4, 6, 9, 11, 13] {
            member.at(date(2026, 3, day), 19, 0).await;
            expected += 1;
            assert_eq!(
                complete(&member, &lift).await["habit"]["currentStreak"],
                expected
            );
            // The days between (and the weekend) are no period: nothing breaks.
            member.at(date(2026, 3, day + 1), 21, 0).await;
            let between = habit(&member, &lift).await;
            assert_eq!(between["currentStreak"], expected, "the day after {day}");
            assert_eq!(between["dueToday"], false);
        }
        member.at(date(2026, 3, 15), 21, 0).await;
        assert_eq!(habit(&member, &lift).await["currentStreak"], 6, "Sunday");
        // Monday the 16th: the run has crossed the 8 March DST change untouched.
        member.at(date(2026, 3, 16), 7, 0).await;
        let monday = habit(&member, &lift).await;
        assert_eq!(
            (monday["currentStreak"].clone(), monday["dueToday"].clone()),
            (json!(6), json!(true))
        );
        complete(&member, &lift).await;
        // Wednesday 18th passes without it.
        member.at(date(2026, 3, 18), 23, 0).await;
        assert_eq!(
            habit(&member, &lift).await["currentStreak"],
            7,
            "Wednesday is not over"
        );
        member.at(date(2026, 3, 19), 9, 0).await;
        let thursday = habit(&member, &lift).await;
        assert_eq!(
            (
                thursday["currentStreak"].clone(),
                thursday["longestStreak"].clone()
            ),
            (json!(0), json!(7))
        );
        member.at(date(2026, 3, 20), 9, 0).await;
        assert_eq!(complete(&member, &lift).await["habit"]["currentStreak"], 1);
        assert_eq!(
            member.ledger("habit_streak").await,
            vec![(14, 0)],
            "the 7-period bonus, once"
        );
    }
);

api_test!(
    async fn a_once_a_week_custom_habit_keeps_its_streak_until_the_next_scheduled_day_ends(
        app: TestApp,
    ) {
        // Mondays only: on a Monday the last closed period is a week back (the list's own
        // read of today's fields must reach that far too).
        let mut member =
            Member::join(&app, "mondays@example.com", "Asia/Tokyo", date(2026, 3, 2)).await;
        let call = create(
            &member,
            json!({ "name": "Call home", "frequency": "CUSTOM", "customDays": [1] }),
        )
        .await;
        member.at(date(2026, 3, 2), 20, 0).await;
        assert_eq!(complete(&member, &call).await["habit"]["currentStreak"], 1);
        member.at(date(2026, 3, 9), 7, 0).await;
        let next_monday = habit(&member, &call).await;
        assert_eq!(
            (
                next_monday["currentStreak"].clone(),
                next_monday["dueToday"].clone()
            ),
            (json!(1), json!(true)),
            "last Monday's run is alive until this Monday ends"
        );
        member.at(date(2026, 3, 10), 7, 0).await;
        assert_eq!(
            habit(&member, &call).await["currentStreak"],
            0,
            "a Monday was missed"
        );
    }
);

api_test!(
    async fn a_bonus_is_paid_once_per_run_taken_back_when_an_undo_breaks_the_period_and_paid_again_on_redo(
        app: TestApp,
    ) {
        let mut member = Member::join(&app, "seven@example.com", "UTC", date(2026, 3, 1)).await;
        let walk = create(&member, json!({ "name": "Walk", "targetCount": 2 })).await;
        let mut last = json!(null);
        for day in 1..=7 {
            member.at(date(2026, 3, day), 8, 0).await;
            complete(&member, &walk).await;
            member.at(date(2026, 3, day), 20, 0).await;
            last = complete(&member, &walk).await;
        }
        assert_eq!(last["habit"]["currentStreak"], 7);
        assert_eq!(member.ledger("habit_streak").await, vec![(14, 0)]);
        let with_bonus = member.balance().await;
        // Undoing the 7th day's second completion breaks that period: the bonus goes too.
        undo(&member, last["completion"]["id"].as_str().unwrap()).await;
        let undone = member.balance().await;
        assert_eq!(
            (with_bonus.0 - undone.0, with_bonus.1 - undone.1),
            (5 + 14, 1)
        );
        assert_eq!(habit(&member, &walk).await["currentStreak"], 6);
        // Redo: the period is met again and the bonus paid again; net one bonus.
        let redone = complete(&member, &walk).await;
        assert_eq!(redone["habit"]["currentStreak"], 7);
        assert_eq!(member.balance().await, with_bonus);
        let bonuses = member.ledger("habit_streak").await;
        assert_eq!(bonuses, vec![(14, 0), (14, 0)]);
        assert!(member.ledger("reversal").await.contains(&(-14, 0)));
        // Day 8 extends the run without another bonus; a retry pays nothing either.
        member.at(date(2026, 3, 8), 8, 0).await;
        let key = json!({ "idempotencyKey": "day-8" });
        try_complete(&member, &walk, key.clone()).await.assert_ok();
        try_complete(&member, &walk, key).await.assert_ok();
        complete(&member, &walk).await;
        assert_eq!(habit(&member, &walk).await["currentStreak"], 8);
        assert_eq!(member.ledger("habit_streak").await.len(), 2);
    }
);

api_test!(
    async fn a_completion_for_yesterday_mends_the_streak_and_the_user_level_streak_follows(
        app: TestApp,
    ) {
        let mut member =
            Member::join(&app, "mend@example.com", "Asia/Tokyo", date(2026, 3, 1)).await;
        let journal = create(&member, json!({ "name": "Journal" })).await;
        for day in [1, 2] {
            member.at(date(2026, 3, day), 22, 0).await;
            complete(&member, &journal).await;
        }
        // The 3rd is forgotten; on the 4th the user logs it as yesterday, then today.
        member.at(date(2026, 3, 4), 7, 0).await;
        assert_eq!(habit(&member, &journal).await["currentStreak"], 0);
        assert_eq!(member.streak("HABIT").await.0, 0);
        try_complete(&member, &journal, json!({ "date": "2026-03-03" }))
            .await
            .assert_ok();
        assert_eq!(habit(&member, &journal).await["currentStreak"], 3);
        assert_eq!(member.streak("HABIT").await, (3, 3));
        let today = complete(&member, &journal).await;
        assert_eq!(today["habit"]["currentStreak"], 4);
        assert_eq!(member.streak("HABIT").await, (4, 4));
        // Undoing today's completion takes today out of both streaks.
        undo(&member, today["completion"]["id"].as_str().unwrap()).await;
        assert_eq!(habit(&member, &journal).await["currentStreak"], 3);
        assert_eq!(member.streak("HABIT").await, (3, 3));
    }
);

api_test!(
    async fn changing_the_schedule_recounts_the_streak(app: TestApp) {
        let mut member = Member::join(&app, "switch@example.com", "UTC", date(2026, 3, 2)).await;
        let yoga = create(&member, json!({ "name": "Yoga" })).await;
        for day in [2, 3, 4] {
            member.at(date(2026, 3, day), 9, 0).await;
            complete(&member, &yoga).await;
        }
        assert_eq!(habit(&member, &yoga).await["currentStreak"], 3);
        let query = "mutation($input: UpdateHabitInput!) { updateHabit(input: $input) { habit { frequency customDays currentStreak longestStreak } } }";
        let weekly = member
            .ok(
                query,
                json!({ "input": { "habitId": yoga, "frequency": "WEEKLY", "targetCount": 3 } }),
            )
            .await;
        assert_eq!(
            weekly["updateHabit"]["habit"],
            json!({ "frequency": "WEEKLY", "customDays": null, "currentStreak": 1, "longestStreak": 1 })
        );
        let custom = member
            .ok(query, json!({ "input": { "habitId": yoga, "frequency": "CUSTOM", "customDays": [2, 3], "targetCount": 1 } }))
            .await;
        assert_eq!(custom["updateHabit"]["habit"]["customDays"], json!([2, 3]));
        assert_eq!(
            custom["updateHabit"]["habit"]["currentStreak"], 2,
            "Tuesday and Wednesday"
        );
    }
);
