//! The feed's iCalendar text, built with the `icalendar` crate (never written by hand):
//! each series a VEVENT with a stable UID, its RRULE and EXDATEs (its cancellations),
//! each override a VEVENT sharing the UID with a RECURRENCE-ID, all-day events as
//! `VALUE=DATE` with an exclusive DTEND, zoned times with a TZID and a VTIMEZONE for each
//! zone, LAST-MODIFIED and SEQUENCE, and completed focus sessions as events in the Focus
//! category. Every DTSTAMP and UID is fixed by the data, so the same data gives the same text.
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz as Zone;
use entity::{calendar_events, focus_sessions};
use icalendar::{
    Alarm, Calendar, CalendarComponent, CalendarDateTime, Component, DatePerhapsTime, EventLike,
    Trigger,
};
use uuid::Uuid;

use super::{
    EventType, ExceptionMeta,
    recurrence::Frame,
    sequence,
    timing::{frame_of, start_of},
};
use crate::domain::clock::utc;

/// What a feed shows.
#[derive(Debug, Default)]
pub struct FeedData {
    /// Series and one-off events.
    pub events: Vec<calendar_events::Model>,
    /// Exception rows by series.
    pub exceptions: HashMap<Uuid, Vec<calendar_events::Model>>,
    /// Completed focus sessions.
    pub focus: Vec<focus_sessions::Model>,
}

/// An event's UID: the series' id, so every override shares it.
pub fn uid(series: Uuid) -> String {
    format!("{series}@calendar")
}

fn moment(frame: Frame, at: DateTime<Utc>) -> DatePerhapsTime {
    match frame {
        Frame::Dates => DatePerhapsTime::Date(at.date_naive()),
        Frame::Zoned(Zone::UTC) => at.into(),
        Frame::Zoned(zone) => {
            CalendarDateTime::from((at.with_timezone(&zone).naive_local(), zone)).into()
        }
    }
}

fn category(row: &calendar_events::Model) -> &'static str {
    match EventType::stored(&row.event_type) {
        EventType::Event => "Event",
        EventType::Focus => "Focus",
        EventType::Workout => "Workout",
        EventType::Habit => "Habit",
        EventType::Goal => "Goal",
    }
}

/// A VEVENT with the fields every event row shares.
fn vevent(row: &calendar_events::Model, uid: &str, seq: i64) -> icalendar::Event {
    let frame = frame_of(row);
    let modified = utc(&row.updated_at);
    let mut event = icalendar::Event::new();
    event
        .uid(uid)
        .summary(&row.title)
        .timestamp(modified)
        .last_modified(modified)
        .sequence(u32::try_from(seq).unwrap_or(0))
        .categories([category(row)])
        .starts(moment(frame, start_of(row)));
    if let Some(end) = &row.end_time {
        event.ends(moment(frame, utc(end)));
    }
    if let Some(description) = &row.description {
        event.description(description);
    }
    if let Some(location) = &row.location {
        event.location(location);
    }
    if let Some(minutes) = row.reminder_minutes {
        let mut alarm = Alarm::display(
            &row.title,
            Trigger::before_start(chrono::Duration::minutes(i64::from(minutes))),
        );
        alarm.uid(&format!("{uid}-alarm")).timestamp(modified);
        event.alarm(alarm);
    }
    event
}

/// The feed's text.
pub fn build(data: &FeedData, now: DateTime<Utc>) -> String {
    let mut calendar = Calendar::new();
    calendar.name("Calendar");
    // The zones used, with the first year each needs.
    let mut zones: BTreeMap<String, (Zone, i32)> = BTreeMap::new();
    for row in &data.events {
        let uid = uid(row.id);
        let mut event = vevent(row, &uid, sequence(row));
        let frame = frame_of(row);
        if let Frame::Zoned(zone) = frame
            && zone != Zone::UTC
        {
            let year = start_of(row).year();
            let entry = zones.entry(zone.name().to_owned()).or_insert((zone, year));
            entry.1 = entry.1.min(year);
        }
        if let Some(rule) = &row.recurrence_rule {
            event.add_property("RRULE", rule.as_str());
        }
        let mut exceptions: Vec<_> = data.exceptions.get(&row.id).into_iter().flatten().collect();
        exceptions.sort_by_key(|e| (ExceptionMeta::of(e).original_start, e.id));
        let mut overrides = Vec::new();
        for exception in exceptions {
            let meta = ExceptionMeta::of(exception);
            let Some(original) = meta.original_start else {
                continue;
            };
            if meta.cancelled {
                event.exdate(moment(frame, original));
            } else {
                let mut changed = vevent(exception, &uid, meta.sequence);
                changed.recurrence_id(moment(frame, original));
                overrides.push(changed.done());
            }
        }
        calendar.push(event.done());
        for changed in overrides {
            calendar.push(changed);
        }
    }
    for session in &data.focus {
        let start = utc(&session.started_at);
        let end = session.completed_at.as_ref().map(utc).unwrap_or(start);
        let mut event = icalendar::Event::new();
        event
            .uid(&format!("focus-{}@calendar", session.id))
            .summary(session.task_title.as_deref().unwrap_or("Focus"))
            .timestamp(end)
            .last_modified(end)
            .categories(["Focus"])
            .starts(start)
            .ends(end);
        calendar.push(event.done());
    }
    let last = now.year() + 2;
    for (zone, first) in zones.into_values() {
        let first = first.clamp(1970, last);
        let block = super::vtimezone::vtimezone(zone, first, last);
        calendar.push(CalendarComponent::from(block));
    }
    calendar.to_string()
}
