//! Carrying unfinished items over: they follow the day's own items in their order, marked
//! with the date they came from; with the setting on, the first read of today's plan
//! carries yesterday's over by itself.
use serde_json::json;
use tests::{Member, api_test, date};

use super::support::{PLAN, add, item, plan, titles};

api_test!(
    async fn unfinished_items_move_after_the_days_own_and_remember_their_date(app: TestApp) {
        let mut member = Member::join(&app, "later@example.com", "UTC", date(2026, 10, 5)).await;
        let a = add(&member, json!(null), "A").await["item"]["id"].clone();
        add(&member, json!(null), "B").await;
        add(&member, json!(null), "C").await;
        item(&member, "completePlanItem", json!({ "itemId": a })).await;
        add(&member, json!("2026-10-06"), "Own").await;
        member.at(date(2026, 10, 6), 8, 0).await;
        let query = format!(
            "mutation($i: CarryOverUnfinishedInput!) {{ carryOverUnfinished(input: $i) {{ moved plan {{ {PLAN} }} }} }}"
        );
        let carried = member
            .ok(&query, json!({ "i": { "from": "2026-10-05" } }))
            .await;
        let carried = &carried["carryOverUnfinished"];
        assert_eq!(carried["moved"], 2);
        assert_eq!(titles(&carried["plan"]), ["Own", "B", "C"]);
        assert_eq!(carried["plan"]["items"][1]["carriedFrom"], "2026-10-05");
        assert_eq!(carried["plan"]["items"][0]["carriedFrom"], json!(null));
        assert_eq!(titles(&plan(&member, json!("2026-10-05")).await), ["A"]);
    }
);

api_test!(
    async fn with_the_setting_on_the_first_read_of_today_carries_yesterday_over(app: TestApp) {
        let mut member =
            Member::join(&app, "auto@example.com", "Asia/Tokyo", date(2026, 10, 5)).await;
        member
            .ok(
                "mutation { setPlanCarryOver(input: {enabled: true}) { enabled } }",
                json!({}),
            )
            .await;
        add(&member, json!(null), "Unfinished").await;
        let done = add(&member, json!(null), "Finished").await["item"]["id"].clone();
        item(&member, "completePlanItem", json!({ "itemId": done })).await;
        member.at(date(2026, 10, 6), 7, 0).await;
        let today = plan(&member, json!(null)).await;
        assert_eq!(today["date"], "2026-10-06");
        assert_eq!(titles(&today), ["Unfinished"]);
        assert_eq!(today["items"][0]["carriedFrom"], "2026-10-05");
        assert_eq!(
            titles(&plan(&member, json!(null)).await),
            ["Unfinished"],
            "once"
        );
        assert_eq!(
            titles(&plan(&member, json!("2026-10-05")).await),
            ["Finished"]
        );
    }
);
