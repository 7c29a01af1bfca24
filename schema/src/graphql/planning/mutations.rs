//! The event mutations: create, update (`scope: ALL` or `THIS_AND_FOLLOWING`), delete, and
//! one occurrence's `updateCalendarOccurrence` / `cancelCalendarOccurrence`. Each resolver
//! parses its input, calls one domain function and converts the result.
use async_graphql::{Context, Enum, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{CalendarEvent, CalendarOccurrence, EventType};
use crate::{
    domain::{
        AppError,
        planning::calendar::{
            EventId, OccurrenceId, exceptions,
            input::{CalendarEventChanges, NewCalendarEvent},
            keeping::{self, Scope},
        },
    },
    graphql::{context::ContextExt, input::change, scalars::Date},
};

#[derive(InputObject)]
pub struct CreateCalendarEventInput {
    /// 1–200 characters.
    title: String,
    description: Option<String>,
    #[graphql(default_with = "EventType::Event")]
    event_type: EventType,
    /// A timed event's start (required unless `allDay`).
    start: Option<DateTime<Utc>>,
    /// A timed event's end; at most 366 days after the start.
    end: Option<DateTime<Utc>>,
    /// An all-day event's first date (required when `allDay`).
    start_date: Option<Date>,
    /// The date after an all-day event's last (exclusive); the next day by default.
    end_date: Option<Date>,
    #[graphql(default = false)]
    all_day: bool,
    /// An IANA zone (`Europe/Berlin`); the viewer's by default.
    timezone: Option<String>,
    location: Option<String>,
    /// Hex, `#rgb` or `#rrggbb`.
    color: Option<String>,
    /// 0–40,320.
    reminder_minutes: Option<i32>,
    /// One of the viewer's habits.
    habit_id: Option<Uuid>,
    /// One of the viewer's goals.
    goal_id: Option<Uuid>,
    /// An RRULE (`FREQ=WEEKLY;COUNT=10`): DAILY, WEEKLY, MONTHLY or YEARLY; INTERVAL ≤ 366;
    /// COUNT ≤ 1,000. Expanded in the event's zone.
    recurrence_rule: Option<String>,
    /// The last date the series may occur on (becomes the rule's UNTIL).
    recurrence_end: Option<Date>,
}

#[derive(SimpleObject)]
pub struct CreateCalendarEventPayload {
    event: CalendarEvent,
}

/// Which occurrences an update reaches.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "CalendarEditScope")]
pub enum EditScope {
    /// The whole series.
    All,
    /// `occurrenceId` and every later occurrence: the series splits there.
    ThisAndFollowing,
}

#[derive(InputObject)]
pub struct UpdateCalendarEventInput {
    event_id: Uuid,
    #[graphql(default_with = "EditScope::All")]
    scope: EditScope,
    /// Where a THIS_AND_FOLLOWING edit splits the series.
    occurrence_id: Option<String>,
    title: Option<String>,
    description: MaybeUndefined<String>,
    event_type: Option<EventType>,
    start: Option<DateTime<Utc>>,
    end: MaybeUndefined<DateTime<Utc>>,
    start_date: Option<Date>,
    end_date: Option<Date>,
    all_day: Option<bool>,
    timezone: Option<String>,
    location: MaybeUndefined<String>,
    color: MaybeUndefined<String>,
    reminder_minutes: MaybeUndefined<i32>,
    habit_id: MaybeUndefined<Uuid>,
    goal_id: MaybeUndefined<Uuid>,
    /// Null makes it a one-off event.
    recurrence_rule: MaybeUndefined<String>,
    /// Null lets the series run on.
    recurrence_end: MaybeUndefined<Date>,
}

#[derive(SimpleObject)]
pub struct UpdateCalendarEventPayload {
    /// The edited series, or the new one a THIS_AND_FOLLOWING edit started.
    event: CalendarEvent,
}

#[derive(InputObject)]
pub struct DeleteCalendarEventInput {
    event_id: Uuid,
}

#[derive(SimpleObject)]
pub struct DeleteCalendarEventPayload {
    deleted_event_id: Uuid,
}

/// Changes to one occurrence.
#[derive(InputObject)]
pub struct CalendarOccurrenceChanges {
    title: Option<String>,
    description: MaybeUndefined<String>,
    event_type: Option<EventType>,
    start: Option<DateTime<Utc>>,
    end: MaybeUndefined<DateTime<Utc>>,
    start_date: Option<Date>,
    end_date: Option<Date>,
    location: MaybeUndefined<String>,
    color: MaybeUndefined<String>,
    reminder_minutes: MaybeUndefined<i32>,
}

#[derive(InputObject)]
pub struct UpdateCalendarOccurrenceInput {
    occurrence_id: String,
    changes: CalendarOccurrenceChanges,
}

#[derive(SimpleObject)]
pub struct UpdateCalendarOccurrencePayload {
    occurrence: CalendarOccurrence,
}

#[derive(InputObject)]
pub struct CancelCalendarOccurrenceInput {
    occurrence_id: String,
}

#[derive(SimpleObject)]
pub struct CancelCalendarOccurrencePayload {
    cancelled_occurrence_id: String,
}

impl From<CreateCalendarEventInput> for NewCalendarEvent {
    fn from(input: CreateCalendarEventInput) -> Self {
        Self {
            title: input.title,
            description: input.description,
            event_type: Some(input.event_type.into()),
            start: input.start,
            end: input.end,
            start_date: input.start_date.map(|d| d.0),
            end_date: input.end_date.map(|d| d.0),
            all_day: input.all_day,
            timezone: input.timezone,
            location: input.location,
            color: input.color,
            reminder_minutes: input.reminder_minutes,
            habit_id: input.habit_id,
            goal_id: input.goal_id,
            recurrence_rule: input.recurrence_rule,
            recurrence_end: input.recurrence_end.map(|d| d.0),
        }
    }
}

impl From<UpdateCalendarEventInput> for CalendarEventChanges {
    fn from(input: UpdateCalendarEventInput) -> Self {
        Self {
            title: input.title,
            description: change(input.description),
            event_type: input.event_type.map(Into::into),
            start: input.start,
            end: change(input.end),
            start_date: input.start_date.map(|d| d.0),
            end_date: input.end_date.map(|d| d.0),
            all_day: input.all_day,
            timezone: input.timezone,
            location: change(input.location),
            color: change(input.color),
            reminder_minutes: change(input.reminder_minutes),
            habit_id: change(input.habit_id),
            goal_id: change(input.goal_id),
            recurrence_rule: change(input.recurrence_rule),
            recurrence_end: change(input.recurrence_end).map(|d| d.map(|d| d.0)),
        }
    }
}

impl From<CalendarOccurrenceChanges> for CalendarEventChanges {
    fn from(input: CalendarOccurrenceChanges) -> Self {
        Self {
            title: input.title,
            description: change(input.description),
            event_type: input.event_type.map(Into::into),
            start: input.start,
            end: change(input.end),
            start_date: input.start_date.map(|d| d.0),
            end_date: input.end_date.map(|d| d.0),
            location: change(input.location),
            color: change(input.color),
            reminder_minutes: change(input.reminder_minutes),
            ..Self::default()
        }
    }
}

#[derive(Default)]
pub struct CalendarMutation;

#[Object]
impl CalendarMutation {
    async fn create_calendar_event(
        &self,
        ctx: &Context<'_>,
        input: CreateCalendarEventInput,
    ) -> async_graphql::Result<CreateCalendarEventPayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let event = keeping::create(db, actor, settings, input.into(), ctx.now()?).await?;
        Ok(CreateCalendarEventPayload {
            event: event.into(),
        })
    }

    /// Edits the whole series (`ALL`: exceptions whose occurrence no longer exists are
    /// dropped) or splits it at `occurrenceId` (`THIS_AND_FOLLOWING`).
    async fn update_calendar_event(
        &self,
        ctx: &Context<'_>,
        input: UpdateCalendarEventInput,
    ) -> async_graphql::Result<UpdateCalendarEventPayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let id = EventId(input.event_id);
        let scope = match (input.scope, input.occurrence_id.as_deref()) {
            (EditScope::All, _) => Scope::All,
            (EditScope::ThisAndFollowing, Some(occurrence)) => {
                Scope::ThisAndFollowing(OccurrenceId::parse(occurrence)?)
            }
            (EditScope::ThisAndFollowing, None) => {
                return Err(AppError::bad_input(
                    "occurrenceId",
                    "THIS_AND_FOLLOWING needs the occurrence to split at",
                )
                .into());
            }
        };
        let now = ctx.now()?;
        let event = keeping::update(db, actor, settings, id, input.into(), scope, now).await?;
        Ok(UpdateCalendarEventPayload {
            event: event.into(),
        })
    }

    /// Deletes an event with all its overrides and cancellations.
    async fn delete_calendar_event(
        &self,
        ctx: &Context<'_>,
        input: DeleteCalendarEventInput,
    ) -> async_graphql::Result<DeleteCalendarEventPayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let id = keeping::delete(db, actor, settings, EventId(input.event_id)).await?;
        Ok(DeleteCalendarEventPayload {
            deleted_event_id: id.0,
        })
    }

    /// Changes this occurrence only (an override of the series).
    async fn update_calendar_occurrence(
        &self,
        ctx: &Context<'_>,
        input: UpdateCalendarOccurrenceInput,
    ) -> async_graphql::Result<UpdateCalendarOccurrencePayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let id = OccurrenceId::parse(&input.occurrence_id)?;
        let changes = input.changes.into();
        let (occurrence, zone) =
            exceptions::update_occurrence(db, actor, settings, id, changes, ctx.now()?).await?;
        Ok(UpdateCalendarOccurrencePayload {
            occurrence: CalendarOccurrence::new(occurrence, zone),
        })
    }

    /// Cancels this occurrence only.
    async fn cancel_calendar_occurrence(
        &self,
        ctx: &Context<'_>,
        input: CancelCalendarOccurrenceInput,
    ) -> async_graphql::Result<CancelCalendarOccurrencePayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let id = OccurrenceId::parse(&input.occurrence_id)?;
        let id = exceptions::cancel_occurrence(db, actor, settings, id, ctx.now()?).await?;
        Ok(CancelCalendarOccurrencePayload {
            cancelled_occurrence_id: id.to_string(),
        })
    }
}
