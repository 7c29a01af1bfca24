//! What a client may write about an event, parsed once at the edge: a new event arrives as
//! `NewCalendarEvent`, changes as `CalendarEventChanges` (merged onto the stored row), and
//! both parse into the full set of checked fields. Refusals are BAD_USER_INPUT naming the
//! field: blank title, end before start, an event longer than 366 days, an unknown zone, a
//! refused rule, an end date that disagrees with the rule's UNTIL.
use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeDelta, Utc};
use chrono_tz::Tz as Zone;
use entity::calendar_events;
use uuid::Uuid;

use super::{
    EventType,
    recurrence::{self, Ending, Frame, Rule},
    timing::{frame_of, start_of, zone_of},
};
use crate::domain::{AppError, AppResult, habits::input::color, text};

pub use super::changes::{CalendarEventChanges, CalendarEventForUpdate};

/// The longest an event may last.
pub const MAX_DAYS: i64 = 366;
/// The earliest a reminder may ring: four weeks before.
pub const MAX_REMINDER_MINUTES: i32 = 40_320;

/// An event as a client sends it (also the starting point an update is merged onto).
#[derive(Debug, Clone, Default)]
pub struct NewCalendarEvent {
    pub title: String,
    pub description: Option<String>,
    pub event_type: Option<EventType>,
    /// A timed event's start and end.
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    /// An all-day event's first date and the date after its last (exclusive).
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub all_day: bool,
    /// IANA zone; the user's own when absent.
    pub timezone: Option<String>,
    pub location: Option<String>,
    pub color: Option<String>,
    pub reminder_minutes: Option<i32>,
    pub habit_id: Option<Uuid>,
    pub goal_id: Option<Uuid>,
    pub recurrence_rule: Option<String>,
    pub recurrence_end: Option<NaiveDate>,
}

/// When an event happens, checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Timing {
    Timed {
        start: DateTime<Utc>,
        end: Option<DateTime<Utc>>,
        zone: Zone,
    },
    AllDay {
        start: NaiveDate,
        /// Exclusive.
        end: NaiveDate,
        zone: Zone,
    },
}

impl Timing {
    pub fn frame(&self) -> Frame {
        match self {
            Self::Timed { zone, .. } => Frame::Zoned(*zone),
            Self::AllDay { .. } => Frame::Dates,
        }
    }

    pub fn zone(&self) -> Zone {
        match self {
            Self::Timed { zone, .. } | Self::AllDay { zone, .. } => *zone,
        }
    }

    /// Stored start and end: an all-day event's dates at 00:00 UTC.
    pub fn stored(&self) -> (DateTime<Utc>, Option<DateTime<Utc>>) {
        match self {
            Self::Timed { start, end, .. } => (*start, *end),
            Self::AllDay { start, end, .. } => (
                start.and_time(NaiveTime::MIN).and_utc(),
                Some(end.and_time(NaiveTime::MIN).and_utc()),
            ),
        }
    }
}

/// A series' rule with the text to store and the end date derived from it.
#[derive(Debug, Clone)]
pub struct Recurrence {
    pub rule: Rule,
    pub text: String,
    pub end: Option<NaiveDate>,
}

impl Recurrence {
    pub fn of(rule: Rule, timing: &Timing) -> Self {
        Self::framed(rule, timing.frame(), timing.stored().0)
    }

    /// The rule of a series starting at `start` in `frame`.
    pub fn framed(rule: Rule, frame: Frame, start: DateTime<Utc>) -> Self {
        let start = frame.local(start);
        Self {
            text: rule.text(frame),
            end: recurrence::last_start(start, &rule).map(|at| at.date()),
            rule,
        }
    }
}

/// An event's fields, all checked.
#[derive(Debug, Clone)]
pub struct CalendarEventForCreate {
    pub title: String,
    pub description: Option<String>,
    pub event_type: EventType,
    pub timing: Timing,
    pub location: Option<String>,
    pub color: Option<String>,
    pub reminder_minutes: Option<i32>,
    pub habit_id: Option<Uuid>,
    pub goal_id: Option<Uuid>,
    pub recurrence: Option<Recurrence>,
}

fn bad(field: &str, message: &str) -> AppError {
    AppError::bad_input(field, message)
}

pub fn parse_zone(zone: &str) -> AppResult<Zone> {
    zone.trim()
        .parse()
        .map_err(|_| bad("timezone", "not an IANA time zone, such as Europe/Berlin"))
}

fn timing(input: &NewCalendarEvent, zone: Zone) -> AppResult<Timing> {
    let too_long = "an event lasts at most 366 days";
    if input.all_day {
        let start = input
            .start_date
            .ok_or_else(|| bad("startDate", "an all-day event needs a startDate"))?;
        let end = match input.end_date {
            Some(end) => end,
            None => start
                .checked_add_days(Days::new(1))
                .ok_or_else(|| bad("startDate", "out of range"))?,
        };
        if end <= start {
            return Err(bad(
                "endDate",
                "the end date (exclusive) must follow the start date",
            ));
        }
        if (end - start).num_days() > MAX_DAYS {
            return Err(bad("endDate", too_long));
        }
        Ok(Timing::AllDay { start, end, zone })
    } else {
        let start = input
            .start
            .ok_or_else(|| bad("start", "a timed event needs a start"))?;
        if let Some(end) = input.end {
            if end < start {
                return Err(bad("end", "an event cannot end before it starts"));
            }
            if end - start > TimeDelta::days(MAX_DAYS) {
                return Err(bad("end", too_long));
            }
        }
        Ok(Timing::Timed {
            start,
            end: input.end,
            zone,
        })
    }
}

fn recurrence_of(
    text: Option<&str>,
    end: Option<NaiveDate>,
    timing: &Timing,
) -> AppResult<Option<Recurrence>> {
    let Some(text) = text else {
        return match end {
            Some(_) => Err(bad(
                "recurrenceEnd",
                "only a recurring event has an end date",
            )),
            None => Ok(None),
        };
    };
    let frame = timing.frame();
    let start = frame.local(timing.stored().0);
    let mut rule = recurrence::parse(text, start, frame)?;
    if let Some(end) = end {
        match (rule.count(), rule.until()) {
            (Some(_), _) => {
                return Err(bad(
                    "recurrenceEnd",
                    "a series ends by COUNT or by an end date, not both",
                ));
            }
            (None, Some(until)) if until.date() != end => {
                return Err(bad(
                    "recurrenceEnd",
                    "disagrees with the rule's UNTIL; send one of them",
                ));
            }
            (None, Some(_)) => {}
            (None, None) => {
                let last = end.and_hms_opt(23, 59, 59).unwrap_or_default();
                if last < start {
                    return Err(bad("recurrenceEnd", "ends before the event starts"));
                }
                let until = if frame == Frame::Dates {
                    end.and_time(NaiveTime::MIN)
                } else {
                    last
                };
                rule = rule.ending(Ending::Until(until));
            }
        }
    }
    Ok(Some(Recurrence::of(rule, timing)))
}

impl NewCalendarEvent {
    /// Parses an event whose zone defaults to `default_zone` (the user's).
    pub fn parse(self, default_zone: Zone) -> AppResult<CalendarEventForCreate> {
        let zone = match self.timezone.as_deref() {
            Some(zone) => parse_zone(zone)?,
            None => default_zone,
        };
        let timing = timing(&self, zone)?;
        let reminder = self.reminder_minutes;
        if reminder.is_some_and(|m| !(0..=MAX_REMINDER_MINUTES).contains(&m)) {
            return Err(bad("reminderMinutes", "from 0 to 40,320 (four weeks)"));
        }
        Ok(CalendarEventForCreate {
            title: text::required("title", &self.title, 200)?,
            description: text::optional("description", self.description, 5_000)?,
            event_type: self.event_type.unwrap_or(EventType::Event),
            location: text::optional("location", self.location, 500)?,
            color: color(self.color)?,
            reminder_minutes: reminder,
            habit_id: self.habit_id,
            goal_id: self.goal_id,
            recurrence: recurrence_of(
                self.recurrence_rule.as_deref(),
                self.recurrence_end,
                &timing,
            )?,
            timing,
        })
    }

    /// A stored event as the input that would make it.
    pub fn from_row(row: &calendar_events::Model) -> Self {
        let frame = frame_of(row);
        let start = start_of(row);
        let end = row.end_time.as_ref().map(crate::domain::clock::utc);
        Self {
            title: row.title.clone(),
            description: row.description.clone(),
            event_type: Some(EventType::stored(&row.event_type)),
            start: Some(start),
            end,
            start_date: Some(frame.local(start).date()),
            end_date: end.map(|e| frame.local(e).date()),
            all_day: row.all_day,
            timezone: Some(zone_of(row).name().to_owned()),
            location: row.location.clone(),
            color: row.color.clone(),
            reminder_minutes: row.reminder_minutes,
            habit_id: row.habit_id,
            goal_id: row.goal_id,
            recurrence_rule: row.recurrence_rule.clone(),
            recurrence_end: None,
        }
    }
}

#[cfg(test)]
#[path = "input_tests.rs"]
mod tests;
