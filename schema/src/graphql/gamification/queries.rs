//! `viewer { progress wallet skills streaks ledger activity }`: the viewer's rewards.
use async_graphql::{Context, InputObject, Object};
use chrono::{DateTime, NaiveDate, Utc};

use super::{ActivityEvent, LedgerEntry, Progress, Skill, Streak, Wallet};
use crate::domain::gamification::{
    activity::{self, ActivityFilter},
    balances, skills, streaks,
};
use crate::graphql::{
    connection::{AppConnection, listing, page_request},
    context::ContextExt,
    scalars::Date,
};

#[derive(InputObject, Default)]
pub struct ActivityFilterInput {
    event_type: Option<String>,
    /// Inclusive.
    from: Option<DateTime<Utc>>,
    /// Exclusive.
    to: Option<DateTime<Utc>>,
}

/// `viewer { progress wallet skills streaks ledger activity }`.
pub struct ViewerRewards;

#[Object]
impl ViewerRewards {
    async fn progress(&self, ctx: &Context<'_>) -> async_graphql::Result<Progress> {
        let p = balances::progress(ctx.reader()?, ctx.actor()?.require_user()?).await?;
        Ok(Progress {
            total_xp: p.total_xp,
            level: p.standing.level,
            xp_into_level: p.standing.into_level,
            xp_for_level: p.standing.for_level,
            xp_to_next_level: p.standing.to_next,
            total_skill_stars: p.total_skill_stars,
        })
    }

    async fn wallet(&self, ctx: &Context<'_>) -> async_graphql::Result<Wallet> {
        let w = balances::wallet(ctx.reader()?, ctx.actor()?.require_user()?).await?;
        Ok(Wallet {
            coins: w.coins,
            total_earned: w.total_earned,
            total_spent: w.total_spent,
        })
    }

    /// Every skill, with the user's level in it.
    async fn skills(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Skill>> {
        let all = skills::of_user(ctx.reader()?, ctx.actor()?.require_user()?).await?;
        Ok(all
            .into_iter()
            .map(|(definition, mine)| {
                let total = mine.as_ref().map_or(0, |m| m.total_stars);
                let at = skills::standing(total, definition.stars_per_level, definition.max_level);
                Skill {
                    key: definition.key,
                    name: definition.name,
                    description: definition.description,
                    icon: definition.icon,
                    category: definition.category,
                    level: at.level,
                    current_stars: at.current_stars,
                    stars_per_level: definition.stars_per_level,
                    max_level: definition.max_level,
                    total_stars: total,
                }
            })
            .collect())
    }

    /// The daily, focus and habit streaks, on the user's local calendar.
    pub async fn streaks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Streak>> {
        let all = streaks::of_viewer(ctx.reader()?, ctx.actor()?, ctx.now()?).await?;
        Ok(all
            .into_iter()
            .map(|(kind, streak, current)| Streak {
                kind: kind.into(),
                current,
                longest: streak.longest,
                last_activity_date: streak.last.map(|d: NaiveDate| Date(d)),
            })
            .collect())
    }

    /// Every award and reversal, newest first.
    async fn ledger(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<AppConnection<LedgerEntry>> {
        let request = page_request(ctx, first, after.as_deref(), last, before.as_deref())?;
        let db = ctx.reader()?;
        let found = balances::ledger(db, ctx.actor()?, request).await?;
        Ok(listing(db, found, LedgerEntry::from))
    }

    /// Rewarded actions, newest first.
    async fn activity(
        &self,
        ctx: &Context<'_>,
        filter: Option<ActivityFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<AppConnection<ActivityEvent>> {
        let request = page_request(ctx, first, after.as_deref(), last, before.as_deref())?;
        let filter = filter.unwrap_or_default();
        let filter = ActivityFilter {
            event_type: filter.event_type,
            from: filter.from,
            to: filter.to,
        };
        let db = ctx.reader()?;
        let found = activity::feed(db, ctx.actor()?, filter, request).await?;
        Ok(listing(db, found, ActivityEvent::from))
    }
}
