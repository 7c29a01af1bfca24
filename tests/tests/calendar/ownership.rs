//! Another user's event, occurrence, habit or goal is NOT_FOUND on every operation, and
//! nothing of it shows.
use serde_json::json;
use tests::{Member, api_test, date};

use super::support::{
    calendar, create, try_cancel, try_create, try_delete, try_event, try_update,
    try_update_occurrence,
};

api_test!(
    async fn another_users_ids_are_not_found_on_every_operation(app: TestApp) {
        let owner = Member::join(&app, "owner@example.com", "UTC", date(2026, 3, 1)).await;
        let other = Member::join(&app, "other@example.com", "UTC", date(2026, 3, 1)).await;
        let series = create(
            &owner,
            json!({ "title": "Private", "start": "2026-03-02T09:00:00Z", "recurrenceRule": "FREQ=DAILY" }),
        )
        .await;
        let id = series["id"].as_str().unwrap();
        let (days, _) = calendar(&owner, "2026-03-01T00:00:00Z", "2026-03-05T00:00:00Z").await;
        let occurrence = days[0]["occurrenceId"].as_str().unwrap();
        let habit = owner
            .ok(
                "mutation { createHabit(input: {name: \"Read\"}) { habit { id } } }",
                json!({}),
            )
            .await["createHabit"]["habit"]["id"]
            .clone();
        let goal = owner
            .ok(
                "mutation { createGoal(input: {title: \"Ship\"}) { goal { id } } }",
                json!({}),
            )
            .await["createGoal"]["goal"]["id"]
            .clone();

        let not_found = |response: tests::GqlResponse, what: &str| {
            assert_eq!(response.error().0, "NOT_FOUND", "{what}: {}", response.body);
            assert!(
                !response.body.to_string().contains("Private"),
                "{what} leaked"
            );
        };
        not_found(try_event(&other, id).await, "calendarEvent");
        not_found(
            try_update(&other, json!({ "eventId": id, "title": "Mine" })).await,
            "update",
        );
        not_found(
            try_update(
                &other,
                json!({ "eventId": id, "scope": "THIS_AND_FOLLOWING", "occurrenceId": occurrence, "title": "Mine" }),
            )
            .await,
            "split",
        );
        not_found(try_delete(&other, id).await, "delete");
        not_found(
            try_update_occurrence(&other, occurrence, json!({ "title": "Mine" })).await,
            "override",
        );
        not_found(try_cancel(&other, occurrence).await, "cancel");
        for link in [json!({ "habitId": habit }), json!({ "goalId": goal })] {
            let mut input = json!({ "title": "Linked", "start": "2026-03-02T09:00:00Z" });
            for (k, v) in link.as_object().unwrap() {
                input[k] = v.clone();
            }
            not_found(try_create(&other, input).await, "link");
        }
        assert!(
            calendar(&other, "2026-03-01T00:00:00Z", "2026-03-05T00:00:00Z")
                .await
                .0
                .is_empty()
        );
        // The owner's event is untouched, and links to their own habit resolve.
        let linked = owner
            .ok(
                "mutation($h: UUID!) { createCalendarEvent(input: {title: \"Read\", start: \"2026-03-02T20:00:00Z\", habitId: $h}) { event { habit { id name } } } }",
                json!({ "h": habit }),
            )
            .await;
        assert_eq!(
            linked["createCalendarEvent"]["event"]["habit"]["name"],
            "Read"
        );
        let (days, _) = calendar(&owner, "2026-03-01T00:00:00Z", "2026-03-05T00:00:00Z").await;
        assert_eq!(days.iter().filter(|d| d["title"] == "Private").count(), 3);
    }
);
