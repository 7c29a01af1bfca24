//! Reading goals: the user's list in their own order, one goal, and the milestones of
//! many goals at once (for a DataLoader, keyed by goals the caller already owns).
use std::collections::HashMap;

use entity::{goal_milestones, goals};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{GoalId, GoalStatus, store};
use crate::domain::{
    Actor, AppResult,
    pagination::{self, Keyset, Listing, PageRequest, Ranked},
};

/// Which goals to list; `status` narrows to one.
#[derive(Debug, Clone, Copy, Default)]
pub struct GoalFilter {
    pub status: Option<GoalStatus>,
}

/// The signed-in user's goals in their order (`sort_order`, then oldest first).
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: GoalFilter,
    request: PageRequest,
) -> AppResult<Listing<goals::Entity>> {
    let user = actor.require_user()?;
    let mut select = goals::Entity::find().filter(goals::Column::UserId.eq(user.0));
    if let Some(status) = filter.status {
        select = select.filter(goals::Column::Status.eq(status.as_str()));
    }
    let order = Ranked {
        rank: goals::Column::SortOrder,
        then: Keyset::oldest_first(goals::Column::CreatedAt, goals::Column::Id),
    };
    pagination::paginate(db, select, order, request).await
}

/// One of the signed-in user's goals.
pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: GoalId) -> AppResult<goals::Model> {
    store::owned(db, actor.require_user()?, id, false).await
}

/// The milestones of many goals, each goal's in its order.
pub async fn milestones_of(
    conn: &impl ConnectionTrait,
    goals: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<goal_milestones::Model>>> {
    let rows = goal_milestones::Entity::find()
        .filter(goal_milestones::Column::GoalId.is_in(goals.iter().copied()))
        .order_by_asc(goal_milestones::Column::SortOrder)
        .order_by_asc(goal_milestones::Column::Id)
        .all(conn)
        .await?;
    let mut found: HashMap<Uuid, Vec<goal_milestones::Model>> = HashMap::new();
    for row in rows {
        found.entry(row.goal_id).or_default().push(row);
    }
    Ok(found)
}
