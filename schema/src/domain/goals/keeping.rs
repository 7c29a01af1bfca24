//! Keeping goals: create, update, delete, reorder. Each entry point checks the gates
//! first and writes in one transaction; a goal not the caller's is NOT_FOUND.
use chrono::{DateTime, Utc};
use entity::{goal_milestones, goals};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};
use uuid::Uuid;

use super::store::{member, owned};
use super::{
    GoalId, GoalStatus,
    input::{GoalChanges, NewGoal},
};
use crate::domain::{Actor, AppError, AppResult, auth::AuthSettings, db::begin_write, ordering};

/// Creates a goal, after the user's others unless a place is given.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    input: NewGoal,
    now: DateTime<Utc>,
) -> AppResult<goals::Model> {
    let user = member(db, actor, settings).await?;
    let input = input.parse()?;
    let txn = begin_write(db).await?;
    let sort_order = match input.sort_order {
        Some(n) => n,
        None => {
            let mine = goals::Entity::find().filter(goals::Column::UserId.eq(user.0));
            ordering::after_last(&txn, mine, goals::Column::SortOrder).await?
        }
    };
    let goal = goals::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.0),
        title: Set(input.title.into_inner()),
        description: Set(input.description),
        category: Set(input.category),
        target_date: Set(input.target_date),
        started_at: Set(Some(now.into())),
        completed_at: Set(None),
        status: Set(GoalStatus::Active.as_str().to_owned()),
        progress: Set(input.progress.map_or(0, |p| p.get())),
        priority: Set(input.priority.get()),
        sort_order: Set(sort_order),
        created_at: Set(now.into()),
        updated_at: Set(now.into()),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(goal)
}

pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    id: GoalId,
    changes: GoalChanges,
    now: DateTime<Utc>,
) -> AppResult<goals::Model> {
    let user = member(db, actor, settings).await?;
    let changes = changes.parse()?;
    let txn = begin_write(db).await?;
    let goal = owned(&txn, user, id, true).await?;
    if changes.progress.is_some() {
        let milestones = goal_milestones::Entity::find()
            .filter(goal_milestones::Column::GoalId.eq(goal.id))
            .count(&txn)
            .await?;
        if milestones > 0 {
            return Err(AppError::bad_input(
                "progress",
                "this goal's progress follows its milestones",
            ));
        }
    }
    let mut row: goals::ActiveModel = goal.into();
    if let Some(title) = changes.title {
        row.title = Set(title.into_inner());
    }
    if let Some(description) = changes.description {
        row.description = Set(description);
    }
    if let Some(category) = changes.category {
        row.category = Set(category);
    }
    if let Some(target_date) = changes.target_date {
        row.target_date = Set(target_date);
    }
    if let Some(priority) = changes.priority {
        row.priority = Set(priority.get());
    }
    if let Some(sort_order) = changes.sort_order {
        row.sort_order = Set(sort_order);
    }
    if let Some(progress) = changes.progress {
        row.progress = Set(progress.get());
    }
    row.updated_at = Set(now.into());
    let goal = row.update(&txn).await?;
    txn.commit().await?;
    Ok(goal)
}

/// Deletes a goal with its milestones; what they paid stays paid (deleting is not undo).
pub async fn delete(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    id: GoalId,
) -> AppResult<GoalId> {
    let user = member(db, actor, settings).await?;
    let txn = begin_write(db).await?;
    let goal = owned(&txn, user, id, true).await?;
    goals::Entity::delete_by_id(goal.id).exec(&txn).await?;
    txn.commit().await?;
    Ok(id)
}

/// Puts the listed goals in this order (`sort_order` 0, 1, …); others keep theirs.
pub async fn reorder(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    ids: Vec<GoalId>,
    now: DateTime<Utc>,
) -> AppResult<Vec<goals::Model>> {
    let user = member(db, actor, settings).await?;
    ordering::check_reorder(&ids, "goalIds")?;
    let txn = begin_write(db).await?;
    let mut goals = Vec::with_capacity(ids.len());
    for (i, id) in ids.into_iter().enumerate() {
        let mut row: goals::ActiveModel = owned(&txn, user, id, true).await?.into();
        row.sort_order = Set(ordering::position(i));
        row.updated_at = Set(now.into());
        goals.push(row.update(&txn).await?);
    }
    txn.commit().await?;
    Ok(goals)
}
