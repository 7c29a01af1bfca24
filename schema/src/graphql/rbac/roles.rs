//! Roles over GraphQL: the list, and creating, editing and deleting a role.
use async_graphql::{Context, InputObject, MaybeUndefined, Object, SimpleObject};
use uuid::Uuid;

use super::Role;
use crate::domain::rbac::roles::{self, RoleChanges};
use crate::graphql::{context::ContextExt, input::change};

#[derive(Default)]
pub struct RolesQuery;

#[Object]
impl RolesQuery {
    /// Every role (needs `roles:read`).
    async fn roles(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Role>> {
        let all = roles::list(ctx.reader()?, ctx.actor()?, ctx.now()?).await?;
        Ok(all.into_iter().map(Role::from).collect())
    }
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

#[derive(Default)]
pub struct RolesMutation;

#[Object]
impl RolesMutation {
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
}
