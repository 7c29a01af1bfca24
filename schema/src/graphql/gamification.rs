//! The viewer's rewards over GraphQL: progress, wallet, skills, streaks, ledger and
//! activity; and the admin's `adjustPoints`.
use async_graphql::{Context, Enum, InputObject, Json, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{
    connection::{AppConnection, listing},
    context::ContextExt,
    scalars::Date,
};
use crate::domain::{
    gamification::{
        activity::{self, ActivityFilter},
        adjustments::{self, Adjustment},
        balances, skills, streaks,
    },
    pagination::PageRequest,
};

/// Where the user stands on the level curve.
#[derive(SimpleObject)]
pub struct Progress {
    /// Lifetime XP (reversals take it back).
    total_xp: i64,
    level: i32,
    /// XP earned since reaching this level.
    xp_into_level: i64,
    /// XP this level takes in all: floor(100 · level^1.5).
    xp_for_level: i64,
    /// XP still missing for the next level.
    xp_to_next_level: i64,
    total_skill_stars: i64,
}

#[derive(SimpleObject)]
pub struct Wallet {
    /// The balance; an undone reward may leave it below zero until earned back.
    coins: i32,
    total_earned: i32,
    total_spent: i32,
}

#[derive(SimpleObject)]
pub struct Skill {
    key: String,
    name: String,
    description: Option<String>,
    icon: Option<String>,
    category: String,
    level: i32,
    /// Stars into the current level.
    current_stars: i32,
    stars_per_level: i32,
    max_level: i32,
    total_stars: i32,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum StreakType {
    Daily,
    Focus,
    Habit,
}

impl From<streaks::StreakType> for StreakType {
    fn from(kind: streaks::StreakType) -> Self {
        match kind {
            streaks::StreakType::Daily => Self::Daily,
            streaks::StreakType::Focus => Self::Focus,
            streaks::StreakType::Habit => Self::Habit,
        }
    }
}

#[derive(SimpleObject)]
pub struct Streak {
    #[graphql(name = "type")]
    kind: StreakType,
    /// Consecutive local days up to today or yesterday; 0 once a day is missed.
    current: i32,
    longest: i32,
    last_activity_date: Option<Date>,
}

/// One ledger row: what an award paid or took back.
#[derive(SimpleObject)]
pub struct LedgerEntry {
    id: Uuid,
    event_type: String,
    event_id: Option<Uuid>,
    xp: i32,
    coins: i32,
    skill_key: Option<String>,
    skill_stars: i32,
    reason: Option<String>,
    created_at: DateTime<Utc>,
}

impl From<entity::points_ledger::Model> for LedgerEntry {
    fn from(row: entity::points_ledger::Model) -> Self {
        Self {
            id: row.id,
            event_type: row.event_type,
            event_id: row.event_id,
            xp: row.xp,
            coins: row.coins,
            skill_key: row.skill_key,
            skill_stars: row.skill_stars.unwrap_or_default(),
            reason: row.reason,
            created_at: row.created_at.with_timezone(&Utc),
        }
    }
}

/// A rewarded action in the user's feed.
#[derive(SimpleObject)]
pub struct ActivityEvent {
    id: Uuid,
    /// focus_complete, habit_done, goal_complete, milestone_done, quest_claim,
    /// achievement_earned.
    event_type: String,
    category: Option<String>,
    metadata: Option<Json<serde_json::Value>>,
    xp_earned: i32,
    coins_earned: i32,
    created_at: DateTime<Utc>,
}

impl From<entity::activity_events::Model> for ActivityEvent {
    fn from(row: entity::activity_events::Model) -> Self {
        Self {
            id: row.id,
            event_type: row.event_type,
            category: row.category,
            metadata: row.metadata.map(Json),
            xp_earned: row.xp_earned.unwrap_or_default(),
            coins_earned: row.coins_earned.unwrap_or_default(),
            created_at: row.created_at.with_timezone(&Utc),
        }
    }
}

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
        let p = balances::progress(ctx.db()?, ctx.actor()?.require_user()?).await?;
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
        let w = balances::wallet(ctx.db()?, ctx.actor()?.require_user()?).await?;
        Ok(Wallet {
            coins: w.coins,
            total_earned: w.total_earned,
            total_spent: w.total_spent,
        })
    }

    /// Every skill, with the user's level in it.
    async fn skills(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Skill>> {
        let all = skills::of_user(ctx.db()?, ctx.actor()?.require_user()?).await?;
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
    async fn streaks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Streak>> {
        let all = streaks::of_user(ctx.db()?, ctx.actor()?.require_user()?, ctx.now()?).await?;
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
        let request = PageRequest::parse(first, after.as_deref(), last, before.as_deref())?;
        let db = ctx.db()?;
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
        let request = PageRequest::parse(first, after.as_deref(), last, before.as_deref())?;
        let filter = filter.unwrap_or_default();
        let filter = ActivityFilter {
            event_type: filter.event_type,
            from: filter.from,
            to: filter.to,
        };
        let db = ctx.db()?;
        let found = activity::feed(db, ctx.actor()?, filter, request).await?;
        Ok(listing(db, found, ActivityEvent::from))
    }
}

#[derive(InputObject)]
pub struct AdjustPointsInput {
    user_id: Uuid,
    /// Positive to give, negative to take back; -1,000,000 to 1,000,000. An adjustment
    /// that would carry a total past 2,147,483,647 is CONFLICT `TOTAL_LIMIT_REACHED`.
    #[graphql(default)]
    xp: i32,
    /// -1,000,000 to 1,000,000, like `xp`.
    #[graphql(default)]
    coins: i32,
    reason: String,
    /// One per submission: a retried call pays once.
    idempotency_key: String,
}

#[derive(SimpleObject)]
pub struct AdjustPointsPayload {
    entry: LedgerEntry,
    /// True when this key was already used and nothing more was paid.
    repeated: bool,
}

#[derive(Default)]
pub struct GamificationMutation;

#[Object]
impl GamificationMutation {
    /// Corrects a user's XP or coins (needs `points_ledger:create`).
    async fn adjust_points(
        &self,
        ctx: &Context<'_>,
        input: AdjustPointsInput,
    ) -> async_graphql::Result<AdjustPointsPayload> {
        let adjustment = Adjustment {
            user: input.user_id,
            xp: input.xp,
            coins: input.coins,
            reason: input.reason,
            idempotency_key: input.idempotency_key,
        };
        let (entry, repeated) =
            adjustments::adjust(ctx.db()?, ctx.actor()?, adjustment, ctx.meta()?, ctx.now()?)
                .await?;
        Ok(AdjustPointsPayload {
            entry: entry.into(),
            repeated,
        })
    }
}
