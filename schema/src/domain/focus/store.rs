//! Reading sessions for the rules: always the owner's own (another user's session is
//! NOT_FOUND, never the row), locked for update when a change follows.
use entity::{focus_pause_state, focus_sessions};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

use super::timer::{Snapshot, Status};
use crate::domain::{AppError, AppResult, UserId};

fn of_user(user: UserId) -> Select<focus_sessions::Entity> {
    focus_sessions::Entity::find().filter(focus_sessions::Column::UserId.eq(user.0))
}

fn joined((session, pause): (focus_sessions::Model, Option<focus_pause_state::Model>)) -> Snapshot {
    Snapshot { session, pause }
}

/// A session and its pause state, by id.
pub(super) async fn snapshot(
    conn: &impl ConnectionTrait,
    session: Uuid,
) -> AppResult<Option<Snapshot>> {
    let found = focus_sessions::Entity::find_by_id(session)
        .find_also_related(focus_pause_state::Entity)
        .one(conn)
        .await?;
    Ok(found.map(joined))
}

/// The user's most recently started session.
pub(super) async fn latest(
    conn: &impl ConnectionTrait,
    user: UserId,
) -> AppResult<Option<Snapshot>> {
    let found = of_user(user)
        .find_also_related(focus_pause_state::Entity)
        .order_by_desc(focus_sessions::Column::StartedAt)
        .order_by_desc(focus_sessions::Column::Id)
        .one(conn)
        .await?;
    Ok(found.map(joined))
}

/// The user's active session, if any.
pub(super) async fn active(
    conn: &impl ConnectionTrait,
    user: UserId,
) -> AppResult<Option<Snapshot>> {
    let found = of_user(user)
        .filter(focus_sessions::Column::Status.eq(Status::Active.as_str()))
        .find_also_related(focus_pause_state::Entity)
        .one(conn)
        .await?;
    Ok(found.map(joined))
}

/// The session a change applies to, locked until the transaction ends (`FOR UPDATE` on
/// PostgreSQL; SQLite's write transaction already holds the database): `id`, or the
/// user's active session when none is named.
pub(super) async fn target(
    conn: &impl ConnectionTrait,
    user: UserId,
    id: Option<Uuid>,
) -> AppResult<Snapshot> {
    let select = match id {
        Some(id) => of_user(user).filter(focus_sessions::Column::Id.eq(id)),
        None => of_user(user).filter(focus_sessions::Column::Status.eq(Status::Active.as_str())),
    };
    let session = select
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| match id {
            Some(id) => AppError::not_found("focus session", id),
            None => AppError::not_found("focus session", "active"),
        })?;
    with_pause(conn, session).await
}

/// The version of the user's latest change, with that session locked, so a new session
/// is stamped after it (and two changes of one user never share a version).
pub(super) async fn latest_version_locked(
    conn: &impl ConnectionTrait,
    user: UserId,
) -> AppResult<Option<i64>> {
    let Some(session) = of_user(user)
        .order_by_desc(focus_sessions::Column::StartedAt)
        .order_by_desc(focus_sessions::Column::Id)
        .lock_exclusive()
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(with_pause(conn, session).await?.version()))
}

/// A locked session with its pause state (read apart: PostgreSQL cannot lock the nullable
/// side of an outer join).
async fn with_pause(
    conn: &impl ConnectionTrait,
    session: focus_sessions::Model,
) -> AppResult<Snapshot> {
    let pause = focus_pause_state::Entity::find()
        .filter(focus_pause_state::Column::SessionId.eq(session.id))
        .one(conn)
        .await?;
    Ok(Snapshot { session, pause })
}
