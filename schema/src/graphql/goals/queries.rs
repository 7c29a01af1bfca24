//! `viewer { goals goal }`: the viewer's goals in their order, and one goal.
use async_graphql::{Context, InputObject, Object};
use uuid::Uuid;

use super::{Goal, GoalStatus};
use crate::domain::goals::{
    GoalId,
    reads::{self, GoalFilter},
};
use crate::graphql::{
    connection::{AppConnection, listing, page_request},
    context::ContextExt,
};

#[derive(InputObject, Default)]
pub struct GoalFilterInput {
    status: Option<GoalStatus>,
}

/// `viewer { goals goal }`.
pub struct ViewerGoals;

#[Object]
impl ViewerGoals {
    /// The viewer's goals in their order (`sortOrder`, then oldest first).
    async fn goals(
        &self,
        ctx: &Context<'_>,
        filter: Option<GoalFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<AppConnection<Goal>> {
        let request = page_request(ctx, first, after.as_deref(), last, before.as_deref())?;
        let filter = GoalFilter {
            status: filter.unwrap_or_default().status.map(Into::into),
        };
        let db = ctx.reader()?;
        let found = reads::list(db, ctx.actor()?, filter, request).await?;
        Ok(listing(db, found, Goal))
    }

    /// One of the viewer's goals (NOT_FOUND for anyone else's).
    async fn goal(&self, ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<Goal> {
        Ok(reads::find(ctx.reader()?, ctx.actor()?, GoalId(id))
            .await?
            .into())
    }
}
