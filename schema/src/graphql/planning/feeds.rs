//! The feed mutations: `createCalendarFeed` (a new secret URL, shown once, replacing any
//! other) and `revokeCalendarFeed`.
use async_graphql::{Context, Object, SimpleObject};

use crate::domain::planning::calendar::feed;
use crate::graphql::context::ContextExt;

#[derive(SimpleObject)]
pub struct CreateCalendarFeedPayload {
    /// The feed's secret URL, `…/calendar/<token>.ics`. Shown only now; the previous
    /// URL, if any, has stopped working.
    url: String,
}

#[derive(SimpleObject)]
pub struct RevokeCalendarFeedPayload {
    /// False when there was no live feed.
    revoked: bool,
}

#[derive(Default)]
pub struct CalendarFeedMutation;

#[Object]
impl CalendarFeedMutation {
    async fn create_calendar_feed(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<CreateCalendarFeedPayload> {
        let settings = &ctx.identity()?.settings;
        let url = feed::create(ctx.db()?, ctx.actor()?, settings, ctx.now()?).await?;
        Ok(CreateCalendarFeedPayload { url })
    }

    async fn revoke_calendar_feed(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<RevokeCalendarFeedPayload> {
        let settings = &ctx.identity()?.settings;
        let revoked = feed::revoke(ctx.db()?, ctx.actor()?, settings).await?;
        Ok(RevokeCalendarFeedPayload { revoked })
    }
}
