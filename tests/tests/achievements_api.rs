//! Achievements earned through the product's own API, not seeded: the first focus session
//! (an `event` trigger), the XP of a level (a `threshold` by metric) and focus, habit and
//! milestone together (`well_rounded`, a `compound` of `all`), each paid once.

use chrono::Duration;
use serde_json::{Value, json};
use tests::{Member, SignedIn, TestApp, api_test, date};

async fn ok(app: &TestApp, user: &SignedIn, query: &str, variables: Value) -> Value {
    app.graphql_as(&user.access_token, query, variables)
        .await
        .assert_ok()
        .clone()
}

async fn earned(app: &TestApp, user: &SignedIn) -> Vec<String> {
    let all = ok(
        app,
        user,
        "{ viewer { achievements { key earnedAt } } }",
        json!({}),
    )
    .await;
    all["viewer"]["achievements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| !a["earnedAt"].is_null())
        .map(|a| a["key"].as_str().unwrap().to_owned())
        .collect()
}

api_test!(
    async fn event_threshold_and_compound_achievements_are_earned_through_the_api(app: TestApp) {
        let mut user = app.member("achiever@example.com").await;
        assert!(earned(&app, &user).await.is_empty());

        ok(&app, &user, "mutation { startFocusSession(input: {mode: WORK, durationSeconds: 1500}) { __typename } }", json!({})).await;
        app.clock.advance(Duration::minutes(25));
        // The access token lived 15 minutes: the client refreshes, as a real one would.
        let renewed = app
            .graphql_with(
                "mutation($t: String!) { refreshSession(input: {sessionToken: $t}) { accessToken sessionToken user { id } } }",
                json!({ "t": user.session_token }),
            )
            .await;
        user = SignedIn::from_payload(&renewed.assert_ok()["refreshSession"]);
        ok(
            &app,
            &user,
            "mutation { completeFocusSession { __typename } }",
            json!({}),
        )
        .await;
        let after_focus = earned(&app, &user).await;
        assert!(
            after_focus.contains(&"first_focus".to_owned()),
            "{after_focus:?}"
        );

        let habit = ok(
            &app,
            &user,
            "mutation { createHabit(input: {name: \"Stretch\"}) { habit { id } } }",
            json!({}),
        )
        .await;
        ok(
            &app,
            &user,
            "mutation($h: UUID!) { completeHabit(input: {habitId: $h}) { __typename } }",
            json!({ "h": habit["createHabit"]["habit"]["id"] }),
        )
        .await;
        let goal = ok(
            &app,
            &user,
            "mutation { createGoal(input: {title: \"Run 10k\"}) { goal { id } } }",
            json!({}),
        )
        .await;
        let milestone = ok(&app, &user, "mutation($g: UUID!) { addMilestone(input: {goalId: $g, title: \"5k\"}) { milestone { id } } }", json!({ "g": goal["createGoal"]["goal"]["id"] })).await;
        ok(
            &app,
            &user,
            "mutation($m: UUID!) { completeMilestone(input: {milestoneId: $m}) { __typename } }",
            json!({ "m": milestone["addMilestone"]["milestone"]["id"] }),
        )
        .await;

        let now = earned(&app, &user).await;
        for key in [
            "first_focus",
            "first_habit",
            "first_milestone",
            "well_rounded",
            "level_2",
        ] {
            assert!(now.contains(&key.to_owned()), "{key} missing from {now:?}");
        }
        let ledger = ok(
            &app,
            &user,
            "{ viewer { ledger(first: 100) { edges { node { eventType reason } } } } }",
            json!({}),
        )
        .await;
        let paid = ledger["viewer"]["ledger"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["node"]["eventType"] == "achievement")
            .count();
        assert_eq!(paid, now.len(), "each earned achievement paid exactly once");
    }
);

api_test!(
    async fn a_habit_done_three_days_in_a_row_earns_the_daily_threshold_and_the_any_compound(
        app: TestApp,
    ) {
        let mut ada =
            Member::join(&app, "ada@example.com", "Europe/Berlin", date(2026, 3, 9)).await;
        let created = ada
            .ok(
                "mutation { createHabit(input: {name: \"Read\", frequency: DAILY}) { habit { id } } }",
                json!({}),
            )
            .await;
        let habit = created["createHabit"]["habit"]["id"].clone();
        let complete = "mutation($h: UUID!) { completeHabit(input: {habitId: $h}) { __typename } }";
        for day in 9..=11 {
            ada.at(date(2026, 3, day), 20, 0).await;
            ada.ok(complete, json!({ "h": habit })).await;
        }
        let earned = earned(&app, &ada.user).await;
        for key in ["first_habit", "streak_3", "momentum"] {
            assert!(earned.contains(&key.to_owned()), "{key} in {earned:?}");
        }
    }
);
