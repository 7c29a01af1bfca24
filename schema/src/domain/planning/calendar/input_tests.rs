//! Parsing events: refusals name their field; an end date becomes the rule's UNTIL.
use super::*;

fn field<T: std::fmt::Debug>(result: AppResult<T>) -> Option<String> {
    match result {
        Err(AppError::BadUserInput { field, .. }) => field,
        other => Some(format!("not refused: {other:?}")),
    }
}

#[test]
fn bad_times_and_zones_name_their_field() {
    let start = DateTime::parse_from_rfc3339("2026-03-02T08:00:00Z")
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default();
    let timed = NewCalendarEvent {
        title: "Stand-up".into(),
        start: Some(start),
        ..Default::default()
    };
    let cases = [
        (
            NewCalendarEvent {
                end: Some(start - TimeDelta::minutes(1)),
                ..timed.clone()
            },
            "end",
        ),
        (
            NewCalendarEvent {
                end: Some(start + TimeDelta::days(10_000)),
                ..timed.clone()
            },
            "end",
        ),
        (
            NewCalendarEvent {
                timezone: Some("Mars/Olympus_Mons".into()),
                ..timed.clone()
            },
            "timezone",
        ),
        (
            NewCalendarEvent {
                title: " ".into(),
                ..timed.clone()
            },
            "title",
        ),
        (
            NewCalendarEvent {
                all_day: true,
                ..timed.clone()
            },
            "startDate",
        ),
        (
            NewCalendarEvent {
                recurrence_rule: Some("FREQ=WEEKLY;COUNT=3".into()),
                recurrence_end: Some(start.date_naive()),
                ..timed.clone()
            },
            "recurrenceEnd",
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(field(input.parse(Zone::UTC)), Some(expected.to_owned()));
    }
}

#[test]
fn an_end_date_becomes_the_rules_until_in_the_events_zone() {
    let start = DateTime::parse_from_rfc3339("2026-03-02T08:00:00Z")
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default();
    let parsed = NewCalendarEvent {
        title: "Yoga".into(),
        start: Some(start),
        timezone: Some("Europe/Berlin".into()),
        recurrence_rule: Some("FREQ=WEEKLY".into()),
        recurrence_end: NaiveDate::from_ymd_opt(2026, 3, 30),
        ..Default::default()
    }
    .parse(Zone::UTC);
    let recurrence = parsed.ok().and_then(|p| p.recurrence);
    assert_eq!(
        recurrence.as_ref().map(|r| r.text.as_str()),
        Some("FREQ=WEEKLY;UNTIL=20260330T215959Z")
    );
    assert_eq!(
        recurrence.and_then(|r| r.end),
        NaiveDate::from_ymd_opt(2026, 3, 30)
    );
}
