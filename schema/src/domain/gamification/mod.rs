//! The reward engine every area uses: one ledger (`award`) for XP, coins and skill stars,
//! the wallet and level that follow it, activity events, streaks and achievements. An
//! area calls `record_action` inside its own transaction; nothing else writes a reward.
pub mod achievements;
pub mod activity;
pub mod adjustments;
pub mod balances;
pub mod earned;
pub mod ledger;
pub mod levels;
pub mod reversals;
pub mod reward_events;
pub mod reward_feed;
pub mod rewards;
pub mod skills;
pub mod spending;
pub mod streaks;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

pub use earned::Earned;
pub use ledger::{Award, Awarded, award};
pub use reward_events::{RewardEvent, RewardEventKind};
pub use reward_feed::RewardFeed;

use crate::domain::{AppResult, UserId, quests};

/// The kinds of rewarded actions, as `activity_events.event_type` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    FocusComplete,
    HabitDone,
    GoalComplete,
    MilestoneDone,
    QuestClaim,
    AchievementEarned,
    /// A local date's plan reached three items (the first time only).
    PlanCreated,
    /// Every item of a plan of at least three items done (once per date).
    PlanFinished,
}

impl EventType {
    pub const ALL: [Self; 8] = [
        Self::FocusComplete,
        Self::HabitDone,
        Self::GoalComplete,
        Self::MilestoneDone,
        Self::QuestClaim,
        Self::AchievementEarned,
        Self::PlanCreated,
        Self::PlanFinished,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::FocusComplete => "focus_complete",
            Self::HabitDone => "habit_done",
            Self::GoalComplete => "goal_complete",
            Self::MilestoneDone => "milestone_done",
            Self::QuestClaim => "quest_claim",
            Self::AchievementEarned => "achievement_earned",
            Self::PlanCreated => "plan_created",
            Self::PlanFinished => "plan_finished",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == name)
    }

    /// The streak the engine extends for an action of this kind, besides `daily`. The
    /// `habit` streak is not among them: it follows the dates completions are *for* (a
    /// grace completion fills yesterday), so its one writer is `habits::user_streak`,
    /// which recounts it after every completion, undo and deletion.
    pub fn streak(self) -> Option<streaks::StreakType> {
        match self {
            Self::FocusComplete => Some(streaks::StreakType::Focus),
            _ => None,
        }
    }
}

/// A rewarded action: what happened, and what it pays.
#[derive(Debug, Clone)]
pub struct Action {
    pub event_type: EventType,
    /// e.g. the focus mode or the habit's name, for activity feeds.
    pub category: Option<String>,
    pub metadata: Option<serde_json::Value>,
    pub award: Award,
}

impl Action {
    /// The streak this action extends besides `daily`. The focus streak counts completed
    /// work sessions only: a break is rewarded but extends no focus streak.
    pub fn streak(&self) -> Option<streaks::StreakType> {
        let work = rewards::FocusMode::Work.as_str();
        match self.event_type {
            EventType::FocusComplete if self.category.as_deref() != Some(work) => None,
            event => event.streak(),
        }
    }
}

/// What recording an action did.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub awarded: Awarded,
    /// Achievements this action unlocked (each already paid).
    pub achievements: Vec<String>,
}

/// Records an action in the caller's transaction: pays it through `award` (once per
/// idempotency key), writes its activity event, extends the streaks of the user's local
/// day, evaluates achievements and moves the user's quests. A repeat of an already-paid
/// key changes nothing.
pub async fn record_action(
    conn: &impl ConnectionTrait,
    user: UserId,
    action: Action,
    now: DateTime<Utc>,
) -> AppResult<Recorded> {
    let feeds_quests = action.event_type != EventType::QuestClaim;
    let recorded = record(conn, user, action, now).await?;
    if feeds_quests && !recorded.awarded.repeated {
        quests::follow(conn, user, now).await?;
    }
    Ok(recorded)
}

/// `record_action` for a quest claim, which the quests area makes: everything but quest
/// progress, since claims never feed quests.
pub async fn record_claim(
    conn: &impl ConnectionTrait,
    user: UserId,
    action: Action,
    now: DateTime<Utc>,
) -> AppResult<Recorded> {
    debug_assert_eq!(action.event_type, EventType::QuestClaim);
    record(conn, user, action, now).await
}

async fn record(
    conn: &impl ConnectionTrait,
    user: UserId,
    action: Action,
    now: DateTime<Utc>,
) -> AppResult<Recorded> {
    let awarded = award(conn, user, action.award.clone(), now).await?;
    if awarded.repeated {
        return Ok(Recorded {
            awarded,
            achievements: Vec::new(),
        });
    }
    activity::write(conn, user, &action, &awarded, now).await?;
    streaks::record_activity(conn, user, action.streak(), now).await?;
    let achievements = achievements::evaluate(conn, user, now).await?;
    Ok(Recorded {
        awarded,
        achievements,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn focus(category: &str) -> Action {
        Action {
            event_type: EventType::FocusComplete,
            category: Some(category.into()),
            metadata: None,
            award: Award::new(rewards::LedgerSource::Focus),
        }
    }

    #[test]
    fn only_work_sessions_extend_the_focus_streak() {
        assert_eq!(focus("work").streak(), Some(streaks::StreakType::Focus));
        assert_eq!(focus("short_break").streak(), None);
        assert_eq!(focus("long_break").streak(), None);
    }
}
