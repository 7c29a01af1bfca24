//! The calendar: events with an RRULE expanded in the event's own zone (local times stay
//! fixed across DST; a local time a DST change skips is skipped), all-day events as dates,
//! bounded range reads, single-occurrence overrides and cancellations, "this and following"
//! splits, and a private ICS feed. Every event, occurrence and feed is its owner's alone:
//! anyone else gets NOT_FOUND.
//!
//! Where the spec's `calendar_events` has no column, `metadata` holds it: a series'
//! `sequence`; an exception row's `originalStart` (the occurrence it replaces, RFC 3339 UTC),
//! `cancelled`, the fields it overrides, and its own `sequence`.
pub mod changes;
pub mod exceptions;
pub mod feed;
pub mod ics;
pub mod input;
pub mod keeping;
pub mod reads;
pub mod recurrence;
pub mod split;
pub mod store;
pub mod timing;
pub mod vtimezone;

use std::fmt;

use chrono::{DateTime, NaiveDateTime, Utc};
use entity::calendar_events;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::domain::{AppError, AppResult};

/// An event as the viewer reads it: the row, and the viewer's zone (which places the
/// dates of all-day events).
#[derive(Debug, Clone)]
pub struct EventView {
    pub event: calendar_events::Model,
    pub viewer_zone: chrono_tz::Tz,
}

/// A calendar event's id (a series or a one-off event).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventId(pub Uuid);

/// What an event is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Event,
    Focus,
    Workout,
    Habit,
    Goal,
}

impl EventType {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Event => "event",
            Self::Focus => "focus",
            Self::Workout => "workout",
            Self::Habit => "habit",
            Self::Goal => "goal",
        }
    }

    /// The stored value; anything unknown reads as a plain event.
    pub fn stored(value: &str) -> Self {
        match value {
            "focus" => Self::Focus,
            "workout" => Self::Workout,
            "habit" => Self::Habit,
            "goal" => Self::Goal,
            _ => Self::Event,
        }
    }
}

/// One occurrence of a series: the series' id and the occurrence's original start (UTC; an
/// all-day occurrence's date at 00:00 UTC). Written `<series>:<YYYYMMDDTHHMMSSZ>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OccurrenceId {
    pub series: Uuid,
    pub original_start: DateTime<Utc>,
}

const STAMP: &str = "%Y%m%dT%H%M%SZ";

impl OccurrenceId {
    pub fn parse(text: &str) -> AppResult<Self> {
        let bad = || AppError::bad_input("occurrenceId", "not an occurrence id");
        let (series, start) = text.split_once(':').ok_or_else(bad)?;
        let series = Uuid::parse_str(series).map_err(|_| bad())?;
        let start = NaiveDateTime::parse_from_str(start, STAMP).map_err(|_| bad())?;
        Ok(Self {
            series,
            original_start: start.and_utc(),
        })
    }
}

impl fmt::Display for OccurrenceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.series, self.original_start.format(STAMP))
    }
}

/// The event fields an override may replace, as named in its `metadata.fields`.
pub const OVERRIDABLE: [&str; 8] = [
    "title",
    "description",
    "eventType",
    "start",
    "end",
    "location",
    "color",
    "reminderMinutes",
];

/// An exception row's facts kept in `metadata`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExceptionMeta {
    pub original_start: Option<DateTime<Utc>>,
    pub cancelled: bool,
    pub fields: Vec<String>,
    pub sequence: i64,
}

impl ExceptionMeta {
    pub fn of(row: &calendar_events::Model) -> Self {
        let meta = row.metadata.as_ref();
        let get = |key: &str| meta.and_then(|m| m.get(key));
        Self {
            original_start: get("originalStart")
                .and_then(Value::as_str)
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                .map(|at| at.with_timezone(&Utc)),
            cancelled: get("cancelled").and_then(Value::as_bool).unwrap_or(false),
            fields: get("fields")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            sequence: get("sequence").and_then(Value::as_i64).unwrap_or(0),
        }
    }

    pub fn to_json(&self) -> Value {
        let mut value = json!({ "sequence": self.sequence });
        if let Some(at) = self.original_start {
            value["originalStart"] = json!(at.to_rfc3339());
            value["cancelled"] = json!(self.cancelled);
            value["fields"] = json!(self.fields);
        }
        value
    }

    pub fn overrides(&self, field: &str) -> bool {
        self.fields.iter().any(|f| f == field)
    }
}

/// The `SEQUENCE` of a row (bumped on every edit).
pub fn sequence(row: &calendar_events::Model) -> i64 {
    ExceptionMeta::of(row).sequence
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrence_ids_round_trip_and_refuse_garbage() {
        let id = OccurrenceId {
            series: Uuid::nil(),
            original_start: DateTime::parse_from_rfc3339("2026-03-29T07:00:00Z")
                .map(|d| d.with_timezone(&Utc))
                .unwrap_or_default(),
        };
        let text = id.to_string();
        assert_eq!(
            text,
            "00000000-0000-0000-0000-000000000000:20260329T070000Z"
        );
        assert_eq!(OccurrenceId::parse(&text).ok(), Some(id));
        for bad in [
            "",
            "x:20260329T070000Z",
            "00000000-0000-0000-0000-000000000000:2026",
        ] {
            assert!(OccurrenceId::parse(bad).is_err(), "{bad}");
        }
    }
}
