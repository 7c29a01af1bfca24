//! Reaching a habit for the rules: always the owner's own (another user's habit is
//! NOT_FOUND, never the row), locked for update when a change follows.
use chrono::{DateTime, Utc};
use entity::habits;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::HabitId;
use crate::domain::{
    Actor, AppError, AppResult, UserId,
    auth::{
        AuthSettings, gates,
        preferences::{self, Preferences},
    },
};

/// The caller's habit, locked against concurrent completions when `lock` (PostgreSQL;
/// SQLite writers are serialised anyway).
pub async fn owned(
    conn: &impl ConnectionTrait,
    user: UserId,
    id: HabitId,
    lock: bool,
) -> AppResult<habits::Model> {
    let mut select = habits::Entity::find_by_id(id.0).filter(habits::Column::UserId.eq(user.0));
    if lock {
        select = select.lock_exclusive();
    }
    select
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("habit", id.0))
}

/// The signed-in user past every gate, and their local today.
pub async fn member_today(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    settings: &AuthSettings,
    now: DateTime<Utc>,
) -> AppResult<(UserId, chrono::NaiveDate)> {
    let (user, prefs) = member_day(conn, actor, settings).await?;
    Ok((user, prefs.local_date(now)))
}

/// The signed-in user past every gate, and the settings their day follows.
pub async fn member_day(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    settings: &AuthSettings,
) -> AppResult<(UserId, Preferences)> {
    let user = UserId(gates::require_member(conn, actor, settings).await?.id);
    Ok((user, preferences::of_actor(conn, actor, user).await?))
}
