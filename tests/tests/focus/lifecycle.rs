//! A session's life on the server's clock: start, pause, resume, complete (not early, paid
//! once), abandon; one active session per user, also under racing starts; the gates first;
//! and another user's session is NOT_FOUND.
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use tests::api_test;

use super::support::{active, advance, balance, moved, refusal, start, try_move, try_start};

fn at(value: &Value) -> DateTime<Utc> {
    value.as_str().unwrap().parse().unwrap()
}

api_test!(
    async fn the_server_counts_down_pauses_and_resumes_and_pays_the_minutes_focused(app: TestApp) {
        let mut user = app.member("timer@example.com").await;
        let started = start(&app, &user, 1500).await;
        assert_eq!(started["remainingSeconds"], 1500);
        assert_eq!(started["lastChange"], "STARTED");
        assert_eq!(
            (at(&started["expiresAt"]) - at(&started["startedAt"])).num_seconds(),
            1500 + 600,
            "the planned end plus ten minutes"
        );

        advance(&app, &mut user, 600).await;
        assert_eq!(active(&app, &user).await["remainingSeconds"], 900);
        let paused = moved(&app, &user, "pause").await["session"].clone();
        assert_eq!(
            (
                paused["isPaused"].clone(),
                paused["remainingSeconds"].clone()
            ),
            (json!(true), json!(900))
        );
        assert_eq!(paused["lastChange"], "PAUSED");
        assert!(
            paused["version"]
                .as_str()
                .and_then(|v| v.parse::<i64>().ok())
                > started["version"]
                    .as_str()
                    .and_then(|v| v.parse::<i64>().ok())
        );
        let again = moved(&app, &user, "pause").await["session"].clone();
        assert_eq!(
            again["version"], paused["version"],
            "pausing twice changes nothing"
        );

        advance(&app, &mut user, 300).await;
        assert_eq!(
            active(&app, &user).await["remainingSeconds"],
            900,
            "frozen while paused"
        );
        let resumed = moved(&app, &user, "resume").await["session"].clone();
        assert_eq!(resumed["isPaused"], false);
        assert_eq!(
            (at(&resumed["expiresAt"]) - at(&paused["expiresAt"])).num_seconds(),
            300,
            "the expiry moves out by the pause"
        );
        assert_eq!(
            at(&resumed["endsAt"]),
            at(&resumed["expiresAt"]) - chrono::Duration::minutes(10)
        );

        advance(&app, &mut user, 890).await;
        let early = try_move(&app, &user, "complete", None).await;
        assert_eq!(
            refusal(&early),
            ("CONFLICT".into(), "FOCUS_TIME_REMAINING".into())
        );
        assert_eq!(active(&app, &user).await["remainingSeconds"], 10);

        advance(&app, &mut user, 6).await;
        let done = moved(&app, &user, "complete").await;
        let session = &done["session"];
        assert_eq!(done["repeated"], false);
        assert_eq!(session["status"], "COMPLETED");
        assert_eq!(session["remainingSeconds"], 4);
        assert_eq!(session["focusedSeconds"], 1496);
        // 1496 s is 25 minutes to the nearest minute: 25 XP, 5 coins, a `focus` star.
        assert_eq!(
            (
                session["xpAwarded"].clone(),
                session["coinsAwarded"].clone()
            ),
            (json!(25), json!(5))
        );
        let unlocked = done["unlockedAchievements"].as_array().unwrap();
        assert!(unlocked.contains(&json!("first_focus")), "{unlocked:?}");
        assert_eq!(active(&app, &user).await, Value::Null);
    }
);

api_test!(
    async fn completing_twice_pays_once(app: TestApp) {
        let mut user = app.member("twice@example.com").await;
        let session = start(&app, &user, 60).await;
        advance(&app, &mut user, 60).await;
        let first = try_move(&app, &user, "complete", Some(&session["id"])).await;
        let first = first.assert_ok()["completeFocusSession"].clone();
        let paid = balance(&app, &user).await;
        let second = try_move(&app, &user, "complete", Some(&session["id"])).await;
        let second = second.assert_ok()["completeFocusSession"].clone();
        assert_eq!(second["repeated"], true);
        assert_eq!(second["session"]["version"], first["session"]["version"]);
        assert_eq!(
            second["session"]["xpAwarded"], 5,
            "a minute pays the 5 XP floor"
        );
        assert_eq!(balance(&app, &user).await, paid, "nothing more was paid");
        let ledger = app
            .graphql_as(
                &user.access_token,
                r#"{ viewer { activity(filter: {eventType: "focus_complete"}) { totalCount } } }"#,
                json!({}),
            )
            .await;
        assert_eq!(ledger.assert_ok()["viewer"]["activity"]["totalCount"], 1);
    }
);

api_test!(
    async fn one_session_is_active_at_a_time_also_when_two_starts_race(app: TestApp) {
        let user = app.member("single@example.com").await;
        start(&app, &user, 300).await;
        let second = try_start(
            &app,
            &user,
            json!({ "mode": "SHORT_BREAK", "durationSeconds": 300 }),
        )
        .await;
        assert_eq!(
            refusal(&second),
            ("CONFLICT".into(), "FOCUS_SESSION_ACTIVE".into())
        );
        moved(&app, &user, "abandon").await;

        let input = json!({ "mode": "LONG_BREAK", "durationSeconds": 900 });
        let (a, b) = tokio::join!(
            try_start(&app, &user, input.clone()),
            try_start(&app, &user, input)
        );
        let outcomes = [&a, &b].map(|r| r.body.get("errors").map(|_| refusal(r)));
        assert!(
            outcomes.contains(&None)
                && outcomes.contains(&Some(("CONFLICT".into(), "FOCUS_SESSION_ACTIVE".into()))),
            "exactly one start wins: {outcomes:?}"
        );
        assert_eq!(active(&app, &user).await["mode"], "LONG_BREAK");
    }
);

api_test!(
    async fn starting_checks_the_duration_and_the_title_and_keeps_the_task(app: TestApp) {
        let user = app.member("bounds@example.com").await;
        for seconds in [59, 14_401] {
            let refused = try_start(
                &app,
                &user,
                json!({ "mode": "WORK", "durationSeconds": seconds }),
            )
            .await;
            assert_eq!(refused.error_codes(), ["BAD_USER_INPUT"]);
            assert_eq!(refused.extensions()["field"], "durationSeconds");
        }
        let long = "x".repeat(501);
        let refused = try_start(
            &app,
            &user,
            json!({ "mode": "WORK", "durationSeconds": 60, "taskTitle": long }),
        )
        .await;
        assert_eq!(refused.extensions()["field"], "taskTitle");
        let task = uuid::Uuid::new_v4();
        let started = try_start(
            &app,
            &user,
            json!({ "mode": "WORK", "durationSeconds": 14_400, "taskId": task, "taskTitle": "  Write the report " }),
        )
        .await;
        let session = &started.assert_ok()["startFocusSession"]["session"];
        assert_eq!(
            (session["taskId"].clone(), session["taskTitle"].clone()),
            (json!(task), json!("Write the report"))
        );
    }
);

api_test!(
    async fn the_gates_come_before_the_timer(app: TestApp) {
        let newcomer = app.sign_in("newcomer@example.com").await;
        let refused = try_start(
            &app,
            &newcomer,
            json!({ "mode": "WORK", "durationSeconds": 60 }),
        )
        .await;
        assert_eq!(
            refusal(&refused),
            ("FORBIDDEN".into(), "TERMS_NOT_ACCEPTED".into())
        );
        let refused = try_move(&app, &newcomer, "pause", None).await;
        assert_eq!(
            refusal(&refused),
            ("FORBIDDEN".into(), "TERMS_NOT_ACCEPTED".into())
        );
    }
);

api_test!(
    async fn moves_need_a_session_that_has_not_ended(app: TestApp) {
        let user = app.member("ended@example.com").await;
        let none = try_move(&app, &user, "pause", None).await;
        assert_eq!(none.error_codes(), ["NOT_FOUND"]);
        let session = start(&app, &user, 120).await;
        let gone = moved(&app, &user, "abandon").await["session"].clone();
        assert_eq!(
            (gone["status"].clone(), gone["lastChange"].clone()),
            (json!("ABANDONED"), json!("ABANDONED"))
        );
        for name in ["pause", "resume", "complete"] {
            let refused = try_move(&app, &user, name, Some(&session["id"])).await;
            assert_eq!(
                refusal(&refused),
                ("CONFLICT".into(), "FOCUS_SESSION_ENDED".into()),
                "{name}"
            );
        }
        let again = try_move(&app, &user, "abandon", Some(&session["id"])).await;
        assert_eq!(
            again.assert_ok()["abandonFocusSession"]["session"]["version"],
            gone["version"]
        );
        assert_eq!(
            balance(&app, &user).await,
            (0, 0),
            "abandoning pays nothing"
        );
    }
);

api_test!(
    async fn another_user_can_neither_see_nor_change_a_session(app: TestApp) {
        let owner = app.member("owner@example.com").await;
        let intruder = app.member("intruder@example.com").await;
        let session = start(&app, &owner, 1500).await;
        for name in ["pause", "resume", "complete", "abandon"] {
            let refused = try_move(&app, &intruder, name, Some(&session["id"])).await;
            assert_eq!(refused.error_codes(), ["NOT_FOUND"], "{name}");
        }
        assert_eq!(active(&app, &intruder).await, Value::Null);
        let listed = app
            .graphql_as(
                &intruder.access_token,
                "{ viewer { focusSessions { totalCount } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            listed.assert_ok()["viewer"]["focusSessions"]["totalCount"],
            0
        );
        let mine = active(&app, &owner).await;
        assert_eq!(
            (mine["id"].clone(), mine["isPaused"].clone()),
            (session["id"].clone(), json!(false))
        );
    }
);
