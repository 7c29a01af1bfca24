//! Planning over GraphQL, along `domain/planning`: the calendar's objects here;
//! `viewer { calendar calendarEvent hasCalendarFeed }` in `queries`, the event and occurrence
//! mutations in `mutations`, the feed's in `feeds`. Daily plans: objects in `plans`,
//! `viewer { dailyPlan dailyPlans planTemplates … }` in `plan_queries`, item mutations in
//! `plan_mutations`; templates in `templates`; the home screen in `today`. Linked habits,
//! goals, milestones, a series' exceptions and an occurrence's series resolve through
//! DataLoaders.
pub mod feeds;
pub mod loaders;
pub mod mutations;
pub mod occurrences;
pub mod plan_mutations;
pub mod plan_queries;
pub mod plans;
pub mod queries;
pub mod templates;
pub mod today;

pub use occurrences::CalendarOccurrence;

use async_graphql::{Context, Enum, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz as Zone;
use entity::calendar_events;
use uuid::Uuid;

use crate::domain::{
    clock::utc,
    habits::HabitOnDay,
    planning::calendar::{
        self, EventView, ExceptionMeta, OccurrenceId, reads::Occurrence, timing::start_of,
    },
};
use crate::graphql::{
    context::ContextExt, goals::Goal, habits::Habit, loaders::owned_error, scalars::Date,
};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "CalendarEventType")]
pub enum EventType {
    Event,
    Focus,
    Workout,
    Habit,
    Goal,
}

impl From<EventType> for calendar::EventType {
    fn from(t: EventType) -> Self {
        match t {
            EventType::Event => Self::Event,
            EventType::Focus => Self::Focus,
            EventType::Workout => Self::Workout,
            EventType::Habit => Self::Habit,
            EventType::Goal => Self::Goal,
        }
    }
}

impl From<calendar::EventType> for EventType {
    fn from(t: calendar::EventType) -> Self {
        match t {
            calendar::EventType::Event => Self::Event,
            calendar::EventType::Focus => Self::Focus,
            calendar::EventType::Workout => Self::Workout,
            calendar::EventType::Habit => Self::Habit,
            calendar::EventType::Goal => Self::Goal,
        }
    }
}

/// 00:00 of `date` in the viewer's zone (where an all-day date begins for them).
pub(crate) fn midnight(date: NaiveDate, zone: Zone) -> DateTime<Utc> {
    let local = date.and_time(NaiveTime::MIN);
    zone.from_local_datetime(&local)
        .earliest()
        .map_or_else(|| local.and_utc(), |at| at.with_timezone(&Utc))
}

/// The fields an event row and an occurrence share.
pub(crate) struct Fields<'a> {
    pub(crate) row: &'a calendar_events::Model,
    pub(crate) start: DateTime<Utc>,
    pub(crate) end: Option<DateTime<Utc>>,
    pub(crate) zone: Zone,
}

impl Fields<'_> {
    pub(crate) fn start(&self) -> DateTime<Utc> {
        if self.row.all_day {
            midnight(self.start.date_naive(), self.zone)
        } else {
            self.start
        }
    }

    pub(crate) fn end(&self) -> Option<DateTime<Utc>> {
        let end = self.end?;
        Some(if self.row.all_day {
            midnight(end.date_naive(), self.zone)
        } else {
            end
        })
    }

    pub(crate) fn date(&self, at: Option<DateTime<Utc>>) -> Option<Date> {
        self.row
            .all_day
            .then(|| at.map(|a| Date(a.date_naive())))
            .flatten()
    }

    pub(crate) async fn habit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Habit>> {
        let Some(id) = self.row.habit_id else {
            return Ok(None);
        };
        let found = ctx
            .loaders()?
            .habits()
            .load_one(id)
            .await
            .map_err(owned_error)?;
        let today = ctx.now()?.with_timezone(&self.zone).date_naive();
        Ok(found.map(|habit| HabitOnDay { habit, today }.into()))
    }

    pub(crate) async fn goal(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Goal>> {
        let Some(id) = self.row.goal_id else {
            return Ok(None);
        };
        let found = ctx
            .loaders()?
            .goals()
            .load_one(id)
            .await
            .map_err(owned_error)?;
        Ok(found.map(Goal::from))
    }
}

/// A calendar event: a one-off event or a recurring series.
pub struct CalendarEvent {
    row: calendar_events::Model,
    zone: Zone,
}

impl From<EventView> for CalendarEvent {
    fn from(view: EventView) -> Self {
        Self {
            row: view.event,
            zone: view.viewer_zone,
        }
    }
}

impl CalendarEvent {
    fn fields(&self) -> Fields<'_> {
        Fields {
            row: &self.row,
            start: start_of(&self.row),
            end: self.row.end_time.as_ref().map(utc),
            zone: self.zone,
        }
    }
}

#[Object]
impl CalendarEvent {
    async fn id(&self) -> Uuid {
        self.row.id
    }

    async fn title(&self) -> &str {
        &self.row.title
    }

    async fn description(&self) -> Option<&str> {
        self.row.description.as_deref()
    }

    async fn event_type(&self) -> EventType {
        calendar::EventType::stored(&self.row.event_type).into()
    }

    /// When it starts; an all-day event's first date at 00:00 in the viewer's zone.
    async fn start(&self) -> DateTime<Utc> {
        self.fields().start()
    }

    /// When it ends (exclusive); null for an instant.
    async fn end(&self) -> Option<DateTime<Utc>> {
        self.fields().end()
    }

    /// An all-day event's first date; null for a timed event.
    async fn start_date(&self) -> Option<Date> {
        let f = self.fields();
        f.date(Some(f.start))
    }

    /// The date after an all-day event's last (exclusive); null for a timed event.
    async fn end_date(&self) -> Option<Date> {
        let f = self.fields();
        f.date(f.end)
    }

    async fn all_day(&self) -> bool {
        self.row.all_day
    }

    /// The IANA zone its times (and its recurrence) keep to.
    async fn timezone(&self) -> Option<&str> {
        self.row.timezone.as_deref()
    }

    async fn location(&self) -> Option<&str> {
        self.row.location.as_deref()
    }

    async fn color(&self) -> Option<&str> {
        self.row.color.as_deref()
    }

    async fn reminder_minutes(&self) -> Option<i32> {
        self.row.reminder_minutes
    }

    /// The RRULE (without `RRULE:`); null for a one-off event.
    async fn recurrence_rule(&self) -> Option<&str> {
        self.row.recurrence_rule.as_deref()
    }

    /// The last date (in the event's zone) the series may occur on; null when endless.
    async fn recurrence_end(&self) -> Option<Date> {
        self.row.recurrence_end.map(Date)
    }

    async fn habit_id(&self) -> Option<Uuid> {
        self.row.habit_id
    }

    async fn goal_id(&self) -> Option<Uuid> {
        self.row.goal_id
    }

    /// The viewer's habit it is linked to.
    async fn habit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Habit>> {
        self.fields().habit(ctx).await
    }

    /// The viewer's goal it is linked to.
    async fn goal(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Goal>> {
        self.fields().goal(ctx).await
    }

    /// Bumped on every edit (the feed's SEQUENCE).
    async fn sequence(&self) -> i64 {
        calendar::sequence(&self.row)
    }

    /// The series' overridden and cancelled occurrences, by original start.
    async fn exceptions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CalendarException>> {
        let rows = ctx
            .loaders()?
            .calendar_exceptions()
            .load_one(self.row.id)
            .await
            .map_err(owned_error)?
            .unwrap_or_default();
        let mut found: Vec<_> = rows
            .into_iter()
            .filter_map(|row| {
                let meta = ExceptionMeta::of(&row);
                let original = meta.original_start?;
                let id = OccurrenceId {
                    series: self.row.id,
                    original_start: original,
                };
                Some(CalendarException {
                    occurrence_id: id.to_string(),
                    original_start: original,
                    cancelled: meta.cancelled,
                    r#override: (!meta.cancelled).then(|| {
                        CalendarOccurrence::new(Occurrence::of_exception(id, row), self.zone)
                    }),
                })
            })
            .collect();
        found.sort_by_key(|e| e.original_start);
        Ok(found)
    }

    async fn created_at(&self) -> DateTime<Utc> {
        utc(&self.row.created_at)
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        utc(&self.row.updated_at)
    }
}

/// An exception to a series: an occurrence overridden or cancelled.
#[derive(SimpleObject)]
pub struct CalendarException {
    occurrence_id: String,
    /// The start the occurrence had in the series.
    original_start: DateTime<Utc>,
    cancelled: bool,
    /// The occurrence as overridden; null when cancelled.
    #[graphql(name = "override")]
    r#override: Option<CalendarOccurrence>,
}
