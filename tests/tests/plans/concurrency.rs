//! Many clients at once: 20 concurrent `addPlanItem` on one (unplanned) date leave 20
//! items; 20 concurrent `completePlanItem` on one habit-linked item log and pay the habit
//! once; a whole-plan change against a stale `expectedVersion` is CONFLICT PLAN_CHANGED.
use futures_util::future::join_all;
use serde_json::json;
use tests::{Member, api_test, date};

use super::support::{add, habit, item, plan, titles, try_item};

api_test!(
    async fn twenty_concurrent_adds_on_one_date_leave_twenty_items(app: TestApp) {
        let member =
            Member::join(&app, "busy@example.com", "Europe/Berlin", date(2026, 6, 1)).await;
        let day = json!("2026-06-02");
        let adds = (0..20).map(|i| {
            let member = &member;
            let day = day.clone();
            async move {
                try_item(
                    member,
                    "addPlanItem",
                    json!({ "date": day, "kind": "TASK", "title": format!("Item {i}") }),
                )
                .await
            }
        });
        for response in join_all(adds).await {
            response.assert_ok();
        }
        let stored = plan(&member, day).await;
        let mut titles: Vec<_> = stored["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["title"].as_str().unwrap().to_owned())
            .collect();
        titles.sort();
        let mut expected: Vec<_> = (0..20).map(|i| format!("Item {i}")).collect();
        expected.sort();
        assert_eq!(titles, expected);
        let positions: Vec<_> = stored["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["position"].as_i64().unwrap())
            .collect();
        assert_eq!(positions, (0..20).collect::<Vec<i64>>());
    }
);

api_test!(
    async fn concurrent_edits_of_different_items_from_two_devices_all_survive(app: TestApp) {
        let member = Member::join(&app, "devices@example.com", "UTC", date(2026, 6, 1)).await;
        let mut ids = Vec::new();
        for i in 0..10 {
            ids.push(add(&member, json!(null), &format!("Item {i}")).await["item"]["id"].clone());
        }
        // Even items renamed on the phone, odd ones completed on the laptop, all at once.
        let edits = ids.iter().enumerate().map(|(i, id)| {
            let member = &member;
            let id = id.clone();
            async move {
                if i % 2 == 0 {
                    try_item(
                        member,
                        "updatePlanItem",
                        json!({ "itemId": id, "title": format!("Renamed {i}") }),
                    )
                    .await
                } else {
                    try_item(member, "completePlanItem", json!({ "itemId": id })).await
                }
            }
        });
        for response in join_all(edits).await {
            response.assert_ok();
        }
        let stored = plan(&member, json!(null)).await;
        for (i, item) in stored["items"].as_array().unwrap().iter().enumerate() {
            if i % 2 == 0 {
                assert_eq!(item["title"], json!(format!("Renamed {i}")));
                assert_eq!(item["done"], false);
            } else {
                assert_eq!(item["title"], json!(format!("Item {i}")));
                assert_eq!(item["done"], true);
            }
        }
    }
);

api_test!(
    async fn twenty_concurrent_completions_of_a_habit_item_pay_the_habit_once(app: TestApp) {
        let member = Member::join(&app, "eager@example.com", "UTC", date(2026, 6, 1)).await;
        let read = habit(&member, "Read").await;
        let added = item(
            &member,
            "addPlanItem",
            json!({ "kind": "HABIT", "title": "Read", "ref": { "habitId": read } }),
        )
        .await;
        let id = added["item"]["id"].clone();
        let completions = (0..20).map(|_| {
            let member = &member;
            let id = id.clone();
            async move { try_item(member, "completePlanItem", json!({ "itemId": id })).await }
        });
        for response in join_all(completions).await {
            assert_eq!(
                response.assert_ok()["completePlanItem"]["item"]["done"],
                true
            );
        }
        assert_eq!(member.ledger("habit").await, [(5, 1)], "one habit reward");
        assert_eq!(
            member.ledger("reversal").await,
            [],
            "and nothing taken back"
        );
        let heat = member
            .ok(
                "query($h: UUID!) { viewer { habit(id: $h) { completedToday progressThisPeriod } } }",
                json!({ "h": read }),
            )
            .await;
        assert_eq!(heat["viewer"]["habit"]["progressThisPeriod"], 1);
    }
);

api_test!(
    async fn a_stale_expected_version_is_plan_changed(app: TestApp) {
        let laptop = Member::join(&app, "two@example.com", "UTC", date(2026, 6, 1)).await;
        let first = add(&laptop, json!(null), "First").await;
        let read_at = first["plan"]["version"].clone();
        // The phone changes the plan meanwhile.
        add(&laptop, json!(null), "From the phone").await;
        let stale = laptop
            .gql(
                "mutation($v: String) { setPlanNotes(input: {notes: \"x\", expectedVersion: $v}) { plan { notes } } }",
                json!({ "v": read_at }),
            )
            .await;
        assert_eq!(stale.error().0, "CONFLICT");
        assert_eq!(stale.error().1.as_deref(), Some("PLAN_CHANGED"));
        let fresh = plan(&laptop, json!(null)).await;
        assert_eq!(fresh["notes"], json!(null), "nothing changed");
        let ok = laptop
            .ok(
                "mutation($v: String) { setPlanNotes(input: {notes: \"x\", expectedVersion: $v}) { plan { notes version } } }",
                json!({ "v": fresh["version"] }),
            )
            .await;
        assert_eq!(ok["setPlanNotes"]["plan"]["notes"], "x");
        assert_ne!(ok["setPlanNotes"]["plan"]["version"], fresh["version"]);
        // Item edits without a version never conflict: both devices' items stand.
        assert_eq!(
            titles(&plan(&laptop, json!(null)).await),
            ["First", "From the phone"]
        );
    }
);
