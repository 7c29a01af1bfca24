//! Keeping events: create, update (`ALL` edits the series, `THIS_AND_FOLLOWING` splits it),
//! delete (with its exceptions, in one transaction: that foreign key has no cascade). Each
//! entry point checks the gates first and writes in one transaction; an event not the
//! caller's is NOT_FOUND.
use chrono::{DateTime, Utc};
use entity::calendar_events;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use uuid::Uuid;

use super::{
    EventId, EventView, ExceptionMeta, OccurrenceId,
    exceptions::follow_series,
    input::{CalendarEventChanges, NewCalendarEvent},
    sequence, split,
    store::{check_links, member, owned_series, write},
};
use crate::domain::{Actor, AppResult, UserId, auth::AuthSettings, db::begin_write};

/// Which occurrences an update reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The whole series.
    All,
    /// This occurrence and every later one: the series splits here.
    ThisAndFollowing(OccurrenceId),
}

pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    input: NewCalendarEvent,
    now: DateTime<Utc>,
) -> AppResult<EventView> {
    let (user, zone) = member(db, actor, settings).await?;
    let fields = input.parse(zone)?;
    let txn = begin_write(db).await?;
    check_links(&txn, user, &fields).await?;
    let mut row = calendar_events::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.0),
        parent_event_id: Set(None),
        workout_id: Set(None),
        metadata: Set(Some(ExceptionMeta::default().to_json())),
        created_at: Set(now.into()),
        updated_at: Set(now.into()),
        ..Default::default()
    };
    write(&mut row, &fields);
    let event = row.insert(&txn).await?;
    txn.commit().await?;
    Ok(EventView {
        event,
        viewer_zone: zone,
    })
}

pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    id: EventId,
    changes: CalendarEventChanges,
    scope: Scope,
    now: DateTime<Utc>,
) -> AppResult<EventView> {
    let (user, zone) = member(db, actor, settings).await?;
    let txn = begin_write(db).await?;
    let series = owned_series(&txn, user, id, true).await?;
    let event = match scope {
        Scope::All => edit_all(&txn, user, series, changes, now).await?,
        Scope::ThisAndFollowing(occurrence) => {
            split::this_and_following(&txn, user, series, occurrence, changes, now).await?
        }
    };
    txn.commit().await?;
    Ok(EventView {
        event,
        viewer_zone: zone,
    })
}

/// Edits a whole series; its exceptions follow (or go, when their occurrence is gone).
pub(super) async fn edit_all(
    txn: &impl ConnectionTrait,
    user: UserId,
    series: calendar_events::Model,
    changes: CalendarEventChanges,
    now: DateTime<Utc>,
) -> AppResult<calendar_events::Model> {
    let update = changes.parse(&series)?;
    check_links(txn, user, &update.fields).await?;
    let mut row: calendar_events::ActiveModel = series.clone().into();
    write(&mut row, &update.fields);
    row.metadata = Set(Some(bumped(&series)));
    row.updated_at = Set(now.into());
    let event = row.update(txn).await?;
    follow_series(txn, &event, now).await?;
    Ok(event)
}

/// A series' metadata with its SEQUENCE one higher.
pub(super) fn bumped(series: &calendar_events::Model) -> serde_json::Value {
    ExceptionMeta {
        sequence: sequence(series) + 1,
        ..ExceptionMeta::default()
    }
    .to_json()
}

/// Deletes an event with its overrides and cancellations.
pub async fn delete(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    id: EventId,
) -> AppResult<EventId> {
    let (user, _) = member(db, actor, settings).await?;
    let txn = begin_write(db).await?;
    let series = owned_series(&txn, user, id, true).await?;
    calendar_events::Entity::delete_many()
        .filter(calendar_events::Column::ParentEventId.eq(series.id))
        .exec(&txn)
        .await?;
    calendar_events::Entity::delete_by_id(series.id)
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(id)
}
