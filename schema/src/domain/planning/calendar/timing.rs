//! When a stored event happens: its frame (a zone, or dates for all-day events), its
//! duration, its rule, and the occurrences that overlap a window.
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use chrono_tz::Tz as Zone;
use entity::calendar_events;

use super::recurrence::{self, Frame, Rule};
use crate::domain::{AppError, AppResult, clock::utc};

/// An event's zone (UTC when unset or unknown).
pub fn zone_of(row: &calendar_events::Model) -> Zone {
    row.timezone
        .as_deref()
        .and_then(|z| z.parse().ok())
        .unwrap_or(Zone::UTC)
}

pub fn frame_of(row: &calendar_events::Model) -> Frame {
    if row.all_day {
        Frame::Dates
    } else {
        Frame::Zoned(zone_of(row))
    }
}

pub fn start_of(row: &calendar_events::Model) -> DateTime<Utc> {
    utc(&row.start_time)
}

/// How long each occurrence lasts (zero without an end).
pub fn duration_of(row: &calendar_events::Model) -> TimeDelta {
    row.end_time
        .as_ref()
        .map(|end| utc(end) - start_of(row))
        .unwrap_or_default()
}

/// The stored rule, parsed against the stored start.
pub fn rule_of(row: &calendar_events::Model) -> AppResult<Option<Rule>> {
    let Some(text) = row.recurrence_rule.as_deref() else {
        return Ok(None);
    };
    let frame = frame_of(row);
    recurrence::parse(text, frame.local(start_of(row)), frame)
        .map(Some)
        .map_err(|err| AppError::Internal(format!("stored rule of {}: {err}", row.id).into()))
}

/// `[from, to)`, and the viewer's zone, which places all-day dates.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub viewer: Zone,
}

/// One occurrence's times: its original start (the id's half), and its start and end
/// (an all-day occurrence's dates at 00:00 UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub original: DateTime<Utc>,
    pub start: DateTime<Utc>,
    pub end: Option<DateTime<Utc>>,
}

/// Whether `[start, start + duration)` in `frame` overlaps `window` (an instant event at
/// `from` does).
pub fn overlaps(frame: Frame, start: DateTime<Utc>, duration: TimeDelta, window: &Window) -> bool {
    match frame {
        Frame::Zoned(_) => {
            start < window.to && (start >= window.from || start + duration > window.from)
        }
        Frame::Dates => {
            let (from, to) = viewer_range(window);
            let local = start.naive_utc();
            local < to && (local >= from || local + duration > from)
        }
    }
}

fn viewer_range(window: &Window) -> (NaiveDateTime, NaiveDateTime) {
    let viewer = Frame::Zoned(window.viewer);
    (viewer.local(window.from), viewer.local(window.to))
}

/// The occurrences of `row` overlapping `window`, at most `limit`, and whether more exist.
pub fn spans(
    row: &calendar_events::Model,
    rule: Option<&Rule>,
    window: &Window,
    limit: usize,
) -> (Vec<Span>, bool) {
    let frame = frame_of(row);
    let duration = duration_of(row);
    let has_end = row.end_time.is_some();
    let (from, to) = match frame {
        Frame::Zoned(_) => (frame.local(window.from), frame.local(window.to)),
        Frame::Dates => viewer_range(window),
    };
    let slack = TimeDelta::days(1);
    let start = frame.local(start_of(row));
    let found =
        recurrence::starts_between(start, rule, from - duration - slack, to + slack, limit + 4);
    let mut spans = Vec::new();
    for local in found.starts {
        // A local time the zone skips that day is no occurrence.
        let Some(at) = frame.instant(local) else {
            continue;
        };
        if !overlaps(frame, at, duration, window) {
            continue;
        }
        if spans.len() == limit {
            return (spans, true);
        }
        spans.push(Span {
            original: at,
            start: at,
            end: has_end.then_some(at + duration),
        });
    }
    (spans, found.more)
}

/// Whether `original` is an occurrence of `row` under `rule`.
pub fn occurs_at(
    row: &calendar_events::Model,
    rule: Option<&Rule>,
    original: DateTime<Utc>,
) -> bool {
    let frame = frame_of(row);
    let local = frame.local(original);
    let found = recurrence::starts_between(
        frame.local(start_of(row)),
        rule,
        local,
        local + TimeDelta::seconds(1),
        1,
    );
    found.starts.first() == Some(&local) && frame.instant(local) == Some(original)
}
