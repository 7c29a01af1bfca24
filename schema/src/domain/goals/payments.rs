//! Paying for a milestone or a goal done, and taking it back when it is undone. Each
//! doing is paid under `<source>:<id>#<occurrence>` (`rewards::keys::occurrence`): a retry
//! finds the same key and pays nothing, a redo after an undo is the next occurrence and
//! pays again.
use chrono::{DateTime, FixedOffset, Utc};
use entity::{goal_milestones, goals};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::domain::{
    AppResult, UserId,
    auth::preferences::Preferences,
    gamification::{
        Action, Award, Earned, EventType, record_action,
        reversals::{self, Payments, Undo},
        rewards::{self, LedgerSource},
    },
};

/// What a doing pays, from the rewards table: (subject, its title, occurrence) → award.
type Pays = fn(Uuid, &str, usize) -> Award;

/// Something done that pays: a milestone or a goal.
#[derive(Debug, Clone)]
pub struct Doing {
    /// The ledger source: `Milestone` or `Goal`.
    pub source: LedgerSource,
    pub subject: Uuid,
    pub event_type: EventType,
    /// The metadata key the activity event names the subject under.
    pub subject_key: &'static str,
    pub category: Option<String>,
    pub metadata: Value,
    /// The subject's title, for the ledger's reason.
    pub title: String,
    pub pays: Pays,
}

impl Doing {
    /// Completing a goal: `goal_complete`, paid as `rewards::goal_complete`.
    pub fn goal(goal: &goals::Model) -> Self {
        Self {
            source: LedgerSource::Goal,
            subject: goal.id,
            event_type: EventType::GoalComplete,
            subject_key: "goalId",
            category: goal.category.clone(),
            metadata: json!({ "goalId": goal.id }),
            title: goal.title.clone(),
            pays: rewards::goal_complete,
        }
    }

    /// Completing one of a goal's milestones: `milestone_done`, paid as
    /// `rewards::milestone_done`.
    pub fn milestone(goal: &goals::Model, milestone: &goal_milestones::Model) -> Self {
        Self {
            source: LedgerSource::Milestone,
            subject: milestone.id,
            event_type: EventType::MilestoneDone,
            subject_key: "milestoneId",
            category: goal.category.clone(),
            metadata: json!({ "goalId": goal.id, "milestoneId": milestone.id }),
            title: milestone.title.clone(),
            pays: rewards::milestone_done,
        }
    }
}

/// Pays for `doing` through the engine, unless a payment for it still stands (then
/// nothing more is earned).
pub async fn pay(
    conn: &impl ConnectionTrait,
    user: UserId,
    prefs: &Preferences,
    doing: Doing,
    now: DateTime<Utc>,
) -> AppResult<Earned> {
    let payments = Payments::of(conn, user, doing.source, doing.subject).await?;
    if payments.standing().next().is_some() {
        return Ok(Earned::default());
    }
    let award = (doing.pays)(doing.subject, &doing.title, payments.next_occurrence());
    let action = Action {
        event_type: doing.event_type,
        category: doing.category,
        metadata: Some(doing.metadata),
        award,
        habit_date: None,
    };
    Ok(Earned::of(
        &record_action(conn, user, prefs, action, now).await?,
    ))
}

/// Takes back what `doing` was paid when it was done at `done_at`.
pub async fn take_back(
    conn: &impl ConnectionTrait,
    user: UserId,
    prefs: &Preferences,
    doing: &Doing,
    done_at: Option<DateTime<FixedOffset>>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let undo = Undo {
        source: doing.source,
        subject: doing.subject,
        event_type: doing.event_type,
        done_at: done_at.unwrap_or_else(|| now.into()),
        subject_key: doing.subject_key,
    };
    reversals::undo_action(conn, user, prefs, undo, now).await
}
