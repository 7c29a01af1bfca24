//! Quests over GraphQL, along `domain/quests`: the objects and enums here; `viewer {
//! quests }` in `queries`, the catalog's admin mutations and accepting and claiming in
//! `mutations`, the viewer's own quests in `own`.
pub mod mutations;
pub mod own;
pub mod queries;

use async_graphql::{Enum, Json, SimpleObject};
use chrono::{DateTime, Utc};
use entity::universal_quests;
use uuid::Uuid;

use crate::domain::{
    clock::utc,
    gamification::rewards,
    quests::{self, reads},
};

/// How often a quest starts over, on the viewer's calendar (zone and day-start hour).
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum QuestPeriod {
    Daily,
    /// An ISO week, from Monday.
    Weekly,
    Monthly,
    OneTime,
}

/// What a catalog quest counts.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum QuestTargetType {
    /// Minutes of completed work sessions (`targetConfig.minSessionMinutes` may set a floor).
    FocusMinutes,
    /// Completed work sessions (`targetConfig.minSessionMinutes` too).
    FocusSessions,
    /// Habit completions (`targetConfig.habitId` may name one habit).
    HabitCompletions,
    MilestonesCompleted,
    GoalsCompleted,
    /// XP from every action except quest claims.
    XpEarned,
    /// Local dates with any rewarded action.
    ActiveDays,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum QuestStatus {
    /// In the catalog, not accepted.
    Available,
    Active,
    Completed,
    Claimed,
    /// Retired from the catalog and its last period over.
    Retired,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum QuestSource {
    /// The admin-kept catalog.
    Catalog,
    /// The viewer's own.
    Own,
}

/// An own quest's difficulty: its only say in what a claim pays.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum QuestDifficulty {
    Easy,
    Normal,
    Hard,
}

macro_rules! both_ways {
    ($graphql:ty, $domain:ty, [$($v:ident),*]) => {
        impl From<$graphql> for $domain {
            fn from(v: $graphql) -> Self {
                match v { $(<$graphql>::$v => Self::$v),* }
            }
        }
        impl From<$domain> for $graphql {
            fn from(v: $domain) -> Self {
                match v { $(<$domain>::$v => Self::$v),* }
            }
        }
    };
}

both_ways!(
    QuestPeriod,
    quests::Period,
    [Daily, Weekly, Monthly, OneTime]
);
both_ways!(
    QuestTargetType,
    quests::TargetType,
    [
        FocusMinutes,
        FocusSessions,
        HabitCompletions,
        MilestonesCompleted,
        GoalsCompleted,
        XpEarned,
        ActiveDays
    ]
);
both_ways!(
    QuestStatus,
    reads::Status,
    [Available, Active, Completed, Claimed, Retired]
);
both_ways!(QuestSource, reads::Source, [Catalog, Own]);
both_ways!(QuestDifficulty, rewards::Difficulty, [Easy, Normal, Hard]);

/// A quest as the viewer sees it: a catalog quest with their standing, or one of their own.
#[derive(SimpleObject)]
pub struct Quest {
    /// The catalog quest's id (`source: CATALOG`) or the own quest's (`OWN`).
    id: Uuid,
    source: QuestSource,
    title: String,
    description: Option<String>,
    period: QuestPeriod,
    /// Null for an own quest: its progress is logged by hand.
    target_type: Option<QuestTargetType>,
    target_config: Option<Json<serde_json::Value>>,
    target: i32,
    /// This period's progress (capped at the target), counted from the later of the
    /// period's start and the acceptance: activity before accepting does not count.
    progress: i32,
    status: QuestStatus,
    /// Retired from the catalog: no new accepts; holders finish their current period.
    is_retired: bool,
    xp_reward: i32,
    coin_reward: i32,
    /// The skill a claim adds a star to.
    skill_key: Option<String>,
    /// Periods completed (an own quest: its streak's length as stored).
    times_completed: i32,
    accepted_at: Option<DateTime<Utc>>,
    completed_at: Option<DateTime<Utc>>,
    claimed_at: Option<DateTime<Utc>>,
    /// When the current period ends (null for a one-time quest).
    period_ends_at: Option<DateTime<Utc>>,
    /// An own repeatable quest's run of consecutive periods completed (0 once one is missed).
    streak: Option<i32>,
    difficulty: Option<QuestDifficulty>,
    expires_at: Option<DateTime<Utc>>,
}

impl From<reads::QuestView> for Quest {
    fn from(v: reads::QuestView) -> Self {
        Self {
            id: v.id,
            source: v.source.into(),
            title: v.title,
            description: v.description,
            period: v.period.into(),
            target_type: v.target_type.map(Into::into),
            target_config: v.target_config.map(Json),
            target: v.target,
            progress: v.progress,
            status: v.status.into(),
            is_retired: v.retired,
            xp_reward: v.xp_reward,
            coin_reward: v.coin_reward,
            skill_key: v.skill_key,
            times_completed: v.times_completed,
            accepted_at: v.accepted_at,
            completed_at: v.completed_at,
            claimed_at: v.claimed_at,
            period_ends_at: v.period_ends_at,
            streak: v.streak,
            difficulty: v.difficulty.map(Into::into),
            expires_at: v.expires_at,
        }
    }
}

/// A catalog quest as admins keep it.
#[derive(SimpleObject)]
pub struct CatalogQuest {
    id: Uuid,
    title: String,
    description: Option<String>,
    period: QuestPeriod,
    target_type: Option<QuestTargetType>,
    target: i32,
    target_config: Option<Json<serde_json::Value>>,
    xp_reward: i32,
    coin_reward: i32,
    skill_key: Option<String>,
    is_active: bool,
    sort_order: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<universal_quests::Model> for CatalogQuest {
    fn from(q: universal_quests::Model) -> Self {
        Self {
            id: q.id,
            period: quests::Period::parse(&q.r#type)
                .unwrap_or(quests::Period::OneTime)
                .into(),
            target_type: quests::TargetType::parse(&q.target_type).map(Into::into),
            title: q.title,
            description: q.description,
            target: q.target,
            target_config: q.target_config.map(Json),
            xp_reward: q.xp_reward,
            coin_reward: q.coin_reward,
            skill_key: q.skill_key,
            is_active: q.is_active,
            sort_order: q.sort_order,
            created_at: utc(&q.created_at),
            updated_at: utc(&q.updated_at),
        }
    }
}
