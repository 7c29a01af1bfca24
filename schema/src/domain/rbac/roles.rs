//! Roles as admins manage them. A role inherits its parent chain's
//! entitlements; a parent that would close a cycle is refused. The seeded roles cannot
//! be renamed or deleted: sign-up and the admin bootstrap rely on their names.
use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use entity::{entitlements, role_entitlements, roles};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, sea_query::OnConflict,
};
use serde_json::json;
use uuid::Uuid;

use super::{
    Entitlement,
    access::{self, RoleGraph},
    confer,
    grants::role_named,
};
use crate::domain::{
    Actor, AppError, AppResult, Reason, RequestMeta,
    auth::audit::{self, AuditEntry},
    db::begin_write,
};

const SEEDED: [&str; 3] = ["user", "moderator", "admin"];

/// A role with its parent and what it grants, directly and through its parents.
#[derive(Debug, Clone)]
pub struct RoleView {
    pub role: roles::Model,
    pub parent: Option<String>,
    pub entitlements: BTreeSet<String>,
    pub effective_entitlements: BTreeSet<String>,
}

/// Every role, by name (three statements however many).
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    now: DateTime<Utc>,
) -> AppResult<Vec<RoleView>> {
    access::require(db, actor, Entitlement::ROLES_READ, now).await?;
    catalog(db).await
}

async fn catalog(conn: &impl ConnectionTrait) -> AppResult<Vec<RoleView>> {
    let all = roles::Entity::find()
        .order_by_asc(roles::Column::Name)
        .all(conn)
        .await?;
    let graph = RoleGraph::load(conn).await?;
    let direct = access::entitlements_of(conn, all.iter().map(|r| r.id)).await?;
    let name_of = |id: Uuid| all.iter().find(|r| r.id == id).map(|r| r.name.clone());
    Ok(all
        .iter()
        .map(|role| RoleView {
            parent: role.parent_role_id.and_then(name_of),
            entitlements: direct.get(&role.id).cloned().unwrap_or_default(),
            effective_entitlements: graph
                .chain(role.id)
                .iter()
                .filter_map(|id| direct.get(id))
                .flatten()
                .cloned()
                .collect(),
            role: role.clone(),
        })
        .collect())
}

async fn view(conn: &impl ConnectionTrait, name: &str) -> AppResult<RoleView> {
    catalog(conn)
        .await?
        .into_iter()
        .find(|v| v.role.name == name)
        .ok_or_else(|| AppError::not_found("role", name))
}

/// A new role or the changes to one; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct RoleChanges {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    /// `Some(None)` makes it a root role.
    pub parent: Option<Option<String>>,
    /// Replaces the role's own entitlements (inherited ones are not listed here).
    pub entitlements: Option<Vec<String>>,
}

fn parse_name(name: &str) -> AppResult<String> {
    let name = name.trim();
    let valid = (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if valid {
        Ok(name.to_owned())
    } else {
        Err(AppError::bad_input(
            "name",
            "a role name is 1-64 lower-case letters, digits, `_` or `-`",
        ))
    }
}

pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    changes: RoleChanges,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<RoleView> {
    let admin = access::require(db, actor, Entitlement::ROLES_CREATE, now).await?;
    let name = parse_name(changes.name.as_deref().unwrap_or_default())?;
    let txn = begin_write(db).await?;
    let role = roles::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name.clone()),
        description: Set(changes.description.clone().flatten()),
        parent_role_id: Set(None),
        created_at: Set(now.into()),
    };
    // Insert or nothing on the unique name: a concurrent twin gets the CONFLICT, not a
    // unique violation.
    let inserted = roles::Entity::insert(role.clone())
        .on_conflict(
            OnConflict::column(roles::Column::Name)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    if inserted == 0 {
        return Err(AppError::conflict(
            Reason::AlreadyExists,
            format!("a role named `{name}` exists"),
        ));
    }
    let role = role_named(&txn, &name).await?;
    let mine = access::of(&txn, actor, now).await?;
    apply(&txn, &role, &changes).await?;
    let at_stake = confer::confers(&txn, role.id).await?;
    confer::ensure_holds(&mine, &at_stake, &format!("create `{name}`"))?;
    let after = view(&txn, &name).await?;
    record(
        &txn,
        meta,
        now,
        admin.0,
        "role_created",
        "create",
        role.id,
        None,
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    role: &str,
    changes: RoleChanges,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<RoleView> {
    let admin = access::require(db, actor, Entitlement::ROLES_UPDATE, now).await?;
    let txn = begin_write(db).await?;
    let before = view(&txn, role).await?;
    let mine = access::of(&txn, actor, now).await?;
    let mut current = before.role.clone();
    if let Some(name) = &changes.name {
        let name = parse_name(name)?;
        if name != current.name && SEEDED.contains(&current.name.as_str()) {
            return Err(AppError::Conflict {
                reason: None,
                message: format!("the seeded role `{}` keeps its name", current.name),
            });
        }
        let mut renamed: roles::ActiveModel = current.into();
        renamed.name = Set(name);
        current = renamed.update(&txn).await?;
    }
    if let Some(description) = &changes.description {
        let mut described: roles::ActiveModel = current.into();
        described.description = Set(description.clone());
        current = described.update(&txn).await?;
    }
    apply(&txn, &current, &changes).await?;
    let after = view(&txn, &current.name).await?;
    // Whatever the role (and so every role under it) confers that it did not before.
    let added = after
        .effective_entitlements
        .difference(&before.effective_entitlements);
    confer::ensure_holds(&mine, added, &format!("change `{}` so", current.name))?;
    record(
        &txn,
        meta,
        now,
        admin.0,
        "role_updated",
        "update",
        current.id,
        Some(&before),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Sets the parent (refusing a cycle) and replaces the own entitlements, as asked.
async fn apply(
    conn: &impl ConnectionTrait,
    role: &roles::Model,
    changes: &RoleChanges,
) -> AppResult<()> {
    if let Some(parent) = &changes.parent {
        let parent_id = match parent {
            None => None,
            Some(name) => {
                let parent = role_named(conn, name).await.map_err(|_| {
                    AppError::bad_input("parent", format!("no role is named `{name}`"))
                })?;
                if RoleGraph::load(conn).await?.would_cycle(role.id, parent.id) {
                    return Err(AppError::bad_input(
                        "parent",
                        format!(
                            "`{}` under `{}` would make the roles inherit in a circle",
                            role.name, parent.name
                        ),
                    ));
                }
                Some(parent.id)
            }
        };
        let mut moved: roles::ActiveModel = role.clone().into();
        moved.parent_role_id = Set(parent_id);
        moved.update(conn).await?;
    }
    if let Some(names) = &changes.entitlements {
        let wanted: BTreeSet<&String> = names.iter().collect();
        let found = entitlements::Entity::find()
            .filter(entitlements::Column::Name.is_in(wanted.iter().map(|n| n.as_str())))
            .all(conn)
            .await?;
        if let Some(unknown) = wanted
            .iter()
            .find(|n| !found.iter().any(|e| &&e.name == *n))
        {
            return Err(AppError::bad_input(
                "entitlements",
                format!("no entitlement is named `{unknown}`"),
            ));
        }
        role_entitlements::Entity::delete_many()
            .filter(role_entitlements::Column::RoleId.eq(role.id))
            .exec(conn)
            .await?;
        for entitlement in found {
            role_entitlements::ActiveModel {
                role_id: Set(role.id),
                entitlement_id: Set(entitlement.id),
                created_at: Set(role.created_at),
            }
            .insert(conn)
            .await?;
        }
    }
    Ok(())
}

/// Deletes a role; its grants go with it. Refused for a seeded role or one that is the
/// parent of another.
pub async fn delete(
    db: &DatabaseConnection,
    actor: &Actor,
    role: &str,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<Uuid> {
    let admin = access::require(db, actor, Entitlement::ROLES_DELETE, now).await?;
    let txn = begin_write(db).await?;
    let before = view(&txn, role).await?;
    if SEEDED.contains(&role) {
        return Err(AppError::Conflict {
            reason: None,
            message: format!("the seeded role `{role}` cannot be deleted"),
        });
    }
    let children = roles::Entity::find()
        .filter(roles::Column::ParentRoleId.eq(before.role.id))
        .all(&txn)
        .await?;
    if let Some(child) = children.first() {
        return Err(AppError::Conflict {
            reason: None,
            message: format!("`{}` inherits from `{role}`; move it first", child.name),
        });
    }
    roles::Entity::delete_by_id(before.role.id)
        .exec(&txn)
        .await?;
    record(
        &txn,
        meta,
        now,
        admin.0,
        "role_deleted",
        "delete",
        before.role.id,
        Some(&before),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(before.role.id)
}

fn describe(view: &RoleView) -> serde_json::Value {
    json!({
        "name": view.role.name,
        "description": view.role.description,
        "parent": view.parent,
        "entitlements": view.entitlements,
    })
}

#[allow(clippy::too_many_arguments)]
async fn record(
    conn: &impl ConnectionTrait,
    meta: &RequestMeta,
    now: DateTime<Utc>,
    admin: Uuid,
    event: &'static str,
    action: &'static str,
    role: Uuid,
    before: Option<&RoleView>,
    after: Option<&RoleView>,
) -> AppResult<()> {
    let entry = AuditEntry {
        resource_type: Some("roles"),
        resource_id: Some(role),
        action: Some(action),
        ..AuditEntry::success(event).user(admin).details(json!({
            "before": before.map(describe),
            "after": after.map(describe),
        }))
    };
    audit::record(conn, meta, now, entry).await
}
