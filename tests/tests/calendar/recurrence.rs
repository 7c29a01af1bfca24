//! Recurrence across DST, through the API and through the feed; refused rules; all-day
//! dates that never shift.
use std::time::{Duration, Instant};

use chrono_tz::Europe::Berlin;
use serde_json::json;
use tests::{Member, api_test, date};

use super::support::{
    api_starts, calendar, create, create_feed, event, feed_starts, get_feed, try_cancel,
    try_create, try_update_occurrence, utc,
};

const MARCH: (&str, &str) = ("2026-03-01T00:00:00Z", "2026-04-15T00:00:00Z");
const OCTOBER: (&str, &str) = ("2026-10-01T00:00:00Z", "2026-11-15T00:00:00Z");

fn local_times(starts: &[(chrono::DateTime<chrono::Utc>, String)]) -> Vec<String> {
    starts
        .iter()
        .map(|(at, _)| at.with_timezone(&Berlin).format("%a %H:%M").to_string())
        .collect()
}

api_test!(
    async fn a_berlin_weekly_nine_oclock_stays_nine_oclock_across_march_and_october_in_the_api_and_the_feed(
        app: TestApp,
    ) {
        let member = Member::join(
            &app,
            "berlin@example.com",
            "Europe/Berlin",
            date(2026, 3, 1),
        )
        .await;
        let series = create(
            &member,
            json!({
                "title": "Stand-up",
                "start": "2026-03-02T08:00:00Z",
                "end": "2026-03-02T08:30:00Z",
                "timezone": "Europe/Berlin",
                "recurrenceRule": "FREQ=WEEKLY"
            }),
        )
        .await;
        assert_eq!(series["recurrenceRule"], "FREQ=WEEKLY");
        let march = api_starts(&member, MARCH.0, MARCH.1).await;
        assert_eq!(local_times(&march), vec!["Mon 09:00"; 7]);
        // The clocks go forward on 29 March: the same local time is an hour earlier in UTC.
        assert_eq!(march[3].0, utc("2026-03-23T08:00:00Z"));
        assert_eq!(march[4].0, utc("2026-03-30T07:00:00Z"));
        let october = api_starts(&member, OCTOBER.0, OCTOBER.1).await;
        assert_eq!(local_times(&october), vec!["Mon 09:00"; 6]);
        assert_eq!(october[2].0, utc("2026-10-19T07:00:00Z"));
        assert_eq!(october[3].0, utc("2026-10-26T08:00:00Z"));

        // One occurrence moved to 10:00 and renamed, another cancelled.
        let (occurrences, _) = calendar(&member, MARCH.0, MARCH.1).await;
        let moved = occurrences[2]["occurrenceId"].as_str().unwrap().to_owned();
        let changed = try_update_occurrence(
            &member,
            &moved,
            json!({ "title": "Stand-up (late)", "start": "2026-03-16T09:00:00Z", "end": "2026-03-16T09:30:00Z" }),
        )
        .await;
        let changed = changed.assert_ok()["updateCalendarOccurrence"]["occurrence"].clone();
        assert_eq!(changed["isException"], true);
        assert_eq!(changed["occurrenceId"], moved.as_str());
        assert_eq!(
            utc(changed["originalStart"].as_str().unwrap()),
            utc("2026-03-16T08:00:00Z")
        );
        let (occurrences, _) = calendar(&member, OCTOBER.0, OCTOBER.1).await;
        let dropped = occurrences[1]["occurrenceId"].as_str().unwrap().to_owned();
        try_cancel(&member, &dropped).await.assert_ok();

        let march = api_starts(&member, MARCH.0, MARCH.1).await;
        assert_eq!(march.len(), 7);
        assert_eq!(
            march[2],
            (utc("2026-03-16T09:00:00Z"), "Stand-up (late)".to_owned())
        );
        let october = api_starts(&member, OCTOBER.0, OCTOBER.1).await;
        assert_eq!(october.len(), 5);
        assert!(
            october
                .iter()
                .all(|(at, _)| *at != utc("2026-10-12T08:00:00Z"))
        );

        // The feed, parsed and expanded by a real iCalendar parser, says the same.
        let url = create_feed(&member).await;
        let response = get_feed(&app, &url, None).await;
        assert_eq!(response.status(), 200);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/calendar")
        );
        let body = response.text().await.unwrap();
        assert!(body.contains("BEGIN:VTIMEZONE"), "{body}");
        assert!(
            body.contains("DTSTART;TZID=Europe/Berlin:20260302T090000"),
            "{body}"
        );
        assert!(
            body.contains("RECURRENCE-ID;TZID=Europe/Berlin:20260316T090000"),
            "{body}"
        );
        assert!(
            body.contains("EXDATE;TZID=Europe/Berlin:20261012T090000"),
            "{body}"
        );
        assert_eq!(feed_starts(&body, MARCH.0, MARCH.1), march);
        assert_eq!(feed_starts(&body, OCTOBER.0, OCTOBER.1), october);
    }
);

api_test!(
    async fn refused_rules_and_zones_are_bad_input_on_their_field_and_answer_at_once(app: TestApp) {
        let member =
            Member::join(&app, "rules@example.com", "Europe/Berlin", date(2026, 3, 1)).await;
        let base =
            json!({ "title": "Old", "start": "1970-01-01T08:00:00Z", "timezone": "Europe/Berlin" });
        for rule in [
            "FREQ=SECONDLY",
            "FREQ=MINUTELY",
            "FREQ=DAILY;COUNT=100000",
            "FREQ=DAILY;INTERVAL=0",
            "FREQ=FORTNIGHTLY",
        ] {
            let mut input = base.clone();
            input["recurrenceRule"] = json!(rule);
            let started = Instant::now();
            let response = try_create(&member, input).await;
            assert!(
                started.elapsed() < Duration::from_secs(1),
                "{rule} took {:?}",
                started.elapsed()
            );
            assert_eq!(
                response.error(),
                ("BAD_USER_INPUT".into(), None, Some("recurrenceRule".into())),
                "{rule}"
            );
        }
        let mut unknown = base.clone();
        unknown["timezone"] = json!("Europe/Atlantis");
        unknown["recurrenceRule"] = json!("FREQ=DAILY");
        assert_eq!(
            try_create(&member, unknown).await.error(),
            ("BAD_USER_INPUT".into(), None, Some("timezone".into()))
        );
        for (input, field) in [
            (
                json!({ "title": "Back", "start": "2026-03-02T10:00:00Z", "end": "2026-03-02T09:00:00Z" }),
                "end",
            ),
            (
                json!({ "title": "Long", "start": "2026-03-02T10:00:00Z", "end": "2053-07-19T10:00:00Z" }),
                "end",
            ),
            (
                json!({ "title": "Long", "allDay": true, "startDate": "2026-03-02", "endDate": "2053-07-19" }),
                "endDate",
            ),
        ] {
            assert_eq!(
                try_create(&member, input).await.error().2.as_deref(),
                Some(field)
            );
        }
        // Nothing refused was stored.
        assert!(
            calendar(&member, "1970-01-01T00:00:00Z", "1970-12-31T00:00:00Z")
                .await
                .0
                .is_empty()
        );
    }
);

api_test!(
    async fn an_all_day_event_keeps_its_date_in_any_zone_and_is_a_date_in_the_feed(app: TestApp) {
        let member =
            Member::join(&app, "dates@example.com", "Europe/Berlin", date(2026, 3, 1)).await;
        let holiday = create(
            &member,
            json!({ "title": "Holiday", "allDay": true, "startDate": "2026-03-10", "endDate": "2026-03-12" }),
        )
        .await;
        let id = holiday["id"].as_str().unwrap();
        for zone in ["Pacific/Auckland", "America/Los_Angeles"] {
            app.set_time_zone(&member.user, zone).await;
            let read = event(&member, id).await;
            assert_eq!(
                (read["startDate"].as_str(), read["endDate"].as_str()),
                (Some("2026-03-10"), Some("2026-03-12")),
                "{zone}"
            );
            let (days, _) = calendar(&member, "2026-03-11T00:00:00Z", "2026-03-11T06:00:00Z").await;
            assert_eq!(days.len(), 1, "{zone}");
            assert_eq!(days[0]["startDate"], "2026-03-10");
        }
        let url = create_feed(&member).await;
        let body = get_feed(&app, &url, None).await.text().await.unwrap();
        assert!(body.contains("DTSTART;VALUE=DATE:20260310"), "{body}");
        assert!(body.contains("DTEND;VALUE=DATE:20260312"), "{body}");
    }
);
