//! What a user reads of their rewards through GraphQL: progress on the curve, wallet,
//! skills, streaks, the ledger and the activity feed; and never another user's.

use serde_json::json;
use tests::{api_test, local};

api_test!(
    async fn the_viewer_reads_progress_wallet_skills_streaks_ledger_and_activity(app: TestApp) {
        // Two hours of focus from noon stay within one day: the streaks below count one.
        let today = chrono::Utc::now().date_naive();
        app.clock.set(local(chrono_tz::UTC, today, 12, 0));
        let mut user = app.member("reader@example.com").await;
        let mut other = app.member("other@example.com").await;
        app.focus_for(&mut other, 25).await;
        app.focus_for(&mut user, 50).await;
        app.focus_for(&mut user, 60).await;

        let response = app
            .graphql_as(
                &user.access_token,
                "{ viewer {
                    progress { totalXp level xpIntoLevel xpForLevel xpToNextLevel totalSkillStars }
                    wallet { coins totalEarned totalSpent }
                    skills { key level currentStars starsPerLevel }
                    streaks { type current longest }
                    ledger(first: 1) { totalCount edges { node { xp coins skillKey skillStars } } pageInfo { hasNextPage } }
                    activity(filter: {eventType: \"focus_complete\"}) { totalCount edges { node { eventType xpEarned coinsEarned metadata } } }
                } }",
                json!({}),
            )
            .await;
        let viewer = response.assert_ok()["viewer"].clone();
        // Achievements the focus sessions unlocked pay too: the books must still balance.
        let ledger = app
            .graphql_as(
                &user.access_token,
                "{ viewer { ledger(first: 100) { edges { node { eventType xp coins } } } } }",
                json!({}),
            )
            .await;
        let rows = ledger.assert_ok()["viewer"]["ledger"]["edges"]
            .as_array()
            .unwrap()
            .clone();
        let sum = |field: &str| {
            rows.iter()
                .map(|r| r["node"][field].as_i64().unwrap())
                .sum::<i64>()
        };
        let (xp, coins) = (sum("xp"), sum("coins"));
        let standing = schema::domain::gamification::levels::standing(xp);
        assert_eq!(
            viewer["progress"],
            json!({ "totalXp": xp, "level": standing.level, "xpIntoLevel": standing.into_level,
                    "xpForLevel": standing.for_level, "xpToNextLevel": standing.to_next, "totalSkillStars": 4 })
        );
        assert!(xp >= 110, "both sessions paid");
        assert_eq!(
            viewer["wallet"],
            json!({ "coins": coins, "totalEarned": coins, "totalSpent": 0 })
        );
        let skills = viewer["skills"].as_array().unwrap();
        assert_eq!(
            skills.len(),
            6,
            "every skill of the catalog, learned or not"
        );
        assert_eq!(
            skills[0],
            json!({ "key": "focus", "level": 1, "currentStars": 4, "starsPerLevel": 10 })
        );
        assert_eq!(
            viewer["streaks"][0],
            json!({ "type": "DAILY", "current": 1, "longest": 1 })
        );
        assert_eq!(
            viewer["streaks"][1],
            json!({ "type": "FOCUS", "current": 1, "longest": 1 })
        );
        assert_eq!(
            viewer["streaks"][2],
            json!({ "type": "HABIT", "current": 0, "longest": 0 })
        );
        let focus_rows: Vec<_> = rows
            .iter()
            .filter(|r| r["node"]["eventType"] == "focus")
            .collect();
        assert_eq!(focus_rows.len(), 2);
        assert_eq!(viewer["ledger"]["totalCount"], rows.len());
        assert_eq!(viewer["ledger"]["pageInfo"]["hasNextPage"], true);
        assert_eq!(
            viewer["activity"]["totalCount"], 2,
            "only this user's activity"
        );
        assert_eq!(
            viewer["activity"]["edges"][0]["node"]["metadata"]["minutes"],
            60
        );

        let anonymous = app.graphql("{ viewer { wallet { coins } } }").await;
        assert_eq!(anonymous.assert_ok()["viewer"], serde_json::Value::Null);
    }
);
