//! Reaching a user's plans: always the owner's own rows. A write takes the date's row
//! locked ([`locked`]): created empty when missing (`INSERT … ON CONFLICT DO NOTHING`, so
//! the first writers of a date race on the unique (user, date) without failing), then
//! `SELECT … FOR UPDATE` on PostgreSQL (SQLite writers hold the write lock from
//! `begin_write`), so item edits queue on the row and never lose one another. Refs must be
//! the caller's own habit, goal, milestone or occurrence, else NOT_FOUND.
use chrono::{DateTime, NaiveDate, Utc};
use entity::daily_plans;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, sea_query::OnConflict,
};
use serde_json::json;
use uuid::Uuid;

use super::{ItemRef, PlanItem, PlanView, items};
use crate::domain::{
    Actor, AppError, AppResult, Reason, UserId,
    auth::{
        AuthSettings, gates,
        preferences::{self, Preferences},
    },
    clock::utc,
    goals::{self, GoalId, MilestoneId},
    habits::{self, HabitId},
    planning::calendar::{
        EventId, ExceptionMeta, OccurrenceId,
        store::{exceptions_of, owned_series},
        timing::{occurs_at, rule_of, start_of},
    },
};

/// The signed-in user past every gate, and their day (zone and day-start hour).
pub async fn member(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    settings: &AuthSettings,
) -> AppResult<(UserId, Preferences)> {
    let user = gates::require_member_id(conn, actor, settings).await?;
    Ok((user, preferences::load(conn, user).await?))
}

/// The signed-in user and their day, for reads.
pub async fn reader(
    conn: &impl ConnectionTrait,
    actor: &Actor,
) -> AppResult<(UserId, Preferences)> {
    let user = actor.require_user()?;
    Ok((user, preferences::load(conn, user).await?))
}

/// The user's plan of `date`, if it has a row.
pub async fn find(
    conn: &impl ConnectionTrait,
    user: UserId,
    date: NaiveDate,
) -> AppResult<Option<daily_plans::Model>> {
    Ok(daily_plans::Entity::find()
        .filter(daily_plans::Column::UserId.eq(user.0))
        .filter(daily_plans::Column::Date.eq(date))
        .one(conn)
        .await?)
}

/// The user's plans from `from` to `to` (both included), by date.
pub async fn in_range(
    conn: &impl ConnectionTrait,
    user: UserId,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<daily_plans::Model>> {
    Ok(daily_plans::Entity::find()
        .filter(daily_plans::Column::UserId.eq(user.0))
        .filter(daily_plans::Column::Date.gte(from))
        .filter(daily_plans::Column::Date.lte(to))
        .order_by_asc(daily_plans::Column::Date)
        .all(conn)
        .await?)
}

/// The user's plan row of `date`, created empty when missing, locked until the caller's
/// transaction ends.
pub async fn locked(
    txn: &impl ConnectionTrait,
    user: UserId,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<daily_plans::Model> {
    daily_plans::Entity::insert(daily_plans::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.0),
        date: Set(date),
        items: Set(json!([])),
        notes: Set(None),
        created_at: Set(now.into()),
        updated_at: Set(now.into()),
    })
    .on_conflict(
        OnConflict::columns([daily_plans::Column::UserId, daily_plans::Column::Date])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    daily_plans::Entity::find()
        .filter(daily_plans::Column::UserId.eq(user.0))
        .filter(daily_plans::Column::Date.eq(date))
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| AppError::Internal("a plan row vanished under its lock".into()))
}

/// A plan as the viewer reads it; `None` is an empty plan.
pub fn view(row: Option<&daily_plans::Model>, date: NaiveDate, prefs: Preferences) -> PlanView {
    let items = row
        .map(|r| items::from_json(&r.items, r.id))
        .unwrap_or_default();
    let notes = row.and_then(|r| r.notes.clone());
    PlanView {
        id: row.map(|r| r.id),
        date,
        version: items::version(&items, notes.as_deref()),
        items,
        notes,
        updated_at: row.map(|r| utc(&r.updated_at)),
        prefs,
    }
}

/// Refuses a change made against a version the plan has moved on from.
pub fn check_version(plan: &PlanView, expected: Option<&str>) -> AppResult<()> {
    match expected {
        Some(expected) if expected != plan.version => Err(AppError::conflict(
            Reason::PlanChanged,
            "the plan changed since you read it; read it again and retry",
        )),
        _ => Ok(()),
    }
}

/// Writes a plan's items and notes.
pub async fn save(
    txn: &impl ConnectionTrait,
    row: daily_plans::Model,
    items: &[PlanItem],
    notes: Option<String>,
    now: DateTime<Utc>,
) -> AppResult<daily_plans::Model> {
    let mut active: daily_plans::ActiveModel = row.into();
    active.items = Set(items::to_json(items));
    active.notes = Set(notes);
    active.updated_at = Set(now.into());
    Ok(active.update(txn).await?)
}

/// A ref must reach the caller's own live target.
pub async fn check_ref(conn: &impl ConnectionTrait, user: UserId, r: ItemRef) -> AppResult<()> {
    match r {
        ItemRef::Habit(id) => {
            habits::store::owned(conn, user, HabitId(id), false).await?;
        }
        ItemRef::Goal(id) => {
            goals::store::owned(conn, user, GoalId(id), false).await?;
        }
        ItemRef::Milestone(id) => {
            goals::milestones::owned(conn, user, MilestoneId(id)).await?;
        }
        ItemRef::Occurrence(id) => {
            if !occurrence_exists(conn, user, id).await? {
                return Err(AppError::not_found("calendar occurrence", id));
            }
        }
    }
    Ok(())
}

/// Whether `id` is a live (not cancelled) occurrence of one of the caller's events.
async fn occurrence_exists(
    conn: &impl ConnectionTrait,
    user: UserId,
    id: OccurrenceId,
) -> AppResult<bool> {
    let series = owned_series(conn, user, EventId(id.series), false).await?;
    let rule = rule_of(&series)?;
    let occurs = match rule {
        None => start_of(&series) == id.original_start,
        Some(rule) => occurs_at(&series, Some(&rule), id.original_start),
    };
    if !occurs {
        return Ok(false);
    }
    let cancelled = exceptions_of(conn, &[series.id])
        .await?
        .remove(&series.id)
        .unwrap_or_default()
        .iter()
        .map(ExceptionMeta::of)
        .any(|m| m.original_start == Some(id.original_start) && m.cancelled);
    Ok(!cancelled)
}
