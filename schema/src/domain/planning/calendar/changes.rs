//! Changes to an event as a client sends them, merged onto the stored row and then checked
//! as a whole, like a new event (`NewCalendarEvent::parse`).
use chrono::{DateTime, NaiveDate, Utc};
use entity::calendar_events;
use uuid::Uuid;

use super::{
    EventType,
    input::{CalendarEventForCreate, NewCalendarEvent},
    recurrence,
    timing::zone_of,
};
use crate::domain::AppResult;

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
