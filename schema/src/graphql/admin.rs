//! The admin API. Every field and mutation checks its entitlement first, in the domain.
use async_graphql::{Context, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{
    access::{AdminUser, AuditEntry, EntitlementObject, Role},
    connection::{AppConnection, listing},
    context::ContextExt,
};
use crate::domain::{
    pagination::PageRequest,
    rbac::{
        admin_audit::{self, AuditFilter},
        admin_users::{self, UserFilter},
        entitlements,
        grants::{self, Grant},
        roles::{self, RoleChanges},
    },
};

#[derive(InputObject, Default)]
pub struct UserFilterInput {
    approved: Option<bool>,
    /// Part of the email address.
    email: Option<String>,
    /// Holds this role now.
    role: Option<String>,
}

#[derive(InputObject, Default)]
pub struct AuditLogFilterInput {
    user_id: Option<Uuid>,
    event_type: Option<String>,
    /// Inclusive.
    from: Option<DateTime<Utc>>,
    /// Exclusive.
    to: Option<DateTime<Utc>>,
}

#[derive(Default)]
pub struct AdminQuery;

#[Object]
impl AdminQuery {
    /// Users, newest first (needs `users:read`).
    async fn users(
        &self,
        ctx: &Context<'_>,
        filter: Option<UserFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<AppConnection<AdminUser>> {
        let request = PageRequest::parse(first, after.as_deref(), last, before.as_deref())?;
        let filter = filter.unwrap_or_default();
        let filter = UserFilter {
            approved: filter.approved,
            email: filter.email,
            role: filter.role,
        };
        let db = ctx.db()?;
        let found = admin_users::list(db, ctx.actor()?, filter, request, ctx.now()?).await?;
        Ok(listing(db, found, AdminUser))
    }

    /// The security audit log, newest first (needs `audit_log:read`).
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        filter: Option<AuditLogFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<AppConnection<AuditEntry>> {
        let request = PageRequest::parse(first, after.as_deref(), last, before.as_deref())?;
        let filter = filter.unwrap_or_default();
        let filter = AuditFilter {
            user_id: filter.user_id,
            event_type: filter.event_type,
            from: filter.from,
            to: filter.to,
        };
        let db = ctx.db()?;
        let found = admin_audit::list(db, ctx.actor()?, filter, request, ctx.now()?).await?;
        Ok(listing(db, found, AuditEntry::from))
    }

    /// Every role (needs `roles:read`).
    async fn roles(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Role>> {
        let all = roles::list(ctx.db()?, ctx.actor()?, ctx.now()?).await?;
        Ok(all.into_iter().map(Role::from).collect())
    }

    /// Every entitlement (needs `entitlements:read`).
    async fn entitlements(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<EntitlementObject>> {
        let all = entitlements::list(ctx.db()?, ctx.actor()?, ctx.now()?).await?;
        Ok(all.into_iter().map(EntitlementObject::from).collect())
    }
}

#[derive(InputObject)]
pub struct ApproveUserInput {
    user_id: Uuid,
}

#[derive(InputObject)]
pub struct GrantRoleInput {
    user_id: Uuid,
    role: String,
    /// The grant stops counting then; omit for good.
    expires_at: Option<DateTime<Utc>>,
}

#[derive(InputObject)]
pub struct RevokeRoleInput {
    user_id: Uuid,
    role: String,
}

/// The user an admin mutation changed.
#[derive(SimpleObject)]
pub struct AdminUserPayload {
    user: AdminUser,
}

#[derive(InputObject)]
pub struct CreateRoleInput {
    name: String,
    description: Option<String>,
    /// The role to inherit from.
    parent: Option<String>,
    /// The role's own entitlements, by name.
    #[graphql(default)]
    entitlements: Vec<String>,
}

#[derive(InputObject)]
pub struct UpdateRoleInput {
    /// The role to change, by its current name.
    role: String,
    name: Option<String>,
    /// Omit to keep, null to clear.
    description: MaybeUndefined<String>,
    /// Omit to keep, null for no parent.
    parent: MaybeUndefined<String>,
    /// Replaces the role's own entitlements.
    entitlements: Option<Vec<String>>,
}

#[derive(InputObject)]
pub struct DeleteRoleInput {
    role: String,
}

#[derive(SimpleObject)]
pub struct RolePayload {
    role: Role,
}

#[derive(SimpleObject)]
pub struct DeleteRolePayload {
    deleted_role_id: Uuid,
}

#[derive(InputObject)]
pub struct CreateEntitlementInput {
    resource: String,
    /// create, read, update or delete.
    action: String,
    description: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateEntitlementInput {
    name: String,
    description: Option<String>,
}

#[derive(InputObject)]
pub struct DeleteEntitlementInput {
    name: String,
}

#[derive(SimpleObject)]
pub struct EntitlementPayload {
    entitlement: EntitlementObject,
}

#[derive(SimpleObject)]
pub struct DeleteEntitlementPayload {
    deleted_entitlement_id: Uuid,
}

fn change<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

#[derive(Default)]
pub struct AdminMutation;

#[Object]
impl AdminMutation {
    /// Lets a user past the approval gate (needs `users:update`).
    async fn approve_user(
        &self,
        ctx: &Context<'_>,
        input: ApproveUserInput,
    ) -> async_graphql::Result<AdminUserPayload> {
        let user = admin_users::approve(
            ctx.db()?,
            ctx.actor()?,
            input.user_id,
            ctx.meta()?,
            ctx.now()?,
        )
        .await?;
        Ok(AdminUserPayload {
            user: AdminUser(user),
        })
    }

    /// Grants a role; the user is signed out everywhere (needs `user_roles:create`).
    async fn grant_role(
        &self,
        ctx: &Context<'_>,
        input: GrantRoleInput,
    ) -> async_graphql::Result<AdminUserPayload> {
        let grant = Grant {
            user: input.user_id,
            role: input.role,
            expires_at: input.expires_at,
        };
        let (db, identity, meta) = (ctx.db()?, ctx.identity()?, ctx.meta()?);
        let user = grants::grant(db, identity, ctx.actor()?, grant, meta, ctx.now()?).await?;
        Ok(AdminUserPayload {
            user: AdminUser(user),
        })
    }

    /// Revokes a role; the user is signed out everywhere (needs `user_roles:delete`).
    async fn revoke_role(
        &self,
        ctx: &Context<'_>,
        input: RevokeRoleInput,
    ) -> async_graphql::Result<AdminUserPayload> {
        let (db, identity, meta) = (ctx.db()?, ctx.identity()?, ctx.meta()?);
        let user = grants::revoke(
            db,
            identity,
            ctx.actor()?,
            input.user_id,
            &input.role,
            meta,
            ctx.now()?,
        )
        .await?;
        Ok(AdminUserPayload {
            user: AdminUser(user),
        })
    }

    /// Creates a role (needs `roles:create`).
    async fn create_role(
        &self,
        ctx: &Context<'_>,
        input: CreateRoleInput,
    ) -> async_graphql::Result<RolePayload> {
        let changes = RoleChanges {
            name: Some(input.name),
            description: Some(input.description),
            parent: input.parent.map(Some),
            entitlements: Some(input.entitlements),
        };
        let role = roles::create(ctx.db()?, ctx.actor()?, changes, ctx.meta()?, ctx.now()?).await?;
        Ok(RolePayload { role: role.into() })
    }

    /// Renames a role, moves it under another parent or replaces its entitlements
    /// (needs `roles:update`).
    async fn update_role(
        &self,
        ctx: &Context<'_>,
        input: UpdateRoleInput,
    ) -> async_graphql::Result<RolePayload> {
        let changes = RoleChanges {
            name: input.name,
            description: change(input.description),
            parent: change(input.parent),
            entitlements: input.entitlements,
        };
        let role = roles::update(
            ctx.db()?,
            ctx.actor()?,
            &input.role,
            changes,
            ctx.meta()?,
            ctx.now()?,
        )
        .await?;
        Ok(RolePayload { role: role.into() })
    }

    /// Deletes a role and its grants (needs `roles:delete`).
    async fn delete_role(
        &self,
        ctx: &Context<'_>,
        input: DeleteRoleInput,
    ) -> async_graphql::Result<DeleteRolePayload> {
        let deleted_role_id = roles::delete(
            ctx.db()?,
            ctx.actor()?,
            &input.role,
            ctx.meta()?,
            ctx.now()?,
        )
        .await?;
        Ok(DeleteRolePayload { deleted_role_id })
    }

    /// Creates an entitlement (needs `entitlements:create`).
    async fn create_entitlement(
        &self,
        ctx: &Context<'_>,
        input: CreateEntitlementInput,
    ) -> async_graphql::Result<EntitlementPayload> {
        let created = entitlements::create(
            ctx.db()?,
            ctx.actor()?,
            &input.resource,
            &input.action,
            input.description,
            ctx.meta()?,
            ctx.now()?,
        )
        .await?;
        Ok(EntitlementPayload {
            entitlement: created.into(),
        })
    }

    /// Describes an entitlement (needs `entitlements:update`).
    async fn update_entitlement(
        &self,
        ctx: &Context<'_>,
        input: UpdateEntitlementInput,
    ) -> async_graphql::Result<EntitlementPayload> {
        let updated = entitlements::describe(
            ctx.db()?,
            ctx.actor()?,
            &input.name,
            input.description,
            ctx.meta()?,
            ctx.now()?,
        )
        .await?;
        Ok(EntitlementPayload {
            entitlement: updated.into(),
        })
    }

    /// Deletes an entitlement; no role grants it any more (needs `entitlements:delete`).
    async fn delete_entitlement(
        &self,
        ctx: &Context<'_>,
        input: DeleteEntitlementInput,
    ) -> async_graphql::Result<DeleteEntitlementPayload> {
        let deleted_entitlement_id = entitlements::delete(
            ctx.db()?,
            ctx.actor()?,
            &input.name,
            ctx.meta()?,
            ctx.now()?,
        )
        .await?;
        Ok(DeleteEntitlementPayload {
            deleted_entitlement_id,
        })
    }
}
