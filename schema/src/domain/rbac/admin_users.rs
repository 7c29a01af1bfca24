//! Users as admins see them: a filtered list, and approval for sign-up approval mode.
use chrono::{DateTime, Utc};
use entity::{roles, user_roles, users};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, QueryTrait, Select, Set, sea_query::LikeExpr,
};
use serde_json::json;

use super::{Entitlement, access};
use crate::domain::{
    Actor, AppResult, RequestMeta, UserId,
    auth::{
        audit::{self, AuditEntry},
        sign_in_cache::SignInCache,
        users as user_store,
    },
    db::begin_write,
    pagination::{self, Keyset, Listing, PageRequest},
    text,
};

/// Which users to list; every field narrows.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub approved: Option<bool>,
    /// Part of the email address, any case.
    pub email: Option<String>,
    /// Holds this role now.
    pub role: Option<String>,
}

fn filtered(filter: &UserFilter, now: DateTime<Utc>) -> Select<users::Entity> {
    let mut select = users::Entity::find();
    if let Some(approved) = filter.approved {
        select = select.filter(users::Column::Approved.eq(approved));
    }
    if let Some(email) = &filter.email {
        let pattern = text::like_contains(&email.trim().to_lowercase());
        select = select.filter(users::Column::Email.like(LikeExpr::new(pattern).escape('\\')));
    }
    if let Some(role) = &filter.role {
        let holders = user_roles::Entity::find()
            .select_only()
            .column(user_roles::Column::UserId)
            .inner_join(roles::Entity)
            .filter(roles::Column::Name.eq(role.as_str()))
            .filter(access::live_at(now))
            .into_query();
        select = select.filter(users::Column::Id.in_subquery(holders));
    }
    select
}

/// A page of users, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: UserFilter,
    request: PageRequest,
    now: DateTime<Utc>,
) -> AppResult<Listing<users::Entity>> {
    access::require(db, actor, Entitlement::USERS_READ, now).await?;
    let keyset = Keyset::newest_first(users::Column::CreatedAt, users::Column::Id);
    pagination::paginate(db, filtered(&filter, now), keyset, request).await
}

/// One user's role grants with their roles.
pub type Grants = Vec<(roles::Model, user_roles::Model)>;

/// The roles `user` holds now, as an admin sees them (needs `user_roles:read`). `grants`
/// reads every grant of the user (a batched loader, say); it runs only once the check has
/// passed.
pub async fn roles(
    db: &impl ConnectionTrait,
    actor: &Actor,
    grants: impl Future<Output = AppResult<Grants>>,
    now: DateTime<Utc>,
) -> AppResult<Grants> {
    access::require(db, actor, Entitlement::USER_ROLES_READ, now).await?;
    let mut held = grants.await?;
    held.retain(|(_, grant)| super::grants::is_live(grant, now));
    Ok(held)
}

/// Approves a user waiting at the approval gate; their next request on this instance sees
/// it (other instances hear of it through the sign-in cache's channel).
pub async fn approve(
    db: &DatabaseConnection,
    sign_ins: &SignInCache,
    actor: &Actor,
    user: uuid::Uuid,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<users::Model> {
    let admin = access::require(db, actor, Entitlement::USERS_UPDATE, now).await?;
    let txn = begin_write(db).await?;
    let before = user_store::find(&txn, user).await?;
    let mut approved: users::ActiveModel = before.clone().into();
    approved.approved = Set(true);
    approved.updated_at = Set(now.into());
    let after = approved.update(&txn).await?;
    let entry = AuditEntry {
        resource_type: Some("users"),
        resource_id: Some(after.id),
        action: Some("update"),
        ..AuditEntry::success("user_approved")
            .user(admin.0)
            .details(json!({
                "target_user_id": after.id,
                "before": { "approved": before.approved },
                "after": { "approved": after.approved },
            }))
    };
    audit::record(&txn, meta, now, entry).await?;
    txn.commit().await?;
    sign_ins.forget_user(UserId(after.id));
    Ok(after)
}
