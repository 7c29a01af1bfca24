//! Reaching a user's calendar rows: always the owner's own (another user's event, habit or
//! goal is NOT_FOUND, never the row), and writing checked fields onto a row.
use std::collections::HashMap;

use chrono_tz::Tz as Zone;
use entity::calendar_events;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use uuid::Uuid;

use super::{EventId, input::CalendarEventForCreate};
use crate::domain::{
    Actor, AppError, AppResult, UserId,
    auth::{AuthSettings, gates, preferences},
    goals::{self, GoalId},
    habits::{self, HabitId},
};

/// The signed-in user past every gate, and their zone.
pub async fn member(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    settings: &AuthSettings,
) -> AppResult<(UserId, Zone)> {
    let user = UserId(gates::require_member(conn, actor, settings).await?.id);
    let zone = preferences::load(conn, user).await?.time_zone;
    Ok((user, zone))
}

/// The caller's series or one-off event (not an exception row), locked when `lock`.
pub async fn owned_series(
    conn: &impl ConnectionTrait,
    user: UserId,
    id: EventId,
    lock: bool,
) -> AppResult<calendar_events::Model> {
    let mut select = calendar_events::Entity::find_by_id(id.0)
        .filter(calendar_events::Column::UserId.eq(user.0))
        .filter(calendar_events::Column::ParentEventId.is_null());
    if lock {
        select = select.lock_exclusive();
    }
    select
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("calendar event", id.0))
}

/// The exception rows (overrides and cancellations) of each series.
pub async fn exceptions_of(
    conn: &impl ConnectionTrait,
    series: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<calendar_events::Model>>> {
    let mut found: HashMap<Uuid, Vec<calendar_events::Model>> = HashMap::new();
    if series.is_empty() {
        return Ok(found);
    }
    let rows = calendar_events::Entity::find()
        .filter(calendar_events::Column::ParentEventId.is_in(series.iter().copied()))
        .all(conn)
        .await?;
    for row in rows {
        if let Some(parent) = row.parent_event_id {
            found.entry(parent).or_default().push(row);
        }
    }
    Ok(found)
}

/// A linked habit or goal must be the caller's own.
pub async fn check_links(
    conn: &impl ConnectionTrait,
    user: UserId,
    fields: &CalendarEventForCreate,
) -> AppResult<()> {
    if let Some(habit) = fields.habit_id {
        habits::store::owned(conn, user, HabitId(habit), false).await?;
    }
    if let Some(goal) = fields.goal_id {
        goals::store::owned(conn, user, GoalId(goal), false).await?;
    }
    Ok(())
}

/// Writes checked fields onto a row (times, rule and all).
pub fn write(row: &mut calendar_events::ActiveModel, fields: &CalendarEventForCreate) {
    let (start, end) = fields.timing.stored();
    row.title = Set(fields.title.clone());
    row.description = Set(fields.description.clone());
    row.event_type = Set(fields.event_type.as_str().to_owned());
    row.start_time = Set(start.into());
    row.end_time = Set(end.map(Into::into));
    row.all_day = Set(matches!(fields.timing, super::input::Timing::AllDay { .. }));
    row.timezone = Set(Some(fields.timing.zone().name().to_owned()));
    row.location = Set(fields.location.clone());
    row.color = Set(fields.color.clone());
    row.reminder_minutes = Set(fields.reminder_minutes);
    row.habit_id = Set(fields.habit_id);
    row.goal_id = Set(fields.goal_id);
    row.recurrence_rule = Set(fields.recurrence.as_ref().map(|r| r.text.clone()));
    row.recurrence_end = Set(fields.recurrence.as_ref().and_then(|r| r.end));
}
