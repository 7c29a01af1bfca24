//! Granting and revoking roles over GraphQL; each signs the user out everywhere.
use async_graphql::{Context, InputObject, Object};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{AdminUser, admin_users::AdminUserPayload};
use crate::domain::rbac::grants::{self, Grant};
use crate::graphql::context::ContextExt;

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

#[derive(Default)]
pub struct GrantsMutation;

#[Object]
impl GrantsMutation {
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
}
