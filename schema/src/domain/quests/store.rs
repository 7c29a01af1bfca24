//! Reaching quests for the rules: a standing and an own quest are always the caller's own
//! (another user's is NOT_FOUND, never the row), locked for update when a change follows.
use entity::{universal_quests, user_quest_progress, user_quests};
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect};

use super::{OwnQuestId, QuestId, progress::Held, terms};
use crate::domain::{AppError, AppResult, UserId};

/// Locks the caller's standing on catalog quest `id` against concurrent claims, or
/// NOT_FOUND when they hold none. On SQLite, whose writers are serialised anyway, it sends
/// nothing: the caller reads the standing next and finds it missing there.
pub async fn lock_standing(
    conn: &impl ConnectionTrait,
    user: UserId,
    id: QuestId,
) -> AppResult<()> {
    if conn.get_database_backend() == DbBackend::Sqlite {
        return Ok(());
    }
    user_quest_progress::Entity::find()
        .select_only()
        .column(user_quest_progress::Column::Id)
        .filter(user_quest_progress::Column::UserId.eq(user.0))
        .filter(user_quest_progress::Column::QuestId.eq(id.0))
        .lock_exclusive()
        .into_tuple::<uuid::Uuid>()
        .one(conn)
        .await?
        .map(drop)
        .ok_or_else(|| AppError::not_found("quest", id.0))
}

/// The caller's standing on catalog quest `id` (NOT_FOUND unless they accepted it), with
/// the rewards in force for its period.
pub async fn standing(
    conn: &impl ConnectionTrait,
    user: UserId,
    id: QuestId,
    lock: bool,
) -> AppResult<Held> {
    let mut select = user_quest_progress::Entity::find()
        .filter(user_quest_progress::Column::UserId.eq(user.0))
        .filter(user_quest_progress::Column::QuestId.eq(id.0));
    if lock {
        select = select.lock_exclusive();
    }
    let row = select
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("quest", id.0))?;
    let quest = universal_quests::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("quest", id.0))?;
    let mut held = [Held { row, quest }];
    terms::in_force(conn, &mut held).await?;
    let [held] = held;
    Ok(held)
}

/// The caller's own quest, locked against concurrent changes when `lock`.
pub async fn own(
    conn: &impl ConnectionTrait,
    user: UserId,
    id: OwnQuestId,
    lock: bool,
) -> AppResult<user_quests::Model> {
    let mut select =
        user_quests::Entity::find_by_id(id.0).filter(user_quests::Column::UserId.eq(user.0));
    if lock {
        select = select.lock_exclusive();
    }
    select
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("quest", id.0))
}

/// The signed-in user past every gate (the gates decide).
pub use crate::domain::auth::gates::require_member_id as member;
