//! A goal's milestones: add, edit, reorder, delete, complete, uncomplete. Each change
//! locks the goal (one writer per goal), and the goal's progress follows. Completing pays
//! `milestone_done`; uncompleting takes it back; doing it again pays again.
use chrono::{DateTime, Utc};
use entity::{goal_milestones, goals};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, Set, sea_query::Query,
};
use uuid::Uuid;

use super::{
    GoalId, MilestoneId,
    input::MilestoneChanges,
    payments::{self, Doing},
    progress, store,
};
use crate::domain::{
    Actor, AppError, AppResult, UserId,
    auth::AuthSettings,
    auth::preferences::{self, Preferences},
    db::begin_write,
    gamification::Earned,
    ordering,
};

/// A milestone with its goal, as it stands after a change.
#[derive(Debug, Clone)]
pub struct MilestoneInGoal {
    pub milestone: goal_milestones::Model,
    pub goal: goals::Model,
}

/// The caller's milestone and its goal, the goal locked (another user's is NOT_FOUND).
pub async fn owned(
    conn: &impl ConnectionTrait,
    user: UserId,
    id: MilestoneId,
) -> AppResult<(goal_milestones::Model, goals::Model)> {
    let (milestone, goal, _) = locked(conn, user, id).await?;
    Ok((milestone, goal))
}

/// The caller's milestone, its goal locked, and all the goal's milestones as they stand
/// under that lock (the milestone among them), in two statements.
async fn locked(
    conn: &impl ConnectionTrait,
    user: UserId,
    id: MilestoneId,
) -> AppResult<(
    goal_milestones::Model,
    goals::Model,
    Vec<goal_milestones::Model>,
)> {
    let not_found = || AppError::not_found("milestone", id.0);
    let its_goal = Query::select()
        .column(goal_milestones::Column::GoalId)
        .from(goal_milestones::Entity)
        .and_where(goal_milestones::Column::Id.eq(id.0))
        .to_owned();
    let goal = goals::Entity::find()
        .filter(goals::Column::Id.in_subquery(its_goal))
        .filter(goals::Column::UserId.eq(user.0))
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(not_found)?;
    // Read under the goal's lock: a concurrent change may have moved the milestone.
    let siblings = goal_milestones::Entity::find()
        .filter(goal_milestones::Column::GoalId.eq(goal.id))
        .all(conn)
        .await?;
    let milestone = siblings
        .iter()
        .find(|m| m.id == id.0)
        .cloned()
        .ok_or_else(not_found)?;
    Ok((milestone, goal, siblings))
}

pub async fn add(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    goal: GoalId,
    input: MilestoneChanges,
    now: DateTime<Utc>,
) -> AppResult<MilestoneInGoal> {
    let user = store::member(db, actor, settings).await?;
    let input = input.parse_new()?;
    let txn = begin_write(db).await?;
    let goal = store::owned(&txn, user, goal, true).await?;
    let sort_order = match input.sort_order {
        Some(n) => n,
        None => {
            let siblings =
                goal_milestones::Entity::find().filter(goal_milestones::Column::GoalId.eq(goal.id));
            ordering::after_last(&txn, siblings, goal_milestones::Column::SortOrder).await?
        }
    };
    let milestone = goal_milestones::ActiveModel {
        id: Set(Uuid::now_v7()),
        goal_id: Set(goal.id),
        title: Set(input.title.into_inner()),
        description: Set(input.description),
        is_completed: Set(false),
        completed_at: Set(None),
        sort_order: Set(sort_order),
    }
    .insert(&txn)
    .await?;
    let goal = progress::refresh(&txn, goal, now).await?;
    txn.commit().await?;
    Ok(MilestoneInGoal { milestone, goal })
}

pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    id: MilestoneId,
    changes: MilestoneChanges,
) -> AppResult<MilestoneInGoal> {
    let user = store::member(db, actor, settings).await?;
    let changes = changes.parse_changes()?;
    let txn = begin_write(db).await?;
    let (milestone, goal) = owned(&txn, user, id).await?;
    let mut row: goal_milestones::ActiveModel = milestone.into();
    if let Some(title) = changes.title {
        row.title = Set(title.into_inner());
    }
    if let Some(description) = changes.description {
        row.description = Set(description);
    }
    if let Some(sort_order) = changes.sort_order {
        row.sort_order = Set(sort_order);
    }
    let milestone = row.update(&txn).await?;
    txn.commit().await?;
    Ok(MilestoneInGoal { milestone, goal })
}

/// Puts the listed milestones of one goal in this order; the goal's others keep theirs.
pub async fn reorder(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    goal: GoalId,
    ids: Vec<MilestoneId>,
) -> AppResult<goals::Model> {
    let user = store::member(db, actor, settings).await?;
    ordering::check_reorder(&ids, "milestoneIds")?;
    let txn = begin_write(db).await?;
    let goal = store::owned(&txn, user, goal, true).await?;
    for (i, id) in ids.into_iter().enumerate() {
        let moved = goal_milestones::Entity::update_many()
            .col_expr(
                goal_milestones::Column::SortOrder,
                sea_orm::sea_query::Expr::value(ordering::position(i)),
            )
            .filter(goal_milestones::Column::Id.eq(id.0))
            .filter(goal_milestones::Column::GoalId.eq(goal.id))
            .exec(&txn)
            .await?;
        if moved.rows_affected == 0 {
            return Err(AppError::not_found("milestone", id.0));
        }
    }
    txn.commit().await?;
    Ok(goal)
}

/// Deletes a milestone; what it paid stays paid (deleting is not undo).
pub async fn delete(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    id: MilestoneId,
    now: DateTime<Utc>,
) -> AppResult<goals::Model> {
    let user = store::member(db, actor, settings).await?;
    let txn = begin_write(db).await?;
    let (milestone, goal, mut siblings) = locked(&txn, user, id).await?;
    goal_milestones::Entity::delete_by_id(milestone.id)
        .exec(&txn)
        .await?;
    siblings.retain(|m| m.id != milestone.id);
    let goal = progress::settle(&txn, goal, &siblings, now).await?;
    txn.commit().await?;
    Ok(goal)
}

/// Completes (`done`) or uncompletes a milestone, with what completing it earned; asking
/// for what already stands changes nothing (and earns nothing).
pub async fn set_done(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    id: MilestoneId,
    done: bool,
    now: DateTime<Utc>,
) -> AppResult<(MilestoneInGoal, Earned)> {
    let user = store::member(db, actor, settings).await?;
    let prefs = preferences::of_actor(db, actor, user).await?;
    let txn = begin_write(db).await?;
    let found = set_done_in(&txn, user, &prefs, id, done, now).await?;
    txn.commit().await?;
    Ok(found)
}

/// [`set_done`] inside the caller's write transaction (a plan item's completion composes
/// with it).
pub async fn set_done_in(
    txn: &impl ConnectionTrait,
    user: UserId,
    prefs: &Preferences,
    id: MilestoneId,
    done: bool,
    now: DateTime<Utc>,
) -> AppResult<(MilestoneInGoal, Earned)> {
    let (milestone, goal, mut siblings) = locked(txn, user, id).await?;
    if milestone.is_completed == done {
        return Ok((MilestoneInGoal { milestone, goal }, Earned::default()));
    }
    let doing = Doing::milestone(&goal, &milestone);
    let done_at = milestone.completed_at;
    let mut row: goal_milestones::ActiveModel = milestone.into();
    row.is_completed = Set(done);
    row.completed_at = Set(done.then(|| now.into()));
    let milestone = row.update(txn).await?;
    let earned = if done {
        payments::pay(txn, user, prefs, doing, now).await?
    } else {
        payments::take_back(txn, user, prefs, &doing, done_at, now).await?;
        Earned::default()
    };
    siblings
        .iter_mut()
        .filter(|m| m.id == milestone.id)
        .for_each(|m| *m = milestone.clone());
    let goal = progress::settle(txn, goal, &siblings, now).await?;
    Ok((MilestoneInGoal { milestone, goal }, earned))
}
