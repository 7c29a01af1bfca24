//! Logging habits done: the local date a completion lands on, grace and its limits,
//! period targets, idempotent retries, and undo taking back exactly what was paid.
use serde_json::json;
use tests::{Member, api_test, date};

use super::support::{complete, create, habit, try_complete, try_undo, undo};

api_test!(
    async fn a_completion_at_half_past_eleven_lands_on_the_local_date_in_auckland_and_los_angeles(
        app: TestApp,
    ) {
        for (zone, email) in [
            ("Pacific/Auckland", "kiwi@example.com"),
            ("America/Los_Angeles", "angeleno@example.com"),
        ] {
            let mut member = Member::join(&app, email, zone, date(2026, 11, 23)).await;
            let run = create(&member, json!({ "name": "Stretch", "targetCount": 3 })).await;
            member.at(date(2026, 11, 24), 23, 30).await;
            let done = complete(&member, &run).await;
            assert_eq!(done["completion"]["completedDate"], "2026-11-24", "{zone}");
            assert_eq!(done["habit"]["progressThisPeriod"], 1);
            // In Los Angeles it is already the 25th in UTC: still the future locally.
            let tomorrow = try_complete(&member, &run, json!({ "date": "2026-11-25" })).await;
            assert_eq!(
                tomorrow.error(),
                ("BAD_USER_INPUT".into(), None, Some("date".into()))
            );
            // Half an hour later it is the 25th there, and the 24th is yesterday.
            member.at(date(2026, 11, 25), 0, 30).await;
            let next = complete(&member, &run).await;
            assert_eq!(next["completion"]["completedDate"], "2026-11-25", "{zone}");
            let grace = try_complete(&member, &run, json!({ "date": "2026-11-24" })).await;
            assert_eq!(
                grace.assert_ok()["completeHabit"]["completion"]["completedDate"],
                "2026-11-24"
            );
        }
    }
);

api_test!(
    async fn a_completion_may_be_for_yesterday_but_never_the_future_or_earlier(app: TestApp) {
        let member = Member::join(&app, "grace@example.com", "UTC", date(2026, 3, 10)).await;
        let read = create(
            &member,
            json!({ "name": "Read", "description": "20 pages" }),
        )
        .await;
        let yesterday = try_complete(
            &member,
            &read,
            json!({ "date": "2026-03-09", "notes": "late" }),
        )
        .await;
        let yesterday = yesterday.assert_ok()["completeHabit"].clone();
        assert_eq!(yesterday["completion"]["completedDate"], "2026-03-09");
        assert_eq!(yesterday["completion"]["notes"], "late");
        for refused in ["2026-03-11", "2026-03-08", "2025-03-10"] {
            let response = try_complete(&member, &read, json!({ "date": refused })).await;
            assert_eq!(
                response.error(),
                ("BAD_USER_INPUT".into(), None, Some("date".into())),
                "{refused}"
            );
        }
    }
);

api_test!(
    async fn completing_a_habit_twice_on_a_daily_target_of_one_is_rejected(app: TestApp) {
        let mut member = Member::join(&app, "once@example.com", "UTC", date(2026, 3, 10)).await;
        let floss = create(&member, json!({ "name": "Floss" })).await;
        let water = create(&member, json!({ "name": "Water", "targetCount": 2 })).await;
        complete(&member, &floss).await;
        let again = try_complete(&member, &floss, json!({})).await;
        assert_eq!(
            again.error(),
            ("CONFLICT".into(), Some("HABIT_TARGET_REACHED".into()), None)
        );
        let twice = [
            complete(&member, &water).await,
            complete(&member, &water).await,
        ];
        assert_eq!(twice[1]["habit"]["progressThisPeriod"], 2);
        assert_eq!(twice[1]["habit"]["dueToday"], false);
        let third = try_complete(&member, &water, json!({})).await;
        assert_eq!(third.error().1.as_deref(), Some("HABIT_TARGET_REACHED"));
        // Refusals paid nothing: three completions, three rewards.
        assert_eq!(member.ledger("habit").await.len(), 3);
        // Yesterday is its own period.
        let yesterday = try_complete(&member, &floss, json!({ "date": "2026-03-09" })).await;
        yesterday.assert_ok();
        member.at(date(2026, 3, 11), 8, 0).await;
        assert_eq!(habit(&member, &floss).await["dueToday"], true);
    }
);

api_test!(
    async fn a_weekly_habit_with_a_target_of_three_takes_three_completions_a_week(app: TestApp) {
        // Monday 2 March 2026.
        let mut member = Member::join(
            &app,
            "weekly@example.com",
            "Europe/Berlin",
            date(2026, 3, 2),
        )
        .await;
        let gym = create(
            &member,
            json!({ "name": "Gym", "frequency": "WEEKLY", "targetCount": 3 }),
        )
        .await;
        for day in [2, 4] {
            member.at(date(2026, 3, day), 18, 0).await;
            let done = complete(&member, &gym).await;
            assert_eq!(done["habit"]["currentStreak"], 0, "the week is not met yet");
        }
        member.at(date(2026, 3, 6), 18, 0).await;
        let third = complete(&member, &gym).await;
        assert_eq!(third["habit"]["progressThisPeriod"], 3);
        assert_eq!(third["habit"]["currentStreak"], 1);
        assert_eq!(third["habit"]["dueToday"], false);
        member.at(date(2026, 3, 8), 10, 0).await;
        let fourth = try_complete(&member, &gym, json!({})).await;
        assert_eq!(fourth.error().1.as_deref(), Some("HABIT_TARGET_REACHED"));
        // A new ISO week: a new period, the streak alive from last week.
        member.at(date(2026, 3, 9), 7, 0).await;
        let monday = habit(&member, &gym).await;
        assert_eq!(
            (
                monday["progressThisPeriod"].clone(),
                monday["currentStreak"].clone(),
                monday["dueToday"].clone()
            ),
            (json!(0), json!(1), json!(true))
        );
        // Yesterday (Sunday) as grace counts for last week, which is full.
        let grace = try_complete(&member, &gym, json!({ "date": "2026-03-08" })).await;
        assert_eq!(grace.error().1.as_deref(), Some("HABIT_TARGET_REACHED"));
        for day in [9, 10, 11] {
            member.at(date(2026, 3, day), 7, 0).await;
            complete(&member, &gym).await;
        }
        assert_eq!(habit(&member, &gym).await["currentStreak"], 2);
        // Only two in the week of 16 March: broken once it ends.
        for day in [16, 17] {
            member.at(date(2026, 3, day), 7, 0).await;
            complete(&member, &gym).await;
        }
        member.at(date(2026, 3, 22), 23, 0).await;
        assert_eq!(
            habit(&member, &gym).await["currentStreak"],
            2,
            "Sunday: still open"
        );
        member.at(date(2026, 3, 23), 0, 30).await;
        let broken = habit(&member, &gym).await;
        assert_eq!(
            (
                broken["currentStreak"].clone(),
                broken["longestStreak"].clone()
            ),
            (json!(0), json!(2))
        );
    }
);

api_test!(
    async fn undoing_a_completion_reverses_exactly_the_xp_and_coins_it_paid(app: TestApp) {
        let member = Member::join(&app, "undo@example.com", "UTC", date(2026, 3, 10)).await;
        let warm_up = create(&member, json!({ "name": "Warm up" })).await;
        let run = create(&member, json!({ "name": "Run" })).await;
        // The first completion ever also earns an achievement; settle that first.
        complete(&member, &warm_up).await;
        let before = member.balance().await;
        let done = complete(&member, &run).await;
        let paid = member.balance().await;
        assert_eq!(
            (paid.0 - before.0, paid.1 - before.1),
            (5, 1),
            "5 XP and a coin"
        );
        let undone = undo(&member, done["completion"]["id"].as_str().unwrap()).await;
        assert_eq!(undone["undoneCompletionId"], done["completion"]["id"]);
        assert_eq!(undone["habit"]["progressThisPeriod"], 0);
        assert_eq!(member.balance().await, before, "back to the coin");
        assert_eq!(member.ledger("reversal").await, vec![(-5, -1)]);
        let skills = member
            .ok("{ viewer { skills { key currentStars } } }", json!({}))
            .await;
        let discipline = skills["viewer"]["skills"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == "discipline")
            .unwrap()
            .clone();
        assert_eq!(discipline["currentStars"], 1, "the warm-up's star only");
        let feed = member
            .ok(
                "{ viewer { activity(filter: {eventType: \"habit_done\"}) { totalCount } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            feed["viewer"]["activity"]["totalCount"], 1,
            "the undone event left the feed"
        );
        // Doing it again pays again: the net is one reward for what stands done.
        let redone = complete(&member, &run).await;
        assert_ne!(redone["completion"]["id"], done["completion"]["id"]);
        assert_eq!(member.balance().await, paid);
        // Undoing twice finds nothing the second time.
        let id = redone["completion"]["id"].as_str().unwrap();
        undo(&member, id).await;
        assert_eq!(try_undo(&member, id).await.error().0, "NOT_FOUND");
        assert_eq!(member.balance().await, before);
    }
);

api_test!(
    async fn a_retry_with_the_same_key_pays_once_and_returns_the_same_completion(app: TestApp) {
        let member = Member::join(&app, "retry@example.com", "UTC", date(2026, 3, 10)).await;
        let sit = create(&member, json!({ "name": "Meditate", "targetCount": 5 })).await;
        let key = json!({ "idempotencyKey": "tap-1" });
        let first =
            try_complete(&member, &sit, key.clone()).await.assert_ok()["completeHabit"].clone();
        let paid = member.balance().await;
        let retry =
            try_complete(&member, &sit, key.clone()).await.assert_ok()["completeHabit"].clone();
        assert_eq!(retry["completion"], first["completion"]);
        assert_eq!(
            (first["repeated"].clone(), retry["repeated"].clone()),
            (json!(false), json!(true))
        );
        assert_eq!(retry["habit"]["progressThisPeriod"], 1);
        assert_eq!(member.balance().await, paid, "the retry paid nothing");
        let other = try_complete(&member, &sit, json!({ "idempotencyKey": "tap-2" })).await;
        assert_eq!(
            other.assert_ok()["completeHabit"]["habit"]["progressThisPeriod"],
            2
        );
        // Once its completion is undone, the key cannot stand for a new one.
        undo(&member, first["completion"]["id"].as_str().unwrap()).await;
        let stale = try_complete(&member, &sit, key).await;
        assert_eq!(
            stale.error(),
            (
                "CONFLICT".into(),
                Some("IDEMPOTENCY_KEY_REUSED".into()),
                None
            )
        );
    }
);

api_test!(
    async fn concurrent_retries_with_one_key_log_and_pay_once(app: TestApp) {
        let member = Member::join(&app, "racer@example.com", "UTC", date(2026, 3, 10)).await;
        let sit = create(&member, json!({ "name": "Meditate", "targetCount": 10 })).await;
        let tries =
            (0..6).map(|_| try_complete(&member, &sit, json!({ "idempotencyKey": "same" })));
        let answers = futures_util::future::join_all(tries).await;
        let ids: std::collections::HashSet<String> = answers
            .iter()
            .map(|a| {
                a.assert_ok()["completeHabit"]["completion"]["id"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(ids.len(), 1);
        assert_eq!(member.ledger("habit").await.len(), 1);
        assert_eq!(habit(&member, &sit).await["progressThisPeriod"], 1);
        let feed = member
            .ok(
                "{ viewer { activity(filter: {eventType: \"habit_done\"}) { totalCount \
                 edges { node { xpEarned coinsEarned } } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            feed["viewer"]["activity"],
            json!({ "totalCount": 1, "edges": [{ "node": { "xpEarned": 5, "coinsEarned": 1 } }] }),
            "one event, with what the one payment paid"
        );
    }
);

api_test!(
    async fn racing_completions_fill_the_target_once_and_every_winner_sees_the_ones_before_it(
        app: TestApp,
    ) {
        let member = Member::join(&app, "crowd@example.com", "UTC", date(2026, 3, 10)).await;
        let run = create(&member, json!({ "name": "Sprint", "targetCount": 3 })).await;
        let tries = (0..6).map(|_| try_complete(&member, &run, json!({})));
        let answers = futures_util::future::join_all(tries).await;
        let mut progress: Vec<i64> = answers
            .iter()
            .filter(|a| a.error_codes().is_empty())
            .map(|a| {
                a.assert_ok()["completeHabit"]["habit"]["progressThisPeriod"]
                    .as_i64()
                    .unwrap()
            })
            .collect();
        progress.sort_unstable();
        assert_eq!(progress, [1, 2, 3], "each winner counts the ones before it");
        for refused in answers.iter().filter(|a| !a.error_codes().is_empty()) {
            assert_eq!(
                refused.error(),
                ("CONFLICT".into(), Some("HABIT_TARGET_REACHED".into()), None)
            );
        }
        assert_eq!(member.ledger("habit").await.len(), 3);
        let now = habit(&member, &run).await;
        assert_eq!(now["progressThisPeriod"], 3);
        assert_eq!(now["currentStreak"], 1, "the third completion met the day");
    }
);

api_test!(
    async fn an_archived_habit_takes_no_completions_until_restored(app: TestApp) {
        let member = Member::join(&app, "archive@example.com", "UTC", date(2026, 3, 10)).await;
        let swim = create(&member, json!({ "name": "Swim" })).await;
        let archived = member
            .ok("mutation($id: UUID!) { archiveHabit(input: {habitId: $id}) { habit { isActive dueToday } } }", json!({ "id": swim }))
            .await;
        assert_eq!(
            archived["archiveHabit"]["habit"],
            json!({ "isActive": false, "dueToday": false })
        );
        let refused = try_complete(&member, &swim, json!({})).await;
        assert_eq!(
            refused.error(),
            ("CONFLICT".into(), Some("HABIT_ARCHIVED".into()), None)
        );
        member
            .ok("mutation($id: UUID!) { unarchiveHabit(input: {habitId: $id}) { habit { isActive } } }", json!({ "id": swim }))
            .await;
        complete(&member, &swim).await;
    }
);
