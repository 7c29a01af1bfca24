//! The reward engine every area uses: one ledger (`award`) for XP, coins and skill stars,
//! the wallet and level that follow it, activity events, streaks and achievements. An
//! area calls `record_action` inside its own transaction; nothing else writes a reward.
pub mod achievements;
pub mod activity;
pub mod adjustments;
mod award_statement;
mod award_steps;
pub mod balances;
pub mod earned;
pub mod ledger;
pub mod levels;
pub mod reversals;
pub mod reward_events;
pub mod reward_feed;
pub mod rewards;
pub mod skills;
pub mod snapshot;
pub mod spending;
pub mod streaks;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;

pub use earned::Earned;
pub use ledger::{Award, Awarded, award};
pub use reward_events::{RewardEvent, RewardEventKind};
pub use reward_feed::RewardFeed;

use crate::domain::{AppError, AppResult, UserId, auth::preferences::Preferences, quests};

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

    /// The streak the engine extends for an action of this kind on the user's today,
    /// besides `daily`. The `habit` streak is not among them: it follows the dates
    /// completions are *for* (`Action::habit_date`).
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
    /// For a habit completion, the local date it is for (a grace completion fills
    /// yesterday): the user's `habit` streak counts it.
    pub habit_date: Option<NaiveDate>,
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
    /// False when the action's `habit_date` lay before the last day the user's habit
    /// streak counted (a grace completion after today's): only a recount of the
    /// completions (`habits::user_streak`) can settle that streak.
    pub habit_streak_counted: bool,
}

/// Records an action in the caller's transaction: pays it through the ledger (once per
/// idempotency key), writes its activity event, extends the streaks of the user's local
/// day, evaluates achievements and moves the user's quests. A repeat of an already-paid
/// key changes nothing. What the engine needs to know about the user is read once, in one
/// statement (`snapshot`), and kept current in memory.
pub async fn record_action(
    conn: &impl ConnectionTrait,
    user: UserId,
    prefs: &Preferences,
    action: Action,
    now: DateTime<Utc>,
) -> AppResult<Recorded> {
    let feeds_quests = action.event_type != EventType::QuestClaim;
    let (recorded, holds_quests) = record(conn, user, prefs, action, now).await?;
    if feeds_quests && holds_quests && !recorded.awarded.repeated {
        quests::follow(conn, user, prefs, now).await?;
    }
    Ok(recorded)
}

/// `record_action` for a quest claim, which the quests area makes: everything but quest
/// progress, since claims never feed quests.
pub async fn record_claim(
    conn: &impl ConnectionTrait,
    user: UserId,
    prefs: &Preferences,
    action: Action,
    now: DateTime<Utc>,
) -> AppResult<Recorded> {
    debug_assert_eq!(action.event_type, EventType::QuestClaim);
    Ok(record(conn, user, prefs, action, now).await?.0)
}

async fn record(
    conn: &impl ConnectionTrait,
    user: UserId,
    prefs: &Preferences,
    action: Action,
    now: DateTime<Utc>,
) -> AppResult<(Recorded, bool)> {
    let skill = action.award.skill.as_ref().map(|(key, _)| key.as_str());
    let snapshot = snapshot::read(conn, user, skill).await?;
    if let (Some(key), None) = (skill, &snapshot.skill) {
        return Err(AppError::not_found("skill", key));
    }
    let awarded = ledger::pay_for(conn, user, &action, snapshot.skill.as_ref(), now).await?;
    if awarded.repeated {
        let recorded = Recorded {
            awarded,
            achievements: Vec::new(),
            habit_streak_counted: true,
        };
        return Ok((recorded, snapshot.holds_quests));
    }
    let today = prefs.local_date(now);
    let mut book = streaks::Book::new(snapshot.streaks.clone());
    book.count(streaks::StreakType::Daily, today);
    if let Some(kind) = action.streak() {
        book.count(kind, today);
    }
    let habit_streak_counted = action.habit_date.is_none_or(|date| book.count_habit(date));
    book.save(conn, user, now).await?;
    let total_xp = match awarded.total_xp {
        Some(total) => total,
        None => balances::progress(conn, user).await?.total_xp,
    };
    let mut facts = achievements::Facts::new(&snapshot, book.as_of(today), total_xp);
    facts.count_event(action.event_type);
    let achievements =
        achievements::earn_what_holds(conn, user, &snapshot.definitions, facts, now).await?;
    let recorded = Recorded {
        awarded,
        achievements,
        habit_streak_counted,
    };
    Ok((recorded, snapshot.holds_quests))
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
            habit_date: None,
        }
    }

    #[test]
    fn only_work_sessions_extend_the_focus_streak() {
        assert_eq!(focus("work").streak(), Some(streaks::StreakType::Focus));
        assert_eq!(focus("short_break").streak(), None);
        assert_eq!(focus("long_break").streak(), None);
    }
}
