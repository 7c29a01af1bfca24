//! Editing a series: "this and following" splits keep the first half and the total;
//! overrides and cancellations survive an unrelated edit; deleting takes them along.
use serde_json::json;
use tests::{Member, api_test, date};

use super::support::{
    api_starts, calendar, create, event, try_cancel, try_delete, try_event, try_update_occurrence,
    update, utc,
};

const SPRING: (&str, &str) = ("2026-03-01T00:00:00Z", "2026-06-01T00:00:00Z");

api_test!(
    async fn this_and_following_in_the_middle_of_ten_keeps_the_first_half_and_the_total(
        app: TestApp,
    ) {
        let member =
            Member::join(&app, "split@example.com", "Europe/Berlin", date(2026, 3, 1)).await;
        let series = create(
            &member,
            json!({
                "title": "Course",
                "start": "2026-03-03T17:00:00Z",
                "end": "2026-03-03T18:00:00Z",
                "timezone": "Europe/Berlin",
                "recurrenceRule": "FREQ=WEEKLY;COUNT=10"
            }),
        )
        .await;
        let id = series["id"].as_str().unwrap();
        let (before, _) = calendar(&member, SPRING.0, SPRING.1).await;
        assert_eq!(before.len(), 10);
        // An override in the first half stays where it is.
        let early = before[1]["occurrenceId"].as_str().unwrap();
        try_update_occurrence(&member, early, json!({ "title": "Course (guest)" }))
            .await
            .assert_ok();
        let sixth = before[5]["occurrenceId"].as_str().unwrap();
        let following = update(
            &member,
            json!({ "eventId": id, "scope": "THIS_AND_FOLLOWING", "occurrenceId": sixth, "title": "Course, part two" }),
        )
        .await;
        assert_ne!(following["id"], id);
        assert_eq!(following["recurrenceRule"], "FREQ=WEEKLY;COUNT=5");
        assert_eq!(
            utc(following["start"].as_str().unwrap()),
            utc(before[5]["start"].as_str().unwrap())
        );
        let old = event(&member, id).await;
        assert_eq!(old["recurrenceRule"], "FREQ=WEEKLY;COUNT=5");
        assert_eq!(old["title"], "Course");

        let after = api_starts(&member, SPRING.0, SPRING.1).await;
        assert_eq!(after.len(), 10, "the total is still ten");
        let titles: Vec<_> = after.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Course",
                "Course (guest)",
                "Course",
                "Course",
                "Course",
                "Course, part two",
                "Course, part two",
                "Course, part two",
                "Course, part two",
                "Course, part two"
            ]
        );
        for (i, (at, _)) in after.iter().enumerate() {
            assert_eq!(
                *at,
                utc(before[i]["start"].as_str().unwrap()),
                "occurrence {i} did not move"
            );
        }
    }
);

api_test!(
    async fn an_override_and_a_cancellation_survive_an_unrelated_title_edit(app: TestApp) {
        let member =
            Member::join(&app, "keep@example.com", "Europe/Berlin", date(2026, 3, 1)).await;
        let series = create(
            &member,
            json!({
                "title": "Run",
                "start": "2026-03-02T06:00:00Z",
                "end": "2026-03-02T07:00:00Z",
                "recurrenceRule": "FREQ=DAILY;COUNT=5"
            }),
        )
        .await;
        let id = series["id"].as_str().unwrap();
        let (days, _) = calendar(&member, SPRING.0, SPRING.1).await;
        let moved = days[1]["occurrenceId"].as_str().unwrap();
        let cancelled = days[3]["occurrenceId"].as_str().unwrap();
        try_update_occurrence(
            &member,
            moved,
            json!({ "start": "2026-03-03T16:00:00Z", "end": "2026-03-03T17:00:00Z" }),
        )
        .await
        .assert_ok();
        try_cancel(&member, cancelled).await.assert_ok();

        let renamed = update(&member, json!({ "eventId": id, "title": "Morning run" })).await;
        assert_eq!(
            renamed["sequence"], 2,
            "the cancellation (a new EXDATE) and the edit each bump it; an override has its own"
        );
        let exceptions = renamed["exceptions"].as_array().unwrap();
        assert_eq!(exceptions.len(), 2);
        assert_eq!(exceptions[0]["cancelled"], false);
        assert_eq!(exceptions[1]["cancelled"], true);
        let starts = api_starts(&member, SPRING.0, SPRING.1).await;
        assert_eq!(
            starts,
            [
                (utc("2026-03-02T06:00:00Z"), "Morning run".to_owned()),
                (utc("2026-03-03T16:00:00Z"), "Morning run".to_owned()),
                (utc("2026-03-04T06:00:00Z"), "Morning run".to_owned()),
                (utc("2026-03-06T06:00:00Z"), "Morning run".to_owned()),
            ],
            "the moved one keeps its time and takes the new title; the cancelled one stays out"
        );

        // Moving the whole series to another hour leaves no occurrence to override.
        let moved_series = update(
            &member,
            json!({ "eventId": id, "start": "2026-03-02T07:00:00Z", "end": "2026-03-02T08:00:00Z" }),
        )
        .await;
        assert_eq!(moved_series["exceptions"], json!([]));
        assert_eq!(api_starts(&member, SPRING.0, SPRING.1).await.len(), 5);

        // Deleting the series takes its exceptions along.
        try_cancel(
            &member,
            calendar(&member, SPRING.0, SPRING.1).await.0[0]["occurrenceId"]
                .as_str()
                .unwrap(),
        )
        .await
        .assert_ok();
        try_delete(&member, id).await.assert_ok();
        assert_eq!(try_event(&member, id).await.error().0, "NOT_FOUND");
        assert!(calendar(&member, SPRING.0, SPRING.1).await.0.is_empty());
    }
);
