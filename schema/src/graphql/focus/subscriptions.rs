//! `subscription { focusSession }`: every change of the viewer's focus sessions, live.
use async_graphql::{Context, Subscription};
use futures_util::{Stream, StreamExt};

use super::{FocusSession, broker};
use crate::domain::focus::live;
use crate::graphql::{context::ContextExt, scalars::Version};

#[derive(Default)]
pub struct FocusSubscription;

#[Subscription]
impl FocusSubscription {
    /// Every change of the viewer's focus sessions (started, paused, resumed, completed,
    /// abandoned, expired), from any device and any server instance, each with its
    /// `version`. With `since` (the last version the device saw; 0 for none) the latest
    /// session comes first when it is newer: a reconnecting device catches up at once.
    async fn focus_session(
        &self,
        ctx: &Context<'_>,
        since: Option<Version>,
    ) -> async_graphql::Result<impl Stream<Item = FocusSession> + use<>> {
        let changes =
            live::changes(ctx.db()?, broker(ctx)?, ctx.actor()?, since.map(|v| v.0)).await?;
        Ok(changes.map(FocusSession))
    }
}
