//! Typed items on the user's local date: Auckland's 23:30 is Auckland's today, Berlin's
//! DST day keeps start times local; refused input stores nothing; a malformed stored row
//! reads with the bad item skipped; refs resolve live; another user's ids are NOT_FOUND.
use sea_orm::ConnectionTrait;
use serde_json::json;
use tests::{Member, api_test, date, local};

use super::support::{PLAN, add, apply, habit, item, plan, template, titles, try_apply, try_item};

api_test!(
    async fn an_item_planned_at_2330_in_auckland_is_on_aucklands_today(app: TestApp) {
        let mut member = Member::join(
            &app,
            "kiwi@example.com",
            "Pacific/Auckland",
            date(2026, 11, 24),
        )
        .await;
        // 23:30 on 25 Nov in Auckland is 10:30 UTC the same day; UTC's date is still the 25th
        // but a zone-less server would file 00:30 the next morning under the wrong day.
        member.at(date(2026, 11, 25), 23, 30).await;
        let added = item(
            &member,
            "addPlanItem",
            json!({ "kind": "TASK", "title": "Call home", "startTime": "23:45" }),
        )
        .await;
        assert_eq!(added["plan"]["date"], "2026-11-25");
        let at = local(member.zone, date(2026, 11, 25), 23, 45);
        let starts =
            chrono::DateTime::parse_from_rfc3339(added["item"]["startsAt"].as_str().unwrap())
                .unwrap();
        assert_eq!(starts, at);
        let today = plan(&member, json!(null)).await;
        assert_eq!(today["date"], "2026-11-25");
        assert_eq!(titles(&today), ["Call home"]);
        let home = member
            .ok(
                "{ viewer { today { date plan { date items { title startTime } } } } }",
                json!({}),
            )
            .await;
        assert_eq!(home["viewer"]["today"]["date"], "2026-11-25");
        assert_eq!(
            home["viewer"]["today"]["plan"]["items"][0]["startTime"],
            "23:45"
        );
        // 00:30 the next morning is the 26th: the new day's plan is empty.
        member.at(date(2026, 11, 26), 0, 30).await;
        let next = plan(&member, json!(null)).await;
        assert_eq!(next["date"], "2026-11-26");
        assert_eq!(next["items"], json!([]));
        assert_eq!(
            next["id"],
            json!(null),
            "an unplanned date reads as an empty plan"
        );
    }
);

api_test!(
    async fn a_late_night_before_the_day_start_hour_is_still_yesterday(app: TestApp) {
        let mut member = Member::join(
            &app,
            "owl@example.com",
            "America/New_York",
            date(2026, 4, 9),
        )
        .await;
        member
            .ok("mutation { updateSettings(input: {dayStartHour: 4}) { settings { dayStartHour } } }", json!({}))
            .await;
        // 02:00 on the 10th, before the 04:00 day start: the 9th is still today.
        member.at(date(2026, 4, 10), 2, 0).await;
        let added = item(
            &member,
            "addPlanItem",
            json!({ "kind": "TASK", "title": "Wind down", "startTime": "02:30" }),
        )
        .await;
        assert_eq!(added["plan"]["date"], "2026-04-09");
        let starts =
            chrono::DateTime::parse_from_rfc3339(added["item"]["startsAt"].as_str().unwrap())
                .unwrap();
        assert_eq!(
            starts,
            local(member.zone, date(2026, 4, 10), 2, 30),
            "02:30 of the 9th's night"
        );
        let home = member
            .ok(
                "{ viewer { today { date plan { items { title } } } } }",
                json!({}),
            )
            .await;
        assert_eq!(home["viewer"]["today"]["date"], "2026-04-09");
        assert_eq!(
            home["viewer"]["today"]["plan"]["items"][0]["title"],
            "Wind down"
        );
    }
);

api_test!(
    async fn the_berlin_dst_day_keeps_start_times_local(app: TestApp) {
        let member = Member::join(
            &app,
            "berlin@example.com",
            "Europe/Berlin",
            date(2026, 3, 27),
        )
        .await;
        let tpl = template(
            &member,
            json!({ "name": "Morning", "items": [{ "kind": "TASK", "title": "Standup", "startTime": "09:00" }] }),
        )
        .await;
        for (day, utc) in [
            ("2026-03-28", "2026-03-28T08:00:00+00:00"),
            ("2026-03-29", "2026-03-29T07:00:00+00:00"),
            ("2026-03-30", "2026-03-30T07:00:00+00:00"),
        ] {
            let applied = apply(&member, json!({ "templateId": tpl["id"], "date": day })).await;
            let item = &applied["plan"]["items"][0];
            assert_eq!(item["startTime"], "09:00", "{day}");
            let at =
                chrono::DateTime::parse_from_rfc3339(item["startsAt"].as_str().unwrap()).unwrap();
            assert_eq!(
                at,
                chrono::DateTime::parse_from_rfc3339(utc).unwrap(),
                "{day}"
            );
        }
    }
);

api_test!(
    async fn bad_input_is_refused_and_nothing_is_stored(app: TestApp) {
        let member = Member::join(&app, "strict@example.com", "UTC", date(2026, 5, 4)).await;
        let other = Member::join(&app, "other@example.com", "UTC", date(2026, 5, 4)).await;
        let day = json!("2026-05-04");
        // A title of a million characters.
        let huge = "a".repeat(1_000_000);
        let refused = try_item(
            &member,
            "addPlanItem",
            json!({ "date": day, "kind": "TASK", "title": huge }),
        )
        .await;
        assert_eq!(refused.error().0, "BAD_USER_INPUT");
        assert_eq!(refused.error().2.as_deref(), Some("title"));
        // A ref to another user's habit.
        let theirs = habit(&other, "Theirs").await;
        let refused = try_item(
            &member,
            "addPlanItem",
            json!({ "date": day, "kind": "HABIT", "title": "Steal", "ref": { "habitId": theirs } }),
        )
        .await;
        assert_eq!(refused.error().0, "NOT_FOUND");
        // A ref that does not fit the kind, a bad time, a zero duration.
        for bad in [
            json!({ "date": day, "kind": "TASK", "title": "x", "ref": { "habitId": theirs } }),
            json!({ "date": day, "kind": "TASK", "title": "x", "startTime": "9:00" }),
            json!({ "date": day, "kind": "TASK", "title": "x", "durationMinutes": 0 }),
        ] {
            assert_eq!(
                try_item(&member, "addPlanItem", bad).await.error().0,
                "BAD_USER_INPUT"
            );
        }
        assert_eq!(
            plan(&member, day.clone()).await["id"],
            json!(null),
            "nothing stored"
        );
        // 101 items: a template of 101 is refused; 100 fill a day and the 101st is refused.
        let many: Vec<_> = (0..101)
            .map(|i| json!({ "kind": "TASK", "title": format!("T{i}") }))
            .collect();
        let refused = member
            .gql(
                "mutation($input: CreatePlanTemplateInput!) { createPlanTemplate(input: $input) { template { id } } }",
                json!({ "input": { "name": "Too many", "items": many } }),
            )
            .await;
        assert_eq!(refused.error().0, "BAD_USER_INPUT");
        let hundred = template(&member, json!({ "name": "Full", "items": many[..100] })).await;
        apply(&member, json!({ "templateId": hundred["id"], "date": day })).await;
        let refused = try_item(
            &member,
            "addPlanItem",
            json!({ "date": day, "kind": "TASK", "title": "One more" }),
        )
        .await;
        assert_eq!(refused.error().0, "BAD_USER_INPUT");
        assert_eq!(refused.error().2.as_deref(), Some("items"));
        let small = template(
            &member,
            json!({ "name": "One", "items": [{ "kind": "TASK", "title": "x" }] }),
        )
        .await;
        let refused = try_apply(&member, json!({ "templateId": small["id"], "date": day })).await;
        assert_eq!(refused.error().0, "BAD_USER_INPUT");
        assert_eq!(
            plan(&member, day).await["items"].as_array().unwrap().len(),
            100
        );
    }
);

api_test!(
    async fn a_malformed_items_row_reads_with_the_bad_item_skipped(app: TestApp) {
        let member = Member::join(&app, "rows@example.com", "UTC", date(2026, 5, 4)).await;
        let day = json!("2026-05-04");
        let added = add(&member, day.clone(), "Good").await;
        let good = added["item"]["id"].as_str().unwrap();
        let stored = json!([
            { "id": good, "kind": "task", "title": "Good" },
            { "id": "not-a-uuid", "kind": "task", "title": "Bad id" },
            { "id": "0190a000-0000-7000-8000-000000000001", "kind": "rocket", "title": "Bad kind" },
            { "title": "No id" },
            17,
            "text"
        ]);
        // The test's only plan row.
        let sql = format!(
            "UPDATE daily_plans SET items = '{}'",
            stored.to_string().replace('\'', "''")
        );
        app.app_db.execute_unprepared(&sql).await.unwrap();
        let read = plan(&member, day.clone()).await;
        assert_eq!(titles(&read), ["Good"]);
        // A write stores what reads back.
        add(&member, day.clone(), "After").await;
        assert_eq!(titles(&plan(&member, day.clone()).await), ["Good", "After"]);
        // Not a list at all.
        app.app_db
            .execute_unprepared("UPDATE daily_plans SET items = '{\"oops\": true}'")
            .await
            .unwrap();
        assert_eq!(plan(&member, day).await["items"], json!([]));
    }
);

api_test!(
    async fn refs_resolve_live_and_a_deleted_target_reads_as_null(app: TestApp) {
        let member = Member::join(&app, "refs@example.com", "UTC", date(2026, 5, 4)).await;
        let read = habit(&member, "Read").await;
        let added = item(
            &member,
            "addPlanItem",
            json!({ "kind": "HABIT", "title": "Read 10 pages", "ref": { "habitId": read } }),
        )
        .await;
        let id = added["item"]["id"].as_str().unwrap().to_owned();
        let query = "{ viewer { dailyPlan { items { id ref { __typename ... on Habit { id completedToday } } } } } }";
        let data = member.ok(query, json!({})).await;
        let target = &data["viewer"]["dailyPlan"]["items"][0]["ref"];
        assert_eq!(target["__typename"], "Habit");
        assert_eq!(target["completedToday"], false);
        member
            .ok(
                "mutation($h: UUID!) { completeHabit(input: {habitId: $h}) { habit { id } } }",
                json!({ "h": read }),
            )
            .await;
        let data = member.ok(query, json!({})).await;
        assert_eq!(
            data["viewer"]["dailyPlan"]["items"][0]["ref"]["completedToday"], true,
            "the item shows the habit's live state"
        );
        member
            .ok(
                "mutation($h: UUID!) { deleteHabit(input: {habitId: $h}) { deletedHabitId } }",
                json!({ "h": read }),
            )
            .await;
        let data = member.ok(query, json!({})).await;
        let items = &data["viewer"]["dailyPlan"]["items"];
        assert_eq!(items[0]["id"], json!(id), "the item stays");
        assert_eq!(items[0]["ref"], json!(null));
        // A calendar occurrence.
        let event = member
            .ok(
                r#"mutation { createCalendarEvent(input: {title: "Gym", start: "2026-05-04T17:00:00Z", end: "2026-05-04T18:00:00Z"}) { event { id } } }"#,
                json!({}),
            )
            .await;
        let occurrence = format!(
            "{}:20260504T170000Z",
            event["createCalendarEvent"]["event"]["id"]
                .as_str()
                .unwrap()
        );
        item(
            &member,
            "addPlanItem",
            json!({ "kind": "EVENT", "title": "Gym", "ref": { "occurrenceId": occurrence } }),
        )
        .await;
        let data = member
            .ok("{ viewer { dailyPlan { items { ref { ... on CalendarOccurrence { title start } } } } } }", json!({}))
            .await;
        assert_eq!(
            data["viewer"]["dailyPlan"]["items"][1]["ref"]["title"],
            "Gym"
        );
        let missing = format!(
            "{}:20260505T170000Z",
            event["createCalendarEvent"]["event"]["id"]
                .as_str()
                .unwrap()
        );
        let refused = try_item(
            &member,
            "addPlanItem",
            json!({ "kind": "EVENT", "title": "Gym", "ref": { "occurrenceId": missing } }),
        )
        .await;
        assert_eq!(refused.error().0, "NOT_FOUND");
    }
);

api_test!(
    async fn another_users_items_are_not_found_and_their_plans_unseen(app: TestApp) {
        let mine = Member::join(&app, "mine@example.com", "UTC", date(2026, 5, 4)).await;
        let theirs = Member::join(&app, "theirs@example.com", "UTC", date(2026, 5, 4)).await;
        let added = add(&theirs, json!(null), "Private").await;
        let id = added["item"]["id"].clone();
        for mutation in [
            "updatePlanItem",
            "removePlanItem",
            "completePlanItem",
            "movePlanItem",
        ] {
            let mut input = json!({ "itemId": id });
            if mutation == "updatePlanItem" {
                input["title"] = json!("Mine now");
            }
            let refused = try_item(&mine, mutation, input).await;
            assert_eq!(refused.error().0, "NOT_FOUND", "{mutation}");
        }
        assert_eq!(plan(&mine, json!(null)).await["items"], json!([]));
        assert_eq!(titles(&plan(&theirs, json!(null)).await), ["Private"]);
        // Edits, moves and removal for the owner.
        let second = add(&theirs, json!(null), "Second").await["item"]["id"].clone();
        item(
            &theirs,
            "updatePlanItem",
            json!({ "itemId": id, "title": "Renamed", "startTime": "07:15" }),
        )
        .await;
        let moved = item(
            &theirs,
            "movePlanItem",
            json!({ "itemId": second, "position": 0 }),
        )
        .await;
        assert_eq!(titles(&moved["plan"]), ["Second", "Renamed"]);
        let moved = item(
            &theirs,
            "movePlanItem",
            json!({ "itemId": second, "toDate": "2026-05-05" }),
        )
        .await;
        assert_eq!(moved["plan"]["date"], "2026-05-05");
        assert_eq!(titles(&moved["plan"]), ["Second"]);
        assert_eq!(titles(&plan(&theirs, json!(null)).await), ["Renamed"]);
        let removed = item(&theirs, "removePlanItem", json!({ "itemId": id })).await;
        assert_eq!(removed["item"]["title"], "Renamed");
        assert_eq!(removed["plan"]["items"], json!([]));
        let notes = theirs
            .ok(
                &format!("mutation {{ setPlanNotes(input: {{notes: \"Slow day\"}}) {{ plan {{ {PLAN} }} }} }}"),
                json!({}),
            )
            .await;
        assert_eq!(notes["setPlanNotes"]["plan"]["notes"], "Slow day");
        let range = theirs
            .ok(
                r#"{ viewer { dailyPlans(from: "2026-05-03", to: "2026-05-06") { date items { title } } } }"#,
                json!({}),
            )
            .await;
        let days = range["viewer"]["dailyPlans"].as_array().unwrap();
        assert_eq!(days.len(), 4);
        assert_eq!(days[2]["items"][0]["title"], "Second");
        let too_long = theirs
            .gql(
                r#"{ viewer { dailyPlans(from: "2026-01-01", to: "2027-01-02") { date } } }"#,
                json!({}),
            )
            .await;
        assert_eq!(too_long.error().0, "BAD_USER_INPUT");
    }
);
