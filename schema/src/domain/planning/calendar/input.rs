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

/// Changes as a client sends them: `None` keeps a field, `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default)]
pub struct CalendarEventChanges {
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub event_type: Option<EventType>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<Option<DateTime<Utc>>>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub all_day: Option<bool>,
    pub timezone: Option<String>,
    pub location: Option<Option<String>>,
    pub color: Option<Option<String>>,
    pub reminder_minutes: Option<Option<i32>>,
    pub habit_id: Option<Option<Uuid>>,
    pub goal_id: Option<Option<Uuid>>,
    pub recurrence_rule: Option<Option<String>>,
    pub recurrence_end: Option<Option<NaiveDate>>,
}

/// Changes merged onto a stored event and checked; `touched` names what was sent, in the
/// API's words (`title`, `start`, …).
#[derive(Debug, Clone)]
pub struct CalendarEventForUpdate {
    pub fields: CalendarEventForCreate,
    pub touched: Vec<&'static str>,
}

impl CalendarEventChanges {
    pub fn touched(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        let mut mark = |sent: bool, name: &'static str| {
            if sent {
                names.push(name);
            }
        };
        mark(self.title.is_some(), "title");
        mark(self.description.is_some(), "description");
        mark(self.event_type.is_some(), "eventType");
        mark(self.start.is_some() || self.start_date.is_some(), "start");
        mark(self.end.is_some() || self.end_date.is_some(), "end");
        mark(self.all_day.is_some(), "allDay");
        mark(self.timezone.is_some(), "timezone");
        mark(self.location.is_some(), "location");
        mark(self.color.is_some(), "color");
        mark(self.reminder_minutes.is_some(), "reminderMinutes");
        mark(self.habit_id.is_some(), "habitId");
        mark(self.goal_id.is_some(), "goalId");
        mark(self.recurrence_rule.is_some(), "recurrenceRule");
        mark(self.recurrence_end.is_some(), "recurrenceEnd");
        names
    }

    /// The input `base` with these changes applied.
    pub fn apply(self, mut base: NewCalendarEvent) -> NewCalendarEvent {
        if let Some(title) = self.title {
            base.title = title;
        }
        if let Some(description) = self.description {
            base.description = description;
        }
        if let Some(event_type) = self.event_type {
            base.event_type = Some(event_type);
        }
        if let Some(all_day) = self.all_day {
            if all_day != base.all_day && self.end.is_none() && self.end_date.is_none() {
                // A new kind of event keeps its start, not its end.
                base.end = None;
                base.end_date = None;
            }
            base.all_day = all_day;
        }
        if let Some(start) = self.start {
            base.start = Some(start);
        }
        if let Some(end) = self.end {
            base.end = end;
        }
        if let Some(date) = self.start_date {
            base.start_date = Some(date);
        }
        if let Some(date) = self.end_date {
            base.end_date = Some(date);
        }
        if let Some(zone) = self.timezone {
            base.timezone = Some(zone);
        }
        if let Some(location) = self.location {
            base.location = location;
        }
        if let Some(color) = self.color {
            base.color = color;
        }
        if let Some(minutes) = self.reminder_minutes {
            base.reminder_minutes = minutes;
        }
        if let Some(habit) = self.habit_id {
            base.habit_id = habit;
        }
        if let Some(goal) = self.goal_id {
            base.goal_id = goal;
        }
        match (self.recurrence_rule, self.recurrence_end) {
            (Some(rule), end) => {
                base.recurrence_rule = rule;
                base.recurrence_end = end.flatten();
            }
            (None, Some(end)) => {
                // A new end date replaces the stored rule's own end.
                base.recurrence_rule = base.recurrence_rule.map(|r| recurrence::strip_ending(&r));
                base.recurrence_end = end;
            }
            (None, None) => {}
        }
        base
    }

    /// The changes merged onto `row`, checked.
    pub fn parse(self, row: &calendar_events::Model) -> AppResult<CalendarEventForUpdate> {
        let touched = self.touched();
        let fields = self
            .apply(NewCalendarEvent::from_row(row))
            .parse(zone_of(row))?;
        Ok(CalendarEventForUpdate { fields, touched })
    }
}

#[cfg(test)]
mod tests {
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
}
