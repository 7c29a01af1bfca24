//! Entitlements as admins manage them: listed, created (and granted to `admin` at
//! once), described and deleted. Every change is audited with its before and after.
use chrono::{DateTime, Utc};
use entity::{entitlements, role_entitlements};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, sea_query::OnConflict,
};
use serde_json::json;
use uuid::Uuid;

use super::{Entitlement, access, entitlement, grants::role_named};
use crate::domain::{
    Actor, AppError, AppResult, Reason, RequestMeta,
    auth::audit::{self, AuditEntry},
    db::begin_write,
};

/// Every entitlement, by name.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    now: DateTime<Utc>,
) -> AppResult<Vec<entitlements::Model>> {
    access::require(db, actor, Entitlement::ENTITLEMENTS_READ, now).await?;
    Ok(entitlements::Entity::find()
        .order_by_asc(entitlements::Column::Name)
        .all(db)
        .await?)
}

pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    resource: &str,
    action: &str,
    description: Option<String>,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<entitlements::Model> {
    let admin = access::require(db, actor, Entitlement::ENTITLEMENTS_CREATE, now).await?;
    let name = entitlement::parse(resource, action)?;
    let txn = begin_write(db).await?;
    let inserted = entitlements::Entity::insert(entitlements::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name.clone()),
        description: Set(description),
        resource: Set(resource.trim().to_owned()),
        action: Set(action.to_owned()),
        created_at: Set(now.into()),
    })
    .on_conflict(
        OnConflict::column(entitlements::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    if inserted == 0 {
        return Err(AppError::conflict(
            Reason::AlreadyExists,
            format!("the entitlement `{name}` exists"),
        ));
    }
    let created = entitlements::Entity::find()
        .filter(entitlements::Column::Name.eq(&name))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("entitlement", &name))?;
    // The admin role holds every entitlement, new ones included.
    let admin_role = role_named(&txn, super::grants::ADMIN_ROLE).await?;
    role_entitlements::ActiveModel {
        role_id: Set(admin_role.id),
        entitlement_id: Set(created.id),
        created_at: Set(now.into()),
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        meta,
        now,
        admin.0,
        "entitlement_created",
        "create",
        &created,
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

pub async fn describe(
    db: &DatabaseConnection,
    actor: &Actor,
    name: &str,
    description: Option<String>,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<entitlements::Model> {
    let admin = access::require(db, actor, Entitlement::ENTITLEMENTS_UPDATE, now).await?;
    let txn = begin_write(db).await?;
    let before = entitlement_named(&txn, name).await?;
    let mut changed: entitlements::ActiveModel = before.clone().into();
    changed.description = Set(description);
    let after = changed.update(&txn).await?;
    record(
        &txn,
        meta,
        now,
        admin.0,
        "entitlement_updated",
        "update",
        &after,
        Some(&before),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Deletes an entitlement; roles stop granting it.
pub async fn delete(
    db: &DatabaseConnection,
    actor: &Actor,
    name: &str,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<Uuid> {
    let admin = access::require(db, actor, Entitlement::ENTITLEMENTS_DELETE, now).await?;
    let txn = begin_write(db).await?;
    let before = entitlement_named(&txn, name).await?;
    entitlements::Entity::delete_by_id(before.id)
        .exec(&txn)
        .await?;
    record(
        &txn,
        meta,
        now,
        admin.0,
        "entitlement_deleted",
        "delete",
        &before,
        Some(&before),
    )
    .await?;
    txn.commit().await?;
    Ok(before.id)
}

async fn entitlement_named(
    conn: &impl ConnectionTrait,
    name: &str,
) -> AppResult<entitlements::Model> {
    entitlements::Entity::find()
        .filter(entitlements::Column::Name.eq(name))
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("entitlement", name))
}

#[allow(clippy::too_many_arguments)]
async fn record(
    conn: &impl ConnectionTrait,
    meta: &RequestMeta,
    now: DateTime<Utc>,
    admin: Uuid,
    event: &'static str,
    action: &'static str,
    subject: &entitlements::Model,
    before: Option<&entitlements::Model>,
) -> AppResult<()> {
    let shape = |e: &entitlements::Model| json!({ "name": e.name, "description": e.description });
    let after = (action != "delete").then(|| shape(subject));
    let entry = AuditEntry {
        resource_type: Some("entitlements"),
        resource_id: Some(subject.id),
        action: Some(action),
        ..AuditEntry::success(event).user(admin).details(json!({
            "before": before.map(shape),
            "after": after,
        }))
    };
    audit::record(conn, meta, now, entry).await
}
