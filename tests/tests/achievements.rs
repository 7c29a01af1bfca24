//! `viewer.achievements` and `acknowledgeAchievements` through GraphQL, over states reached
//! through the API: focus sessions, and an admin's XP adjustment.

use entity::achievement_definitions;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use tests::{TestApp, api_test};

const ACHIEVEMENTS: &str = "{ viewer { achievements { key name description icon category earnedAt notified hidden rewardXp rewardCoins } } }";
const ACKNOWLEDGE: &str = "mutation($keys: [String!]!) { acknowledgeAchievements(input: {keys: $keys}) { achievements { key earnedAt notified hidden } } }";

async fn listed(app: &TestApp, token: &str) -> Vec<Value> {
    let response = app.graphql_as(token, ACHIEVEMENTS, json!({})).await;
    response.assert_ok()["viewer"]["achievements"]
        .as_array()
        .unwrap()
        .clone()
}

fn find<'a>(list: &'a [Value], key: &str) -> &'a Value {
    list.iter()
        .find(|a| a["key"] == key)
        .unwrap_or_else(|| panic!("{key} not listed"))
}

api_test!(
    async fn a_new_member_sees_every_visible_achievement_locked_in_catalog_order(app: TestApp) {
        let ada = app.member("ada@example.com").await;
        let list = listed(&app, &ada.access_token).await;
        let visible: Vec<String> = achievement_definitions::Entity::find()
            .filter(achievement_definitions::Column::IsHidden.eq(false))
            .order_by_asc(achievement_definitions::Column::SortOrder)
            .all(&app.database.db)
            .await
            .unwrap()
            .into_iter()
            .map(|d| d.key)
            .collect();
        let keys: Vec<&str> = list.iter().map(|a| a["key"].as_str().unwrap()).collect();
        assert_eq!(keys, visible);
        assert!(!keys.contains(&"level_25"), "hidden until earned");
        assert!(
            list.iter()
                .all(|a| a["earnedAt"].is_null() && a["notified"] == false && a["hidden"] == false)
        );
        assert_eq!(
            list[0],
            json!({
                "key": "first_focus", "name": "First Focus",
                "description": "Complete your first focus session.", "icon": "timer",
                "category": "focus", "earnedAt": null, "notified": false, "hidden": false,
                "rewardXp": 10, "rewardCoins": 5
            })
        );
    }
);

api_test!(
    async fn earned_achievements_show_until_acknowledged_for_their_user_only(app: TestApp) {
        let mut ada = app.member("ada@example.com").await;
        let mut bob = app.member("bob@example.com").await;
        let admin = app.admin().await;
        let adjust = "mutation($u: UUID!) { adjustPoints(input: {userId: $u, xp: 200000, reason: \"seed\", idempotencyKey: \"seed-ada\"}) { repeated } }";
        app.graphql_as(&admin.access_token, adjust, json!({ "u": ada.user_id }))
            .await
            .assert_ok();
        app.focus_for(&mut ada, 25).await;
        app.focus_for(&mut bob, 5).await;

        let list = listed(&app, &ada.access_token).await;
        let first = find(&list, "first_focus");
        assert!(first["earnedAt"].is_string() && first["notified"] == false);
        let legend = find(&list, "level_25");
        assert!(legend["hidden"] == true && legend["earnedAt"].is_string());
        assert!(find(&list, "focus_100")["earnedAt"].is_null());

        let acknowledged = app
            .graphql_as(
                &ada.access_token,
                ACKNOWLEDGE,
                json!({ "keys": ["first_focus", "level_25", "focus_100", "no_such_thing"] }),
            )
            .await;
        let after = acknowledged.assert_ok()["acknowledgeAchievements"]["achievements"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(find(&after, "first_focus")["notified"], true);
        assert_eq!(find(&after, "level_25")["notified"], true);
        assert_eq!(
            find(&after, "level_2")["notified"],
            false,
            "not acknowledged"
        );
        assert_eq!(
            find(&after, "focus_100"),
            &json!({ "key": "focus_100", "earnedAt": null, "notified": false, "hidden": false }),
            "a locked one cannot be acknowledged"
        );
        assert_eq!(
            find(&listed(&app, &ada.access_token).await, "first_focus")["notified"],
            true
        );

        let theirs = listed(&app, &bob.access_token).await;
        assert_eq!(find(&theirs, "first_focus")["notified"], false);
        assert!(theirs.iter().all(|a| a["key"] != "level_25"));
    }
);

api_test!(
    async fn acknowledging_needs_a_user_and_a_bounded_list(app: TestApp) {
        let anonymous = app
            .graphql_with(ACKNOWLEDGE, json!({ "keys": ["first_focus"] }))
            .await;
        assert_eq!(anonymous.error_codes(), ["UNAUTHENTICATED"]);

        let ada = app.member("ada@example.com").await;
        let keys: Vec<String> = (0..=200).map(|n| format!("key_{n}")).collect();
        let too_many = app
            .graphql_as(&ada.access_token, ACKNOWLEDGE, json!({ "keys": keys }))
            .await;
        assert_eq!(too_many.error_codes(), ["BAD_USER_INPUT"]);
        assert_eq!(too_many.extensions()["field"], "keys");
    }
);
