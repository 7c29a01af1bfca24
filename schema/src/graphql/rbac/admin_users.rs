//! Users as admins see them: the filtered list (`users`) and `approveUser`.
use async_graphql::{Context, InputObject, Object, SimpleObject};
use uuid::Uuid;

use super::AdminUser;
use crate::domain::rbac::admin_users::{self, UserFilter};
use crate::graphql::{
    connection::{AppConnection, listing, page_request},
    context::ContextExt,
};

#[derive(InputObject, Default)]
pub struct UserFilterInput {
    approved: Option<bool>,
    /// Part of the email address.
    email: Option<String>,
    /// Holds this role now.
    role: Option<String>,
}

#[derive(Default)]
pub struct AdminUsersQuery;

#[Object]
impl AdminUsersQuery {
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
        let request = page_request(ctx, first, after.as_deref(), last, before.as_deref())?;
        let filter = filter.unwrap_or_default();
        let filter = UserFilter {
            approved: filter.approved,
            email: filter.email,
            role: filter.role,
        };
        let db = ctx.reader()?;
        let found = admin_users::list(db, ctx.actor()?, filter, request, ctx.now()?).await?;
        Ok(listing(db, found, AdminUser))
    }
}

#[derive(InputObject)]
pub struct ApproveUserInput {
    user_id: Uuid,
}

/// The user an admin mutation changed.
#[derive(SimpleObject)]
pub struct AdminUserPayload {
    pub user: AdminUser,
}

#[derive(Default)]
pub struct AdminUsersMutation;

#[Object]
impl AdminUsersMutation {
    /// Lets a user past the approval gate (needs `users:update`).
    async fn approve_user(
        &self,
        ctx: &Context<'_>,
        input: ApproveUserInput,
    ) -> async_graphql::Result<AdminUserPayload> {
        let user = admin_users::approve(
            ctx.db()?,
            &ctx.identity()?.sign_ins,
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
}
