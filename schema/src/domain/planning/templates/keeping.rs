//! Keeping templates: create, update, delete (the author only; anyone else NOT_FOUND),
//! save a day's plan as a new template, and a moderator's unpublishing.
use chrono::{DateTime, NaiveDate, Utc};
use entity::plan_templates;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};
use uuid::Uuid;

use super::{
    TemplateId, TemplateView,
    input::{self, NewPlanTemplate, PlanTemplateChanges, TemplateFields},
    store,
};
use crate::domain::{
    Actor, AppError, AppResult,
    auth::AuthSettings,
    db::begin_write,
    planning::plans::{items, store as plan_store},
    rbac::{access, entitlement::Entitlement},
};

pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    input: NewPlanTemplate,
    now: DateTime<Utc>,
) -> AppResult<TemplateView> {
    let (user, _) = plan_store::member(db, actor, settings).await?;
    let fields = input.parse()?;
    insert(db, user, fields, now).await
}

async fn insert(
    db: &DatabaseConnection,
    user: crate::domain::UserId,
    fields: TemplateFields,
    now: DateTime<Utc>,
) -> AppResult<TemplateView> {
    let row = plan_templates::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.0),
        name: Set(fields.name),
        description: Set(fields.description),
        items: Set(items::to_json(&fields.items)),
        is_public: Set(fields.is_public),
        category: Set(fields.category),
        use_count: Set(0),
        created_at: Set(now.into()),
        updated_at: Set(now.into()),
    }
    .insert(db)
    .await?;
    Ok(row.into())
}

pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    id: TemplateId,
    changes: PlanTemplateChanges,
    now: DateTime<Utc>,
) -> AppResult<TemplateView> {
    let (user, _) = plan_store::member(db, actor, settings).await?;
    let name = changes.name.as_deref().map(input::name).transpose()?;
    let description = changes.description.map(input::description).transpose()?;
    let category = changes.category.map(input::category).transpose()?;
    let new_items = changes.items.map(input::items).transpose()?;
    let txn = begin_write(db).await?;
    let found = store::owned(&txn, user, id).await?;
    let mut row: plan_templates::ActiveModel = found.into();
    if let Some(name) = name {
        row.name = Set(name);
    }
    if let Some(description) = description {
        row.description = Set(description);
    }
    if let Some(category) = category {
        row.category = Set(category);
    }
    if let Some(public) = changes.is_public {
        row.is_public = Set(public);
    }
    if let Some(new_items) = new_items {
        row.items = Set(items::to_json(&new_items));
    }
    row.updated_at = Set(now.into());
    let row = row.update(&txn).await?;
    txn.commit().await?;
    Ok(row.into())
}

pub async fn delete(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    id: TemplateId,
) -> AppResult<TemplateId> {
    let (user, _) = plan_store::member(db, actor, settings).await?;
    let txn = begin_write(db).await?;
    let found = store::owned(&txn, user, id).await?;
    plan_templates::Entity::delete_by_id(found.id)
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(id)
}

/// A day's plan (today when absent) as a new private template of the caller's.
pub async fn save_plan(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    date: Option<NaiveDate>,
    name: String,
    now: DateTime<Utc>,
) -> AppResult<TemplateView> {
    let (user, prefs) = plan_store::member(db, actor, settings).await?;
    let name = input::name(&name)?;
    let date = date.unwrap_or_else(|| prefs.local_date(now));
    let row = plan_store::find(db, user, date).await?;
    let plan = plan_store::view(row.as_ref(), date, prefs);
    if plan.items.is_empty() {
        return Err(AppError::bad_input("date", "that day's plan has no items"));
    }
    let fields = TemplateFields {
        name,
        description: None,
        category: None,
        is_public: false,
        items: input::from_plan(&plan.items),
    };
    insert(db, user, fields, now).await
}

/// A moderator takes a public template out of the shared list (it stays its author's).
pub async fn unpublish(
    db: &DatabaseConnection,
    actor: &Actor,
    id: TemplateId,
    now: DateTime<Utc>,
) -> AppResult<TemplateView> {
    access::require(db, actor, Entitlement::PLAN_TEMPLATES_UPDATE, now).await?;
    let txn = begin_write(db).await?;
    let found = plan_templates::Entity::find_by_id(id.0)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("planTemplate", id.0))?;
    let mut row: plan_templates::ActiveModel = found.into();
    row.is_public = Set(false);
    row.updated_at = Set(now.into());
    let row = row.update(&txn).await?;
    txn.commit().await?;
    Ok(row.into())
}
