//! `viewer { quests }`: the catalog merged with the viewer's standing, and their own.
use async_graphql::{Context, InputObject, Object};

use super::{Quest, QuestPeriod, QuestSource, QuestStatus};
use crate::domain::quests::reads::{self, QuestFilter};
use crate::graphql::context::ContextExt;

#[derive(InputObject, Default)]
pub struct QuestFilterInput {
    status: Option<QuestStatus>,
    period: Option<QuestPeriod>,
    source: Option<QuestSource>,
}

/// `viewer { quests }`.
pub struct ViewerQuests;

#[Object]
impl ViewerQuests {
    /// The catalog (sortOrder, then title) with the viewer's standing on each, then the
    /// viewer's own quests (oldest first). A period that is over starts anew on this read.
    pub async fn quests(
        &self,
        ctx: &Context<'_>,
        filter: Option<QuestFilterInput>,
    ) -> async_graphql::Result<Vec<Quest>> {
        let filter = filter.unwrap_or_default();
        let filter = QuestFilter {
            status: filter.status.map(Into::into),
            period: filter.period.map(Into::into),
            source: filter.source.map(Into::into),
        };
        let found = reads::list(ctx.reader()?, super::own::call(ctx)?, filter).await?;
        Ok(found.into_iter().map(Quest::from).collect())
    }
}
