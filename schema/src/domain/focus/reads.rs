//! What a user reads of their own sessions: the active one, and every session as a
//! newest-first connection with simple filters.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{focus_pause_state, focus_sessions};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{
    store,
    timer::{Snapshot, Status},
};
use crate::domain::{
    Actor, AppResult,
    pagination::{self, Keyset, Listing, PageRequest},
};

/// The signed-in user's active session, if any.
pub async fn active(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<Option<Snapshot>> {
    store::active(db, actor.require_user()?).await
}

/// Which sessions to list; every field narrows. `from` is inclusive, `to` exclusive, both
/// on `started_at`.
#[derive(Debug, Clone, Default)]
pub struct SessionFilter {
    pub status: Option<Status>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// The signed-in user's sessions, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: SessionFilter,
    request: PageRequest,
) -> AppResult<Listing<focus_sessions::Entity>> {
    let user = actor.require_user()?;
    let mut select =
        focus_sessions::Entity::find().filter(focus_sessions::Column::UserId.eq(user.0));
    if let Some(status) = filter.status {
        select = select.filter(focus_sessions::Column::Status.eq(status.as_str()));
    }
    if let Some(from) = filter.from {
        select = select.filter(focus_sessions::Column::StartedAt.gte(from));
    }
    if let Some(to) = filter.to {
        select = select.filter(focus_sessions::Column::StartedAt.lt(to));
    }
    let keyset = Keyset::newest_first(
        focus_sessions::Column::StartedAt,
        focus_sessions::Column::Id,
    );
    pagination::paginate(db, select, keyset, request).await
}

/// The pause states of `sessions` (those ever paused), in one statement.
pub async fn pauses_of(
    conn: &impl ConnectionTrait,
    sessions: impl IntoIterator<Item = Uuid>,
) -> AppResult<HashMap<Uuid, focus_pause_state::Model>> {
    let rows = focus_pause_state::Entity::find()
        .filter(focus_pause_state::Column::SessionId.is_in(sessions))
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(|p| (p.session_id, p)).collect())
}
