//! The rewards table: what each action pays (unless a quest or achievement names its own),
//! the ledger source every payment is written under, and the idempotency key that makes
//! it pay once. Every amount, source and key format of the engine lives here.
use chrono::NaiveDate;
use uuid::Uuid;

use super::ledger::Award;

mod plans;
mod quests;
pub use plans::{PLAN_MIN_ITEMS, plan_created, plan_finished};
pub use quests::{
    Difficulty, OWN_QUEST_REWARDED_CLAIMS_PER_DAY, QuestClaim, own_quest_claim, quest_claim,
};

/// Where a ledger row's payment came from: `points_ledger.event_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LedgerSource {
    Focus,
    Habit,
    HabitStreak,
    Milestone,
    Goal,
    Quest,
    Achievement,
    Adjustment,
    Purchase,
    Reversal,
    Plan,
}

impl LedgerSource {
    pub const ALL: [Self; 11] = [
        Self::Focus,
        Self::Habit,
        Self::HabitStreak,
        Self::Milestone,
        Self::Goal,
        Self::Quest,
        Self::Achievement,
        Self::Adjustment,
        Self::Purchase,
        Self::Reversal,
        Self::Plan,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Focus => "focus",
            Self::Habit => "habit",
            Self::HabitStreak => "habit_streak",
            Self::Milestone => "milestone",
            Self::Goal => "goal",
            Self::Quest => "quest",
            Self::Achievement => "achievement",
            Self::Adjustment => "adjustment",
            Self::Purchase => "purchase",
            Self::Reversal => "reversal",
            Self::Plan => "plan",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// The idempotency keys payments are written under: a retry or a race computes the same
/// key, and the ledger's unique index lets one of them pay.
pub mod keys {
    use super::{LedgerSource, NaiveDate, Uuid};

    /// A focus session's completion: `focus:<session>`.
    pub fn focus(session: Uuid) -> String {
        format!("{}:{session}", LedgerSource::Focus.as_str())
    }

    /// A habit completion under the client's key: `habit:<habit>:<client key>`.
    pub fn habit_client(habit: Uuid, client_key: &str) -> String {
        format!("{}:{habit}:{client_key}", LedgerSource::Habit.as_str())
    }

    /// A habit completion logged without a client key: `habit:<completion>`.
    pub fn habit_completion(completion: Uuid) -> String {
        format!("{}:{completion}", LedgerSource::Habit.as_str())
    }

    /// The `occurrence`-th doing of `subject` (a milestone, a goal), counted from 1: a redo
    /// after an undo is the next occurrence and pays again.
    pub fn occurrence(source: LedgerSource, subject: Uuid, occurrence: usize) -> String {
        format!("{}:{subject}#{occurrence}", source.as_str())
    }

    /// An achievement's reward, once per user: `achievement:<key>`.
    pub fn achievement(key: &str) -> String {
        format!("{}:{key}", LedgerSource::Achievement.as_str())
    }

    /// An admin's adjustment, under the admin client's own key.
    pub fn adjustment(client_key: &str) -> String {
        format!("{}:{client_key}", LedgerSource::Adjustment.as_str())
    }

    /// The prefix of every claim of one catalog quest in one period (its first local date,
    /// or `once` for a one-time quest): `quest:<quest>:<period>#`.
    pub fn quest_period(quest: Uuid, period: &str) -> String {
        format!("{}:{quest}:{period}#", LedgerSource::Quest.as_str())
    }

    /// The `occurrence`-th claim of a catalog quest in one period, counted from 1 (a claim
    /// after an undo reversed the first is the next): keyed per (user, quest, period), so
    /// concurrent claims and the automatic payment at a reset pay once.
    pub fn quest_claim(quest: Uuid, period: &str, occurrence: usize) -> String {
        format!("{}{occurrence}", quest_period(quest, period))
    }

    /// The prefix every own-quest claim shares (what the daily cap counts).
    pub const OWN_QUEST_PREFIX: &str = "quest:own:";

    /// The claim of one of a user's own quests in one period: `quest:own:<quest>:<period>`.
    pub fn own_quest_claim(quest: Uuid, period: &str) -> String {
        format!("{OWN_QUEST_PREFIX}{quest}:{period}")
    }

    /// A local date's plan reaching three items, once per date: `plan:<date>:created`.
    pub fn plan_created(date: NaiveDate) -> String {
        format!("{}:{date}:created", LedgerSource::Plan.as_str())
    }

    /// Every item of a local date's plan done, once per date: `plan:<date>:finished`.
    pub fn plan_finished(date: NaiveDate) -> String {
        format!("{}:{date}:finished", LedgerSource::Plan.as_str())
    }

    /// The `occurrence`-th completion of a plan item's linked habit, counted from 1 (the
    /// habit's client key): a retry or a race finds the same key, a redo after an undo is
    /// the next occurrence.
    pub fn plan_item(item: Uuid, occurrence: u32) -> String {
        format!("plan-item:{item}#{occurrence}")
    }

    const REVERSAL_PREFIX: &str = "reversal:";

    /// The reversal of one ledger row, once however often it is asked: `reversal:<row>`.
    pub fn reversal(row: Uuid) -> String {
        format!("{REVERSAL_PREFIX}{row}")
    }

    /// The row a reversal key takes back.
    pub fn reversed_row(key: &str) -> Option<Uuid> {
        Uuid::parse_str(key.strip_prefix(REVERSAL_PREFIX)?).ok()
    }

    /// A habit's streak bonus: `habit_streak:<habit>:<schedule>:<period start>:<length>#<n>`.
    pub fn habit_streak(
        habit: Uuid,
        schedule: &str,
        start: NaiveDate,
        length: i32,
        occurrence: usize,
    ) -> String {
        let source = LedgerSource::HabitStreak.as_str();
        format!("{source}:{habit}:{schedule}:{start}:{length}#{occurrence}")
    }

    /// The schedule tag, period start and length a streak bonus key names.
    pub fn parse_habit_streak(key: &str) -> Option<(&str, NaiveDate, i32)> {
        let (prefix, _occurrence) = key.split_once('#')?;
        let source = LedgerSource::HabitStreak.as_str();
        let mut parts = prefix.strip_prefix(source)?.strip_prefix(':')?.split(':');
        let (_habit, schedule, start, length) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        Some((schedule, start.parse().ok()?, length.parse().ok()?))
    }
}

/// The skill a completed work session's stars go to.
const FOCUS_SKILL: &str = "focus";
/// The skill a habit completion's star goes to.
const DISCIPLINE_SKILL: &str = "discipline";

/// Stars of the `focus` skill per 25 focused minutes.
const FOCUS_MINUTES_PER_STAR: i32 = 25;

/// The minutes a session paid for: the seconds focused, to the nearest minute.
pub fn focused_minutes(focused_seconds: i32) -> i32 {
    (focused_seconds.max(0).saturating_add(30)) / 60
}

/// What completing focus session `session` pays, by mode and the seconds actually focused
/// (rounded to the nearest minute): a work session max(5, minutes) XP, max(2, minutes / 5)
/// coins and a `focus` star per 25 minutes; a short break 2 XP; a long break 3 XP and a
/// coin. Paid once per session.
pub fn focus_session(session: Uuid, mode: FocusMode, focused_seconds: i32) -> Award {
    let minutes = focused_minutes(focused_seconds);
    let amounts = match mode {
        FocusMode::Work => Award {
            xp: minutes.max(5),
            coins: (minutes / 5).max(2),
            skill: Some((FOCUS_SKILL.into(), minutes / FOCUS_MINUTES_PER_STAR)),
            ..Award::new(LedgerSource::Focus)
        },
        FocusMode::ShortBreak => Award {
            xp: 2,
            ..Award::new(LedgerSource::Focus)
        },
        FocusMode::LongBreak => Award {
            xp: 3,
            coins: 1,
            ..Award::new(LedgerSource::Focus)
        },
    };
    Award {
        event_id: Some(session),
        reason: Some(format!("{} session", mode.as_str())),
        idempotency_key: Some(keys::focus(session)),
        ..amounts
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FocusMode {
    Work,
    ShortBreak,
    LongBreak,
}

/// One habit completion within the period's target: 5 XP, 1 coin, 1 `discipline` star,
/// under the client's key or, without one, the completion's own.
pub fn habit_completion(completion: Uuid, habit_name: &str, client_key: Option<String>) -> Award {
    Award {
        event_id: Some(completion),
        xp: 5,
        coins: 1,
        skill: Some((DISCIPLINE_SKILL.into(), 1)),
        reason: Some(format!("habit done: {habit_name}")),
        idempotency_key: Some(client_key.unwrap_or_else(|| keys::habit_completion(completion))),
        ..Award::new(LedgerSource::Habit)
    }
}

/// The habit streak lengths (in periods) that pay a bonus: 2 × the length in XP.
pub const HABIT_STREAK_MILESTONES: [i32; 6] = [7, 14, 30, 60, 100, 365];

/// Whether a streak of `length` periods earns a bonus.
pub fn is_habit_streak_milestone(length: i32) -> bool {
    HABIT_STREAK_MILESTONES.contains(&length)
}

/// The bonus a habit's run reaching `length` periods pays (2 × the length in XP), keyed by
/// the habit, its schedule, the run's period start and length, and the occurrence.
pub fn habit_streak_bonus(bonus: HabitStreakBonus<'_>) -> Option<Award> {
    let length = bonus.length;
    is_habit_streak_milestone(length).then(|| Award {
        event_id: Some(bonus.habit),
        xp: 2 * length,
        reason: Some(format!("{length}-period streak: {}", bonus.habit_name)),
        idempotency_key: Some(keys::habit_streak(
            bonus.habit,
            bonus.schedule,
            bonus.start,
            length,
            bonus.occurrence,
        )),
        ..Award::new(LedgerSource::HabitStreak)
    })
}

/// A habit streak bonus to pay.
#[derive(Debug, Clone, Copy)]
pub struct HabitStreakBonus<'a> {
    pub habit: Uuid,
    pub habit_name: &'a str,
    /// The schedule's tag (a recount under another schedule pays anew).
    pub schedule: &'a str,
    /// The first period of the run.
    pub start: NaiveDate,
    pub length: i32,
    pub occurrence: usize,
}

/// A goal's milestone reached: 10 XP, per occurrence.
pub fn milestone_done(milestone: Uuid, title: &str, occurrence: usize) -> Award {
    Award {
        event_id: Some(milestone),
        xp: 10,
        reason: Some(format!("milestone reached: {title}")),
        idempotency_key: Some(keys::occurrence(
            LedgerSource::Milestone,
            milestone,
            occurrence,
        )),
        ..Award::new(LedgerSource::Milestone)
    }
}

/// A goal completed: 50 XP and 10 coins, per occurrence.
pub fn goal_complete(goal: Uuid, title: &str, occurrence: usize) -> Award {
    Award {
        event_id: Some(goal),
        xp: 50,
        coins: 10,
        reason: Some(format!("goal completed: {title}")),
        idempotency_key: Some(keys::occurrence(LedgerSource::Goal, goal, occurrence)),
        ..Award::new(LedgerSource::Goal)
    }
}

/// An achievement earned pays the catalog's own amounts, once per user.
pub fn achievement(row: Uuid, key: &str, xp: i32, coins: i32) -> Award {
    Award {
        event_id: Some(row),
        xp,
        coins,
        reason: Some(format!("achievement {key}")),
        idempotency_key: Some(keys::achievement(key)),
        ..Award::new(LedgerSource::Achievement)
    }
}

/// An admin's correction of a user's XP or coins, once per admin key.
pub fn adjustment(xp: i32, coins: i32, reason: &str, client_key: &str) -> Award {
    Award {
        xp,
        coins,
        reason: Some(reason.to_owned()),
        idempotency_key: Some(keys::adjustment(client_key)),
        ..Award::new(LedgerSource::Adjustment)
    }
}

/// A purchase of `coins`, once per key when the client sends one.
pub fn purchase(coins: i32, reason: &str, idempotency_key: Option<String>) -> Award {
    Award {
        coins: coins.saturating_neg(),
        reason: Some(reason.to_owned()),
        idempotency_key,
        ..Award::new(LedgerSource::Purchase)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn focus_pays_by_minutes_with_floors() {
        let id = Uuid::nil();
        let short = focus_session(id, FocusMode::Work, 3 * 60);
        assert_eq!(
            (short.xp, short.coins, short.skill.map(|s| s.1)),
            (5, 2, Some(0))
        );
        let long = focus_session(id, FocusMode::Work, 50 * 60 - 10);
        assert_eq!(
            (long.xp, long.coins, long.skill.map(|s| s.1)),
            (50, 10, Some(2))
        );
        assert_eq!(focus_session(id, FocusMode::LongBreak, 900).coins, 1);
        assert_eq!(long.idempotency_key, Some(keys::focus(id)));
    }

    #[test]
    fn streak_bonuses_pay_twice_their_length_at_the_milestones() {
        let bonus = |length| HabitStreakBonus {
            habit: Uuid::nil(),
            habit_name: "Read",
            schedule: "d",
            start: NaiveDate::MIN,
            length,
            occurrence: 1,
        };
        assert_eq!(habit_streak_bonus(bonus(7)).map(|a| a.xp), Some(14));
        assert!(habit_streak_bonus(bonus(8)).is_none());
        let key = habit_streak_bonus(bonus(14)).and_then(|a| a.idempotency_key);
        let parsed = key.as_deref().and_then(keys::parse_habit_streak);
        assert_eq!(parsed, Some(("d", NaiveDate::MIN, 14)));
    }

    #[test]
    fn every_source_reads_back_from_its_name() {
        for source in LedgerSource::ALL {
            assert_eq!(LedgerSource::parse(source.as_str()), Some(source));
        }
        assert_eq!(
            keys::reversed_row(&keys::reversal(Uuid::nil())),
            Some(Uuid::nil())
        );
    }
}
