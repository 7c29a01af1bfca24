//! Activity events: one row per rewarded action, with what it paid; the user's feed.
use chrono::{DateTime, FixedOffset, Utc};
use entity::{activity_events, points_ledger};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Set,
    sea_query::Expr,
};
use uuid::Uuid;

use super::Action;
use crate::domain::{
    Actor, AppResult, UserId,
    pagination::{self, Keyset, Listing, PageRequest},
};

/// Writes the event of `action`, with what its ledger `entry` paid.
pub(super) async fn write(
    conn: &impl ConnectionTrait,
    user: UserId,
    action: &Action,
    entry: &points_ledger::Model,
    now: DateTime<Utc>,
) -> AppResult<()> {
    activity_events::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.0),
        event_type: Set(action.event_type.as_str().to_owned()),
        category: Set(action.category.clone()),
        metadata: Set(action.metadata.clone()),
        xp_earned: Set(Some(entry.xp)),
        coins_earned: Set(Some(entry.coins)),
        created_at: Set(now.into()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Which events to list; every field narrows. `from` is inclusive, `to` exclusive.
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    pub event_type: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// The signed-in user's activity, newest first.
pub async fn feed(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: ActivityFilter,
    request: PageRequest,
) -> AppResult<Listing<activity_events::Entity>> {
    let user = actor.require_user()?;
    let mut select =
        activity_events::Entity::find().filter(activity_events::Column::UserId.eq(user.0));
    if let Some(event_type) = filter.event_type {
        select = select.filter(activity_events::Column::EventType.eq(event_type));
    }
    if let Some(from) = filter.from {
        select = select.filter(activity_events::Column::CreatedAt.gte(from));
    }
    if let Some(to) = filter.to {
        select = select.filter(activity_events::Column::CreatedAt.lt(to));
    }
    let keyset = Keyset::newest_first(
        activity_events::Column::CreatedAt,
        activity_events::Column::Id,
    );
    pagination::paginate(db, select, keyset, request).await
}

/// Takes an undone action's event out of the feed (and out of the counts achievements and
/// quests read): the `event_type` event written at `at` whose metadata names `subject`
/// under `subject_key`. The ledger keeps the history; the feed shows what stands.
pub async fn retract(
    conn: &impl ConnectionTrait,
    user: UserId,
    event_type: super::EventType,
    at: DateTime<FixedOffset>,
    subject_key: &str,
    subject: Uuid,
) -> AppResult<()> {
    // The metadata's subject, read by each backend's own JSON operator.
    let names_subject = match conn.get_database_backend() {
        DbBackend::Postgres => Expr::cust_with_values(
            r#""metadata" ->> $1 = $2"#,
            [subject_key.to_owned(), subject.to_string()],
        ),
        _ => Expr::cust_with_values(
            r#"json_extract("metadata", ?) = ?"#,
            [format!("$.{subject_key}"), subject.to_string()],
        ),
    };
    activity_events::Entity::delete_many()
        .filter(activity_events::Column::UserId.eq(user.0))
        .filter(activity_events::Column::EventType.eq(event_type.as_str()))
        .filter(activity_events::Column::CreatedAt.eq(at))
        .filter(names_subject)
        .exec(conn)
        .await?;
    Ok(())
}
