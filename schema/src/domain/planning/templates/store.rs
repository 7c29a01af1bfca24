//! Reaching templates: one the caller may read (their own, or a public one), or one the
//! caller may write (their own only); anything else is NOT_FOUND, never the row.
use entity::plan_templates;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::TemplateId;
use crate::domain::{AppError, AppResult, UserId};

/// The templates `user` may read: their own and every public one.
pub fn readable(user: UserId) -> Condition {
    Condition::any()
        .add(plan_templates::Column::UserId.eq(user.0))
        .add(plan_templates::Column::IsPublic.eq(true))
}

pub async fn readable_one(
    conn: &impl ConnectionTrait,
    user: UserId,
    id: TemplateId,
) -> AppResult<plan_templates::Model> {
    plan_templates::Entity::find_by_id(id.0)
        .filter(readable(user))
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("planTemplate", id.0))
}

/// The caller's own template, locked for the change that follows.
pub async fn owned(
    conn: &impl ConnectionTrait,
    user: UserId,
    id: TemplateId,
) -> AppResult<plan_templates::Model> {
    plan_templates::Entity::find_by_id(id.0)
        .filter(plan_templates::Column::UserId.eq(user.0))
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("planTemplate", id.0))
}
