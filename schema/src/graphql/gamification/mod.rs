//! The reward engine over GraphQL, along `domain/gamification`: the objects here (progress,
//! wallet, skills, streaks, ledger entries, activity); the viewer's reads in `queries`, the
//! admin's `adjustPoints` in `mutations`, achievements in `achievements`, live reward
//! events in `live`.
pub mod achievements;
pub mod live;
pub mod mutations;
pub mod queries;
pub mod reward;

use async_graphql::{Enum, Json, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::scalars::Date;
use crate::domain::gamification::streaks;

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
    /// What the action was about, by `eventType`: `habit_done`: the habit's name;
    /// `goal_complete` and `milestone_done`: the goal's category; `focus_complete`: the
    /// mode (`work`, `short_break`, `long_break`); `quest_claim`: the quest's skill or own
    /// category; `achievement_earned`: the achievement's category. Null when it has none.
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
