//! A goal's status: ACTIVE ⇄ PAUSED, either → COMPLETED (pays), COMPLETED → ACTIVE by
//! uncompleting (takes the reward back). Asking for the status a goal already has changes
//! nothing, so retries are safe; pausing or resuming a completed goal is a CONFLICT
//! (GOAL_COMPLETED).
use chrono::{DateTime, Utc};
use entity::goals;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, Set};

use super::{
    GoalId, GoalStatus,
    payments::{self, Doing},
    store,
};
use crate::domain::{
    Actor, AppError, AppResult, Reason, UserId,
    auth::AuthSettings,
    auth::preferences::{self, Preferences},
    db::begin_write,
    gamification::Earned,
};

/// A status change a client asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Pause,
    Resume,
    Complete,
    Uncomplete,
}

/// The status after `change`, or none when it changes nothing.
pub fn next(current: GoalStatus, change: Change) -> AppResult<Option<GoalStatus>> {
    use GoalStatus::{Active, Completed, Paused};
    match (current, change) {
        (Completed, Change::Pause | Change::Resume) => Err(AppError::Conflict {
            reason: Some(Reason::GoalCompleted),
            message: "a completed goal is neither paused nor resumed; uncomplete it first".into(),
        }),
        (Active, Change::Pause) => Ok(Some(Paused)),
        (Paused, Change::Resume) => Ok(Some(Active)),
        (Active | Paused, Change::Complete) => Ok(Some(Completed)),
        (Completed, Change::Uncomplete) => Ok(Some(Active)),
        _ => Ok(None),
    }
}

pub async fn change(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    id: GoalId,
    change: Change,
    now: DateTime<Utc>,
) -> AppResult<(goals::Model, Earned)> {
    let user = store::member(db, actor, settings).await?;
    let prefs = preferences::of_actor(db, actor, user).await?;
    let txn = begin_write(db).await?;
    let goal = change_in(&txn, user, &prefs, id, change, now).await?;
    txn.commit().await?;
    Ok(goal)
}

/// [`change`] inside the caller's write transaction (a plan item's completion composes
/// with it).
pub async fn change_in(
    txn: &impl ConnectionTrait,
    user: UserId,
    prefs: &Preferences,
    id: GoalId,
    change: Change,
    now: DateTime<Utc>,
) -> AppResult<(goals::Model, Earned)> {
    let goal = store::owned(txn, user, id, true).await?;
    let Some(status) = next(GoalStatus::stored(&goal.status), change)? else {
        return Ok((goal, Earned::default()));
    };
    let doing = Doing::goal(&goal);
    let done_at = goal.completed_at;
    let mut row: goals::ActiveModel = goal.into();
    row.status = Set(status.as_str().to_owned());
    row.updated_at = Set(now.into());
    match change {
        Change::Complete => row.completed_at = Set(Some(now.into())),
        Change::Uncomplete => row.completed_at = Set(None),
        Change::Pause | Change::Resume => {}
    }
    let goal = row.update(txn).await?;
    let earned = match change {
        Change::Complete => payments::pay(txn, user, prefs, doing, now).await?,
        Change::Uncomplete => {
            payments::take_back(txn, user, prefs, &doing, done_at, now).await?;
            Earned::default()
        }
        Change::Pause | Change::Resume => Earned::default(),
    };
    Ok((goal, earned))
}

#[cfg(test)]
mod tests {
    use super::*;
    use GoalStatus::{Active, Completed, Paused};

    #[test]
    fn status_moves_and_repeats_change_nothing() {
        assert_eq!(next(Active, Change::Pause).ok(), Some(Some(Paused)));
        assert_eq!(next(Paused, Change::Pause).ok(), Some(None));
        assert_eq!(next(Paused, Change::Resume).ok(), Some(Some(Active)));
        assert_eq!(next(Paused, Change::Complete).ok(), Some(Some(Completed)));
        assert_eq!(next(Completed, Change::Complete).ok(), Some(None));
        assert_eq!(next(Completed, Change::Uncomplete).ok(), Some(Some(Active)));
        assert_eq!(next(Active, Change::Uncomplete).ok(), Some(None));
        assert!(matches!(
            next(Completed, Change::Pause),
            Err(AppError::Conflict {
                reason: Some(Reason::GoalCompleted),
                ..
            })
        ));
    }
}
