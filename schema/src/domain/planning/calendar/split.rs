//! "This and following": the series splits at an occurrence. The old series ends just
//! before it (a COUNT becomes the number of occurrences before it; otherwise an UNTIL one
//! second before), the new one starts there with the changes applied (a COUNT is what was
//! left of it), earlier occurrences and their exceptions stay as they were, and later
//! exceptions move to the new series when their original start is one of its occurrences,
//! and are dropped otherwise.
use chrono::{DateTime, TimeDelta, Utc};
use entity::calendar_events;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use uuid::Uuid;

use super::{
    ExceptionMeta, OccurrenceId,
    input::{CalendarEventChanges, Recurrence},
    keeping::{bumped, edit_all},
    recurrence::{self, Ending},
    store::{check_links, exceptions_of, write},
    timing::{duration_of, frame_of, occurs_at, rule_of, start_of},
};
use crate::domain::{AppError, AppResult, UserId};

pub(super) async fn this_and_following(
    txn: &impl ConnectionTrait,
    user: UserId,
    series: calendar_events::Model,
    occurrence: OccurrenceId,
    changes: CalendarEventChanges,
    now: DateTime<Utc>,
) -> AppResult<calendar_events::Model> {
    if occurrence.series != series.id {
        return Err(AppError::bad_input(
            "occurrenceId",
            "is an occurrence of another event",
        ));
    }
    let rule = rule_of(&series)?.ok_or_else(|| {
        AppError::bad_input("scope", "only a recurring event has following occurrences")
    })?;
    let original = occurrence.original_start;
    if !occurs_at(&series, Some(&rule), original) {
        return Err(AppError::not_found("calendar occurrence", occurrence));
    }
    if original == start_of(&series) {
        return edit_all(txn, user, series, changes, now).await;
    }
    let frame = frame_of(&series);
    let first = frame.local(start_of(&series));
    let split_at = frame.local(original);
    let (old_rule, new_rule) = match rule.count() {
        Some(count) => {
            let before =
                u32::try_from(recurrence::count_before(first, &rule, split_at)).unwrap_or(count);
            (
                rule.ending(Ending::Count(before)),
                rule.ending(Ending::Count(count.saturating_sub(before).max(1))),
            )
        }
        None => (
            rule.ending(Ending::Until(split_at - TimeDelta::seconds(1))),
            rule.clone(),
        ),
    };
    // The old series, ending before the occurrence.
    let old = Recurrence::framed(old_rule, frame, start_of(&series));
    let mut row: calendar_events::ActiveModel = series.clone().into();
    row.recurrence_rule = Set(Some(old.text));
    row.recurrence_end = Set(old.end);
    row.metadata = Set(Some(bumped(&series)));
    row.updated_at = Set(now.into());
    row.update(txn).await?;

    // The new series, from the occurrence on, with the changes.
    let mut base = series.clone();
    base.start_time = original.into();
    base.end_time = series
        .end_time
        .map(|_| (original + duration_of(&series)).into());
    base.recurrence_rule = Some(new_rule.text(frame));
    base.recurrence_end = None;
    let update = changes.parse(&base)?;
    check_links(txn, user, &update.fields).await?;
    let mut fresh = calendar_events::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.0),
        parent_event_id: Set(None),
        workout_id: Set(series.workout_id),
        metadata: Set(Some(ExceptionMeta::default().to_json())),
        created_at: Set(now.into()),
        updated_at: Set(now.into()),
        ..Default::default()
    };
    write(&mut fresh, &update.fields);
    let created = fresh.insert(txn).await?;

    let created_rule = rule_of(&created)?;
    let exceptions = exceptions_of(txn, &[series.id])
        .await?
        .remove(&series.id)
        .unwrap_or_default();
    for exception in exceptions {
        let Some(at) = ExceptionMeta::of(&exception).original_start else {
            continue;
        };
        if at < original {
            continue;
        }
        if occurs_at(&created, created_rule.as_ref(), at) {
            let mut moved: calendar_events::ActiveModel = exception.into();
            moved.parent_event_id = Set(Some(created.id));
            moved.updated_at = Set(now.into());
            moved.update(txn).await?;
        } else {
            calendar_events::Entity::delete_by_id(exception.id)
                .exec(txn)
                .await?;
        }
    }
    Ok(created)
}
