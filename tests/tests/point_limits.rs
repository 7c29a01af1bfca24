//! XP, coins and stars never overflow their INTEGER columns: adjustments are bounded, and
//! an award that would carry a total past 2^31 − 1 is refused as CONFLICT
//! `TOTAL_LIMIT_REACHED`, paying nothing, on both backends.

use entity::user_progress;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::json;
use tests::{GqlResponse, api_test};

const ADJUST: &str = "mutation($u: UUID!, $xp: Int!, $k: String!) { adjustPoints(input: {userId: $u, xp: $xp, coins: 0, reason: \"limit\", idempotencyKey: $k}) { entry { xp } } }";

fn first_error(response: &GqlResponse) -> (String, String) {
    let ext = response.extensions();
    let text = |key: &str| ext[key].as_str().unwrap_or("<none>").to_owned();
    (
        text("code"),
        text(if ext["field"].is_null() {
            "reason"
        } else {
            "field"
        }),
    )
}

api_test!(
    async fn adjustments_are_bounded_and_totals_stop_at_the_integer_limit(app: TestApp) {
        let admin = app.admin().await;
        let user = app.member("rich@example.com").await;
        let adjust = |xp: i64, key: &str| {
            app.graphql_as(
                &admin.access_token,
                ADJUST,
                json!({ "u": user.user_id, "xp": xp, "k": key }),
            )
        };
        for (xp, key) in [
            (2_147_483_647, "max"),
            (-2_147_483_648, "min"),
            (1_000_001, "over"),
        ] {
            assert_eq!(
                first_error(&adjust(xp, key).await),
                ("BAD_USER_INPUT".into(), "xp".into()),
                "{xp}"
            );
        }
        adjust(1_000_000, "gift").await.assert_ok();

        // A total this high takes years of play; set it directly to reach the edge.
        user_progress::Entity::update_many()
            .col_expr(user_progress::Column::TotalXp, Expr::value(i32::MAX - 10))
            .filter(user_progress::Column::UserId.eq(user.user_id))
            .exec(&app.app_db)
            .await
            .unwrap();
        let read = || {
            app.graphql_as(
                &user.access_token,
                "{ viewer { progress { totalXp } ledger { totalCount } } }",
                json!({}),
            )
        };
        let rows_before = read().await.assert_ok()["viewer"]["ledger"]["totalCount"].clone();
        assert_eq!(
            first_error(&adjust(11, "edge").await),
            ("CONFLICT".into(), "TOTAL_LIMIT_REACHED".into())
        );
        let after = read().await;
        assert_eq!(
            after.assert_ok()["viewer"]["ledger"]["totalCount"],
            rows_before,
            "the refused award left no ledger row"
        );
        adjust(10, "exact").await.assert_ok();
        let full = read().await;
        assert_eq!(full.assert_ok()["viewer"]["progress"]["totalXp"], i32::MAX);

        let habit = app
            .graphql_as(
                &user.access_token,
                "mutation { createHabit(input: {name: \"Read\"}) { habit { id } } }",
                json!({}),
            )
            .await;
        let id = habit.assert_ok()["createHabit"]["habit"]["id"].clone();
        let completed = app
            .graphql_as(
                &user.access_token,
                "mutation($h: UUID!) { completeHabit(input: {habitId: $h}) { completion { id } } }",
                json!({ "h": id }),
            )
            .await;
        assert_eq!(
            first_error(&completed),
            ("CONFLICT".into(), "TOTAL_LIMIT_REACHED".into())
        );
    }
);
