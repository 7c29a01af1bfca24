//! `viewer { roles entitlements }`: what the signed-in user may do, to shape their UI.
use async_graphql::{Context, Object};

use super::{RoleGrant, live_grants};
use crate::domain::rbac::access;
use crate::graphql::context::ContextExt;

pub struct ViewerAccess;

#[Object]
impl ViewerAccess {
    /// The roles the user holds now.
    async fn roles(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<RoleGrant>> {
        live_grants(ctx, ctx.actor()?.require_user()?.0).await
    }

    /// Every entitlement the user holds now, inherited ones included, by name.
    async fn entitlements(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<String>> {
        let granted = access::of(ctx.reader()?, ctx.actor()?, ctx.now()?).await?;
        Ok(granted.entitlements.into_iter().collect())
    }
}
