//! Granting and revoking roles. A privilege change signs the user out everywhere, so it
//! takes effect at once; every grant and revocation is audited with its grantor.
use chrono::{DateTime, Utc};
use entity::{roles, user_roles, users};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect, Set,
    sea_query::{Expr, ExprTrait, OnConflict},
};
use serde_json::json;
use uuid::Uuid;

use super::{Entitlement, access, confer};
use crate::domain::{
    Actor, AppError, AppResult, Reason, RequestMeta, UserId,
    auth::{
        Identity,
        audit::{self, AuditEntry},
        sessions,
    },
    db::begin_write,
};

/// The role every user holds.
pub const DEFAULT_ROLE: &str = "user";
/// The role `APP_ADMIN_EMAILS` get on sign-in.
pub const ADMIN_ROLE: &str = "admin";

pub async fn role_named(conn: &impl ConnectionTrait, name: &str) -> AppResult<roles::Model> {
    roles::Entity::find()
        .filter(roles::Column::Name.eq(name))
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("role", name))
}

/// Gives a new user the default role (in the caller's transaction).
pub async fn assign_default(
    conn: &impl ConnectionTrait,
    user: Uuid,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let role = role_named(conn, DEFAULT_ROLE).await?;
    insert_grant(conn, user, role.id, None, None, now).await
}

async fn insert_grant(
    conn: &impl ConnectionTrait,
    user: Uuid,
    role: Uuid,
    granted_by: Option<Uuid>,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    user_roles::ActiveModel {
        user_id: Set(user),
        role_id: Set(role),
        granted_by: Set(granted_by),
        granted_at: Set(now.into()),
        expires_at: Set(expires_at.map(Into::into)),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Writes the grant in one statement: inserted, or its expiry renewed when it differs.
/// Returns whether anything changed, so racing duplicates write (and audit) once.
async fn upsert_grant(
    conn: &impl ConnectionTrait,
    user: Uuid,
    role: Uuid,
    granted_by: Uuid,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let current = Expr::col((user_roles::Entity, user_roles::Column::ExpiresAt));
    let wanted = Expr::cust("excluded.expires_at");
    let differs = Condition::any()
        .add(current.clone().is_null().and(wanted.clone().is_not_null()))
        .add(current.clone().is_not_null().and(wanted.clone().is_null()))
        .add(current.ne(wanted));
    let written = user_roles::Entity::insert(user_roles::ActiveModel {
        user_id: Set(user),
        role_id: Set(role),
        granted_by: Set(Some(granted_by)),
        granted_at: Set(now.into()),
        expires_at: Set(expires_at.map(Into::into)),
    })
    .on_conflict(
        OnConflict::columns([user_roles::Column::UserId, user_roles::Column::RoleId])
            .update_columns([
                user_roles::Column::GrantedBy,
                user_roles::Column::GrantedAt,
                user_roles::Column::ExpiresAt,
            ])
            .action_and_where(differs.into())
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(written > 0)
}

/// Grants `admin` to a user whose email is listed in `APP_ADMIN_EMAILS`, as they sign in.
pub async fn bootstrap_admin(
    conn: &impl ConnectionTrait,
    identity: &Identity,
    user: &users::Model,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if !identity
        .settings
        .admin_emails
        .iter()
        .any(|email| email == &user.email)
    {
        return Ok(());
    }
    let admin = role_named(conn, ADMIN_ROLE).await?;
    let held = user_roles::Entity::find_by_id((user.id, admin.id))
        .one(conn)
        .await?;
    if held.is_some_and(|grant| is_live(&grant, now)) {
        return Ok(());
    }
    user_roles::Entity::delete_by_id((user.id, admin.id))
        .exec(conn)
        .await?;
    insert_grant(conn, user.id, admin.id, None, None, now).await?;
    let entry = AuditEntry {
        resource_type: Some("user_roles"),
        resource_id: Some(user.id),
        action: Some("create"),
        ..AuditEntry::success("role_granted")
            .user(user.id)
            .details(json!({ "role": ADMIN_ROLE, "bootstrap": "APP_ADMIN_EMAILS" }))
    };
    audit::record(conn, meta, now, entry).await
}

/// What to grant: a role by name to a user, until `expires_at` (or for good).
#[derive(Debug, Clone)]
pub struct Grant {
    pub user: Uuid,
    pub role: String,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Grants a role (or renews its expiry). The grantor must hold every entitlement the role
/// confers, so no one hands out more than they have.
pub async fn grant(
    db: &DatabaseConnection,
    identity: &Identity,
    actor: &Actor,
    grant: Grant,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<users::Model> {
    let grantor = access::require(db, actor, Entitlement::USER_ROLES_CREATE, now).await?;
    if grant.expires_at.is_some_and(|at| at <= now) {
        return Err(AppError::bad_input(
            "expiresAt",
            "a grant must expire in the future",
        ));
    }
    let txn = begin_write(db).await?;
    let target = crate::domain::auth::users::find(&txn, grant.user).await?;
    let role = role_named(&txn, &grant.role).await?;
    let mine = access::of(&txn, actor, now).await?;
    let at_stake = confer::confers(&txn, role.id).await?;
    confer::ensure_holds(&mine, &at_stake, &format!("grant `{}`", role.name))?;
    let before = user_roles::Entity::find_by_id((target.id, role.id))
        .one(&txn)
        .await?;
    let changed = upsert_grant(&txn, target.id, role.id, grantor.0, grant.expires_at, now).await?;
    if !changed {
        // The user already holds it until the same moment: a retry or a concurrent twin.
        txn.commit().await?;
        return Ok(target);
    }
    let ended = sessions::end_all(&txn, target.id, now).await?;
    let entry = AuditEntry {
        resource_type: Some("user_roles"),
        resource_id: Some(target.id),
        action: Some("create"),
        ..AuditEntry::success("role_granted")
            .user(grantor.0)
            .details(json!({
                "target_user_id": target.id,
                "role": role.name,
                "before": before.map(|g| json!({ "expires_at": g.expires_at })),
                "after": { "expires_at": grant.expires_at },
            }))
    };
    audit::record(&txn, meta, now, entry).await?;
    txn.commit().await?;
    identity.revocations.publish(ended);
    Ok(target)
}

/// Revokes a role a user holds (the default role too: they keep signing in, with less).
pub async fn revoke(
    db: &DatabaseConnection,
    identity: &Identity,
    actor: &Actor,
    user: Uuid,
    role: &str,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<users::Model> {
    let grantor = access::require(db, actor, Entitlement::USER_ROLES_DELETE, now).await?;
    let txn = begin_write(db).await?;
    let target = crate::domain::auth::users::find(&txn, user).await?;
    let role = role_named(&txn, role).await?;
    let mine = access::of(&txn, actor, now).await?;
    let at_stake = confer::confers(&txn, role.id).await?;
    confer::ensure_holds(&mine, &at_stake, &format!("revoke `{}`", role.name))?;
    let held = user_roles::Entity::find_by_id((target.id, role.id))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("role grant", format!("{}/{}", target.id, role.name)))?;
    if role.name == ADMIN_ROLE && is_live(&held, now) {
        ensure_another_admin(&txn, role.id, target.id, now).await?;
    }
    user_roles::Entity::delete_by_id((target.id, role.id))
        .exec(&txn)
        .await?;
    let ended = sessions::end_all(&txn, target.id, now).await?;
    let entry = AuditEntry {
        resource_type: Some("user_roles"),
        resource_id: Some(target.id),
        action: Some("delete"),
        ..AuditEntry::success("role_revoked")
            .user(grantor.0)
            .details(json!({
                "target_user_id": target.id,
                "role": role.name,
                "before": { "expires_at": held.expires_at, "granted_by": held.granted_by },
                "after": null,
            }))
    };
    audit::record(&txn, meta, now, entry).await?;
    txn.commit().await?;
    identity.revocations.publish(ended);
    Ok(target)
}

/// CONFLICT `LAST_ADMIN` unless someone besides `leaving` holds `admin` at `now`. Locks
/// the admin role's row first (on PostgreSQL), so two admins revoking each other queue.
async fn ensure_another_admin(
    conn: &impl ConnectionTrait,
    admin_role: Uuid,
    leaving: Uuid,
    now: DateTime<Utc>,
) -> AppResult<()> {
    roles::Entity::find_by_id(admin_role)
        .lock_exclusive()
        .one(conn)
        .await?;
    let others = user_roles::Entity::find()
        .filter(user_roles::Column::RoleId.eq(admin_role))
        .filter(user_roles::Column::UserId.ne(leaving))
        .filter(access::live_at(now))
        .count(conn)
        .await?;
    if others == 0 {
        return Err(AppError::conflict(
            Reason::LastAdmin,
            "this is the last holder of `admin`; grant it to someone else first",
        ));
    }
    Ok(())
}

/// The roles a user holds at `now`, by name, with when each grant ends.
pub async fn held(
    conn: &impl ConnectionTrait,
    user: UserId,
    now: DateTime<Utc>,
) -> AppResult<Vec<(roles::Model, user_roles::Model)>> {
    let mut all = of_users(conn, [user.0])
        .await?
        .remove(&user.0)
        .unwrap_or_default();
    all.retain(|(_, grant)| is_live(grant, now));
    Ok(all)
}

/// Whether a grant holds at `now`.
pub fn is_live(grant: &user_roles::Model, now: DateTime<Utc>) -> bool {
    grant
        .expires_at
        .is_none_or(|at| at.with_timezone(&Utc) > now)
}

/// Every grant (live or not) of each of `users`, with its role: one statement.
pub async fn of_users(
    conn: &impl ConnectionTrait,
    users: impl IntoIterator<Item = Uuid>,
) -> AppResult<std::collections::HashMap<Uuid, Vec<(roles::Model, user_roles::Model)>>> {
    let rows = user_roles::Entity::find()
        .filter(user_roles::Column::UserId.is_in(users))
        .find_also_related(roles::Entity)
        .all(conn)
        .await?;
    let mut by_user: std::collections::HashMap<Uuid, Vec<_>> = std::collections::HashMap::new();
    for (grant, role) in rows {
        if let Some(role) = role {
            by_user
                .entry(grant.user_id)
                .or_default()
                .push((role, grant));
        }
    }
    for grants in by_user.values_mut() {
        grants.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    }
    Ok(by_user)
}
