//! Access control over GraphQL, along `domain/rbac`: the viewer's own access, and the admin
//! API (users, audit log, roles, entitlements, grants). Every admin field and mutation
//! checks its entitlement first, in the domain. This file holds the objects they return.
pub mod access;
pub mod admin_audit;
pub mod admin_users;
pub mod entitlements;
pub mod grants;
pub mod loaders;
pub mod roles;

use async_graphql::{Context, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::{
    auth::gates,
    rbac::{self, roles::RoleView},
};
use crate::graphql::{context::ContextExt, loaders::owned_error};

/// A role a user holds, and until when.
#[derive(SimpleObject)]
pub struct RoleGrant {
    name: String,
    granted_at: DateTime<Utc>,
    /// When the grant stops counting; null for good.
    expires_at: Option<DateTime<Utc>>,
    granted_by: Option<Uuid>,
}

impl RoleGrant {
    fn new(role: &entity::roles::Model, grant: &entity::user_roles::Model) -> Self {
        Self {
            name: role.name.clone(),
            granted_at: grant.granted_at.with_timezone(&Utc),
            expires_at: grant.expires_at.map(|at| at.with_timezone(&Utc)),
            granted_by: grant.granted_by,
        }
    }
}

/// The live grants of `user`, through the request's loader.
async fn live_grants(ctx: &Context<'_>, user: Uuid) -> async_graphql::Result<Vec<RoleGrant>> {
    let now = ctx.now()?;
    let all = ctx
        .loaders()?
        .grants()
        .load_one(user)
        .await
        .map_err(owned_error)?
        .unwrap_or_default();
    Ok(all
        .iter()
        .filter(|(_, grant)| rbac::grants::is_live(grant, now))
        .map(|(role, grant)| RoleGrant::new(role, grant))
        .collect())
}

/// A user as the admin API shows them.
pub struct AdminUser(pub entity::users::Model);

#[Object]
impl AdminUser {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    async fn email(&self) -> &str {
        &self.0.email
    }

    async fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    async fn email_verified(&self) -> Option<DateTime<Utc>> {
        self.0.email_verified.map(|at| at.with_timezone(&Utc))
    }

    async fn approved(&self) -> bool {
        self.0.approved
    }

    async fn age_verified(&self) -> bool {
        self.0.age_verified
    }

    // Whether the user accepted the terms' current version (the terms gate decides).
    async fn tos_accepted(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(gates::terms_accepted(&self.0, &ctx.identity()?.settings))
    }

    async fn last_activity_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_activity_at.map(|at| at.with_timezone(&Utc))
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at.with_timezone(&Utc)
    }

    /// The roles the user holds now (needs `user_roles:read`).
    async fn roles(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<RoleGrant>> {
        let all = async {
            let found = ctx.loaders()?.grants().load_one(self.0.id).await;
            Ok(found.map_err(owned_error)?.unwrap_or_default())
        };
        let held = rbac::admin_users::roles(ctx.reader()?, ctx.actor()?, all, ctx.now()?).await?;
        Ok(held
            .iter()
            .map(|(role, grant)| RoleGrant::new(role, grant))
            .collect())
    }
}

/// A role: its parent, its own entitlements and all it grants through its parents.
#[derive(SimpleObject)]
pub struct Role {
    id: Uuid,
    name: String,
    description: Option<String>,
    /// The role this one inherits from.
    parent: Option<String>,
    /// Granted by this role itself.
    entitlements: Vec<String>,
    /// Granted by this role and every role it inherits from.
    effective_entitlements: Vec<String>,
    created_at: DateTime<Utc>,
}

impl From<RoleView> for Role {
    fn from(view: RoleView) -> Self {
        Self {
            id: view.role.id,
            name: view.role.name,
            description: view.role.description,
            parent: view.parent,
            entitlements: view.entitlements.into_iter().collect(),
            effective_entitlements: view.effective_entitlements.into_iter().collect(),
            created_at: view.role.created_at.with_timezone(&Utc),
        }
    }
}

/// A permission: `<resource>:<action>`.
#[derive(SimpleObject)]
#[graphql(name = "Entitlement")]
pub struct EntitlementObject {
    id: Uuid,
    /// `<resource>:<action>`, e.g. `users:update`.
    name: String,
    resource: String,
    /// create, read, update or delete.
    action: String,
    description: Option<String>,
}

impl From<entity::entitlements::Model> for EntitlementObject {
    fn from(e: entity::entitlements::Model) -> Self {
        Self {
            id: e.id,
            name: e.name,
            resource: e.resource,
            action: e.action,
            description: e.description,
        }
    }
}

/// One entry of the security audit log.
#[derive(SimpleObject)]
pub struct AuditEntry {
    id: Uuid,
    event_type: String,
    /// `success` or `failure`.
    status: String,
    /// The actor.
    user_id: Option<Uuid>,
    session_id: Option<Uuid>,
    resource_type: Option<String>,
    resource_id: Option<Uuid>,
    action: Option<String>,
    /// Context, e.g. the target and the before/after of an admin change.
    details: Option<Json<serde_json::Value>>,
    ip_address: Option<String>,
    user_agent: Option<String>,
    request_id: Option<String>,
    created_at: DateTime<Utc>,
}

impl From<entity::audit_log::Model> for AuditEntry {
    fn from(row: entity::audit_log::Model) -> Self {
        Self {
            id: row.id,
            event_type: row.event_type,
            status: row.status,
            user_id: row.user_id,
            session_id: row.session_id,
            resource_type: row.resource_type,
            resource_id: row.resource_id,
            action: row.action,
            details: row.details.map(Json),
            ip_address: row.ip_address,
            user_agent: row.user_agent,
            request_id: row.request_id,
            created_at: row.created_at.with_timezone(&Utc),
        }
    }
}
