//! Reaching a goal for the rules: always the owner's own (another user's goal is
//! NOT_FOUND, never the row), locked for update when a change follows.
use entity::goals;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::GoalId;
use crate::domain::{AppError, AppResult, UserId};

/// The caller's goal, locked against concurrent changes when `lock` (PostgreSQL; SQLite
/// writers are serialised anyway).
pub async fn owned(
    conn: &impl ConnectionTrait,
    user: UserId,
    id: GoalId,
    lock: bool,
) -> AppResult<goals::Model> {
    let mut select = goals::Entity::find_by_id(id.0).filter(goals::Column::UserId.eq(user.0));
    if lock {
        select = select.lock_exclusive();
    }
    select
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("goal", id.0))
}

/// The signed-in user past every gate (the gates decide).
pub use crate::domain::auth::gates::require_member_id as member;
