//! Exceptions to a series: an override of one occurrence (a row with `parent_event_id` =
//! the series and the occurrence's original start in `metadata`), a cancellation (the same,
//! `cancelled`), and how both follow an edit of the whole series: fields the override did
//! not change follow the series; an exception whose original start no longer occurs goes.
use chrono::{DateTime, Utc};
use entity::calendar_events;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set};
use uuid::Uuid;

use super::{
    EventId, ExceptionMeta, OccurrenceId,
    input::CalendarEventChanges,
    keeping::bumped,
    reads::Occurrence,
    store::{exceptions_of, member, owned_series, write},
    timing::{duration_of, occurs_at, rule_of, start_of},
};
use crate::domain::{Actor, AppError, AppResult, UserId, auth::AuthSettings, db::begin_write};

/// The series and its exception for `occurrence`, once the occurrence is known to exist.
async fn locate(
    txn: &impl ConnectionTrait,
    user: UserId,
    occurrence: OccurrenceId,
) -> AppResult<(calendar_events::Model, Option<calendar_events::Model>)> {
    let series = owned_series(txn, user, EventId(occurrence.series), true).await?;
    let rule = rule_of(&series)?;
    let missing = || AppError::not_found("calendar occurrence", occurrence);
    if rule.is_none() || !occurs_at(&series, rule.as_ref(), occurrence.original_start) {
        return Err(missing());
    }
    let existing = exceptions_of(txn, &[series.id])
        .await?
        .remove(&series.id)
        .unwrap_or_default()
        .into_iter()
        .find(|row| ExceptionMeta::of(row).original_start == Some(occurrence.original_start));
    Ok((series, existing))
}

/// The series as that one occurrence: its times, no rule.
fn as_occurrence(
    series: &calendar_events::Model,
    original: DateTime<Utc>,
) -> calendar_events::Model {
    let mut row = series.clone();
    let duration = duration_of(series);
    row.start_time = original.into();
    row.end_time = series.end_time.map(|_| (original + duration).into());
    row.recurrence_rule = None;
    row.recurrence_end = None;
    row
}

/// The exception row to write: the existing one, or a new one copying the series as that
/// occurrence.
fn exception_row(
    existing: Option<calendar_events::Model>,
    series: &calendar_events::Model,
    original: DateTime<Utc>,
    now: DateTime<Utc>,
) -> calendar_events::ActiveModel {
    match existing {
        Some(row) => row.into(),
        None => {
            let mut row: calendar_events::ActiveModel = as_occurrence(series, original).into();
            row.id = Set(Uuid::now_v7());
            row.parent_event_id = Set(Some(series.id));
            row.created_at = Set(now.into());
            row
        }
    }
}

/// Overrides one occurrence (this one only). Editing it again edits the same override.
pub async fn update_occurrence(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    occurrence: OccurrenceId,
    changes: CalendarEventChanges,
    now: DateTime<Utc>,
) -> AppResult<(Occurrence, chrono_tz::Tz)> {
    let (user, zone) = member(db, actor, settings).await?;
    let txn = begin_write(db).await?;
    let (series, existing) = locate(&txn, user, occurrence).await?;
    let mut meta = existing.as_ref().map(ExceptionMeta::of).unwrap_or_default();
    if meta.cancelled {
        return Err(AppError::not_found("calendar occurrence", occurrence));
    }
    let base = match &existing {
        Some(row) => row.clone(),
        None => as_occurrence(&series, occurrence.original_start),
    };
    let update = changes.parse(&base)?;
    for field in update.touched {
        if !meta.overrides(field) {
            meta.fields.push(field.to_owned());
        }
    }
    meta.original_start = Some(occurrence.original_start);
    meta.sequence += 1;
    let fresh = existing.is_none();
    let mut row = exception_row(existing, &series, occurrence.original_start, now);
    write(&mut row, &update.fields);
    row.metadata = Set(Some(meta.to_json()));
    row.updated_at = Set(now.into());
    let saved = if fresh {
        row.insert(&txn).await?
    } else {
        row.update(&txn).await?
    };
    txn.commit().await?;
    Ok((Occurrence::of_exception(occurrence, saved), zone))
}

/// Cancels one occurrence (an EXDATE in the feed). Cancelling it again changes nothing.
pub async fn cancel_occurrence(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    occurrence: OccurrenceId,
    now: DateTime<Utc>,
) -> AppResult<OccurrenceId> {
    let (user, _) = member(db, actor, settings).await?;
    let txn = begin_write(db).await?;
    let (series, existing) = locate(&txn, user, occurrence).await?;
    let mut meta = existing.as_ref().map(ExceptionMeta::of).unwrap_or_default();
    if meta.cancelled {
        return Ok(occurrence);
    }
    meta.original_start = Some(occurrence.original_start);
    meta.cancelled = true;
    meta.sequence += 1;
    let fresh = existing.is_none();
    let mut row = exception_row(existing, &series, occurrence.original_start, now);
    row.metadata = Set(Some(meta.to_json()));
    row.updated_at = Set(now.into());
    if fresh {
        row.insert(&txn).await?;
    } else {
        row.update(&txn).await?;
    }
    // The series' own VEVENT changes (a new EXDATE).
    let mut master: calendar_events::ActiveModel = series.clone().into();
    master.metadata = Set(Some(bumped(&series)));
    master.updated_at = Set(now.into());
    master.update(&txn).await?;
    txn.commit().await?;
    Ok(occurrence)
}

/// After an edit of the whole series: each exception whose original start no longer occurs
/// is dropped; an override takes the series' new values for the fields it did not change.
pub(super) async fn follow_series(
    txn: &impl ConnectionTrait,
    series: &calendar_events::Model,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let rule = rule_of(series)?;
    let rows = exceptions_of(txn, &[series.id])
        .await?
        .remove(&series.id)
        .unwrap_or_default();
    for exception in rows {
        let meta = ExceptionMeta::of(&exception);
        let occurs = meta
            .original_start
            .is_some_and(|at| occurs_at(series, rule.as_ref(), at));
        if !occurs {
            calendar_events::Entity::delete_by_id(exception.id)
                .exec(txn)
                .await?;
            continue;
        }
        let mut row: calendar_events::ActiveModel = exception.clone().into();
        let keep = |field: &str| meta.overrides(field);
        if !keep("title") {
            row.title = Set(series.title.clone());
        }
        if !keep("description") {
            row.description = Set(series.description.clone());
        }
        if !keep("eventType") {
            row.event_type = Set(series.event_type.clone());
        }
        if !keep("location") {
            row.location = Set(series.location.clone());
        }
        if !keep("color") {
            row.color = Set(series.color.clone());
        }
        if !keep("reminderMinutes") {
            row.reminder_minutes = Set(series.reminder_minutes);
        }
        if !keep("end") {
            let start = start_of(&exception);
            row.end_time = Set(series
                .end_time
                .map(|_| (start + duration_of(series)).into()));
        }
        row.habit_id = Set(series.habit_id);
        row.goal_id = Set(series.goal_id);
        row.all_day = Set(series.all_day);
        row.timezone = Set(series.timezone.clone());
        row.updated_at = Set(now.into());
        row.update(txn).await?;
    }
    Ok(())
}
