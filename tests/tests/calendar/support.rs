//! The calendar operations the scenarios repeat, spoken as a client would, and the feed
//! read back through the `icalendar` parser and expanded with `rrule`.
use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use icalendar::{CalendarDateTime, Component, DatePerhapsTime, EventLike};
use serde_json::{Value, json};
use tests::{GqlResponse, Member, TestApp};

pub const EVENT: &str = "id title start end startDate endDate allDay timezone recurrenceRule recurrenceEnd sequence exceptions { occurrenceId originalStart cancelled override { title start } }";
const OCCURRENCE: &str =
    "occurrenceId seriesId originalStart isException title start end startDate endDate";

pub fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

pub async fn try_create(member: &Member<'_>, input: Value) -> GqlResponse {
    let query = format!(
        "mutation($input: CreateCalendarEventInput!) {{ createCalendarEvent(input: $input) {{ event {{ {EVENT} }} }} }}"
    );
    member.gql(&query, json!({ "input": input })).await
}

/// Creates an event and returns it.
pub async fn create(member: &Member<'_>, input: Value) -> Value {
    try_create(member, input).await.assert_ok()["createCalendarEvent"]["event"].clone()
}

pub async fn try_update(member: &Member<'_>, input: Value) -> GqlResponse {
    let query = format!(
        "mutation($input: UpdateCalendarEventInput!) {{ updateCalendarEvent(input: $input) {{ event {{ {EVENT} }} }} }}"
    );
    member.gql(&query, json!({ "input": input })).await
}

pub async fn update(member: &Member<'_>, input: Value) -> Value {
    try_update(member, input).await.assert_ok()["updateCalendarEvent"]["event"].clone()
}

pub async fn try_update_occurrence(member: &Member<'_>, id: &str, changes: Value) -> GqlResponse {
    let query = format!(
        "mutation($input: UpdateCalendarOccurrenceInput!) {{ updateCalendarOccurrence(input: $input) {{ occurrence {{ {OCCURRENCE} }} }} }}"
    );
    member
        .gql(
            &query,
            json!({ "input": { "occurrenceId": id, "changes": changes } }),
        )
        .await
}

pub async fn try_cancel(member: &Member<'_>, id: &str) -> GqlResponse {
    member
        .gql(
            "mutation($id: String!) { cancelCalendarOccurrence(input: {occurrenceId: $id}) { cancelledOccurrenceId } }",
            json!({ "id": id }),
        )
        .await
}

pub async fn try_delete(member: &Member<'_>, id: &str) -> GqlResponse {
    member
        .gql(
            "mutation($id: UUID!) { deleteCalendarEvent(input: {eventId: $id}) { deletedEventId } }",
            json!({ "id": id }),
        )
        .await
}

pub async fn try_event(member: &Member<'_>, id: &str) -> GqlResponse {
    let query =
        format!("query($id: UUID!) {{ viewer {{ calendarEvent(id: $id) {{ {EVENT} }} }} }}");
    member.gql(&query, json!({ "id": id })).await
}

pub async fn event(member: &Member<'_>, id: &str) -> Value {
    try_event(member, id).await.assert_ok()["viewer"]["calendarEvent"].clone()
}

/// `viewer.calendar(from, to)`: (occurrences, truncated).
pub async fn calendar(member: &Member<'_>, from: &str, to: &str) -> (Vec<Value>, bool) {
    let query = format!(
        "query($from: DateTime!, $to: DateTime!) {{ viewer {{ calendar(from: $from, to: $to) {{ truncated occurrences {{ {OCCURRENCE} }} }} }} }}"
    );
    let data = member.ok(&query, json!({ "from": from, "to": to })).await;
    let range = &data["viewer"]["calendar"];
    (
        range["occurrences"].as_array().cloned().unwrap_or_default(),
        range["truncated"].as_bool().unwrap(),
    )
}

/// The occurrences of a window as (start, title), read through the API.
pub async fn api_starts(member: &Member<'_>, from: &str, to: &str) -> Vec<(DateTime<Utc>, String)> {
    calendar(member, from, to)
        .await
        .0
        .iter()
        .map(|o| {
            (
                utc(o["start"].as_str().unwrap()),
                o["title"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

pub async fn create_feed(member: &Member<'_>) -> String {
    let data = member
        .ok("mutation { createCalendarFeed { url } }", json!({}))
        .await;
    data["createCalendarFeed"]["url"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// GETs the feed at `url` from this app (the URL's path on the app's address).
pub async fn get_feed(app: &TestApp, url: &str, etag: Option<&str>) -> reqwest::Response {
    let path = url::Url::parse(url).unwrap().path().to_owned();
    let mut request = app.http.get(app.url(&path));
    if let Some(etag) = etag {
        request = request.header("If-None-Match", etag);
    }
    request.send().await.unwrap()
}

fn instant(at: DatePerhapsTime) -> DateTime<Utc> {
    match at {
        DatePerhapsTime::DateTime(CalendarDateTime::Utc(at)) => at,
        DatePerhapsTime::DateTime(other) => other.try_into_utc().expect("a zoned time"),
        DatePerhapsTime::Date(date) => date.and_hms_opt(0, 0, 0).unwrap().and_utc(),
    }
}

/// The occurrences in `[from, to)` of the feed's text as (start, title): parsed by the
/// `icalendar` parser, each series expanded with `rrule` (EXDATEs included), each
/// occurrence with a RECURRENCE-ID override replaced by it.
pub fn feed_starts(body: &str, from: &str, to: &str) -> Vec<(DateTime<Utc>, String)> {
    let (from, to) = (utc(from), utc(to));
    let unfolded = icalendar::parser::unfold(body);
    let parsed = icalendar::parser::read_calendar(&unfolded).unwrap();
    let calendar: icalendar::Calendar = parsed.into();
    let mut overrides = HashMap::new();
    let mut masters = Vec::new();
    for event in calendar.events() {
        let uid = event.get_uid().unwrap().to_owned();
        match event.get_recurrence_id() {
            Some(original) => {
                overrides.insert((uid, instant(original)), event.clone());
            }
            None => masters.push(event.clone()),
        }
    }
    let mut found = Vec::new();
    for master in masters {
        let uid = master.get_uid().unwrap().to_owned();
        let set = master.get_recurrence().unwrap();
        let tz = rrule::Tz::UTC;
        let dates = set
            .after((from - TimeDelta::days(2)).with_timezone(&tz))
            .before((to + TimeDelta::days(2)).with_timezone(&tz))
            .all(1_000)
            .dates;
        for date in dates {
            let original = date.with_timezone(&Utc);
            let (start, title) = match overrides.get(&(uid.clone(), original)) {
                Some(changed) => (
                    instant(changed.get_start().unwrap()),
                    changed.get_summary().unwrap().to_owned(),
                ),
                None => (original, master.get_summary().unwrap().to_owned()),
            };
            if start >= from && start < to {
                found.push((start, title));
            }
        }
    }
    found.sort();
    found
}
