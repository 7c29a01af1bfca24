//! Logging a habit done, and undoing it. A completion counts for a local date: the user's
//! today by default, yesterday as grace, never the future or earlier. A period takes
//! completions up to its target (then HABIT_TARGET_REACHED); each pays the habit reward
//! through the engine (`habit_done`). A client's idempotency key makes a retry return the
//! first completion and pay nothing more. Undo deletes the completion, reverses what it
//! paid and retracts its event; completing again pays again.
use chrono::{DateTime, NaiveDate, Utc};
use entity::{habit_completions, habits, points_ledger};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QueryResult, QuerySelect, sea_query::Expr,
};
use serde_json::json;
use uuid::Uuid;

use super::{
    CompletionId, HabitId, HabitOnDay,
    input::{CompletionForCreate, NewCompletion},
    logging, schedule_of, settle, store,
    streak::{self, Counts},
};
use crate::domain::{
    Actor, AppError, AppResult, Reason, UserId,
    auth::{AuthSettings, preferences::Preferences},
    db::begin_write,
    gamification::{
        Action, Earned, EventType, record_action,
        reversals::{self, Undo},
        rewards::{self, LedgerSource, keys},
    },
};

/// A completion logged (or found again by its key), with the habit as it now stands.
#[derive(Debug, Clone)]
pub struct Completed {
    pub completion: habit_completions::Model,
    pub habit: HabitOnDay,
    /// True when the key was used before: nothing new was logged or paid.
    pub repeated: bool,
    /// What the completion paid (for a repeat, what the first call paid).
    pub earned: Earned,
    /// The habit's completions per date as they now stand, when this call read them (the
    /// answer's derived fields need no second read).
    pub counts: Option<Counts>,
}

/// A completion undone: the habit as it now stands, with its completions per date.
#[derive(Debug, Clone)]
pub struct Undone {
    pub habit: HabitOnDay,
    pub counts: Counts,
}

/// Today, or yesterday as grace.
fn check_date(date: NaiveDate, today: NaiveDate) -> AppResult<()> {
    if date > today {
        return Err(AppError::bad_input(
            "date",
            "a completion cannot be in the future",
        ));
    }
    if Some(date) < today.pred_opt() {
        return Err(AppError::bad_input(
            "date",
            "a completion can be logged for today or yesterday",
        ));
    }
    Ok(())
}

/// The completion an earlier request with this ledger key logged.
async fn earlier(
    conn: &impl ConnectionTrait,
    user: UserId,
    key: &str,
) -> AppResult<Option<(habit_completions::Model, Earned)>> {
    let Some(paid) = points_ledger::Entity::find()
        .filter(points_ledger::Column::UserId.eq(user.0))
        .filter(points_ledger::Column::IdempotencyKey.eq(key))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let completion = match paid.event_id {
        Some(id) => habit_completions::Entity::find_by_id(id).one(conn).await?,
        None => None,
    };
    let earned = Earned::entry(&paid);
    completion
        .map(|c| Some((c, earned)))
        .ok_or_else(|| AppError::Conflict {
            reason: Some(Reason::IdempotencyKeyReused),
            message: "the completion this key logged was undone; send a new key".into(),
        })
}

pub async fn complete(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    id: HabitId,
    input: NewCompletion,
    now: DateTime<Utc>,
) -> AppResult<Completed> {
    let (user, prefs) = store::member_day(db, actor, settings).await?;
    let input = input.parse()?;
    let txn = begin_write(db).await?;
    let completed = complete_in(&txn, user, &prefs, id, input, now).await?;
    txn.commit().await?;
    Ok(completed)
}

/// Logs a completion inside the caller's write transaction (a plan item's completion
/// composes with it): the same rules, key and reward as [`complete`].
pub async fn complete_in(
    txn: &impl ConnectionTrait,
    user: UserId,
    prefs: &Preferences,
    id: HabitId,
    input: CompletionForCreate,
    now: DateTime<Utc>,
) -> AppResult<Completed> {
    let today = prefs.local_date(now);
    let (habit, mut history) = logging::locked_with_history(txn, user, id).await?;
    let key = input
        .idempotency_key
        .as_ref()
        .map(|k| keys::habit_client(habit.id, k.as_str()));
    if let Some(key) = &key
        && let Some((completion, earned)) = earlier(txn, user, key).await?
    {
        return Ok(Completed {
            completion,
            habit: HabitOnDay { habit, today },
            repeated: true,
            earned,
            counts: None,
        });
    }
    if !habit.is_active {
        return Err(AppError::Conflict {
            reason: Some(Reason::HabitArchived),
            message: "this habit is archived; restore it to log completions".into(),
        });
    }
    let date = input.date.unwrap_or(today);
    check_date(date, today)?;
    let done = streak::in_bucket(schedule_of(&habit), &history.counts, date);
    if i64::from(done) >= i64::from(habit.target_count) {
        return Err(AppError::Conflict {
            reason: Some(Reason::HabitTargetReached),
            message: format!(
                "this period already has its {} completion(s)",
                habit.target_count
            ),
        });
    }
    let completion = habit_completions::Model {
        id: Uuid::now_v7(),
        habit_id: habit.id,
        user_id: user.0,
        completed_at: now.into(),
        completed_date: date,
        notes: input.notes,
    };
    // The engine pays first; the completion is written only when this call's payment is
    // the first for its key (a racing retry with the same key paid first: its completion
    // stands, and this one is never written).
    let recorded = record_action(txn, user, prefs, action(&habit, &completion, key), now).await?;
    if recorded.awarded.repeated {
        let first = match recorded.awarded.entry.event_id {
            Some(first) => {
                habit_completions::Entity::find_by_id(first)
                    .one(txn)
                    .await?
            }
            None => None,
        }
        .ok_or_else(|| AppError::not_found("habitCompletion", completion.id))?;
        return Ok(Completed {
            completion: first,
            habit: HabitOnDay { habit, today },
            repeated: true,
            earned: Earned::entry(&recorded.awarded.entry),
            counts: None,
        });
    }
    let change = settle::Change {
        habit_streak_counted: recorded.habit_streak_counted,
        ..settle::Change::logged(&habit, &mut history, date, now)
    };
    let runs = change.runs_after(&habit);
    let last = change.after.last_completed_at;
    let habit = logging::write(txn, &completion, habit, &runs, last, now).await?;
    settle::after_stored(txn, user, prefs, &habit, &runs, &change, now).await?;
    Ok(Completed {
        completion,
        habit: HabitOnDay { habit, today },
        repeated: false,
        earned: Earned::of(&recorded),
        counts: Some(change.after.counts),
    })
}

/// What logging `completion` records with the engine.
fn action(
    habit: &habits::Model,
    completion: &habit_completions::Model,
    key: Option<String>,
) -> Action {
    Action {
        event_type: EventType::HabitDone,
        category: Some(habit.name.clone()),
        metadata: Some(json!({
            "habitId": habit.id,
            "completionId": completion.id,
            "date": completion.completed_date,
        })),
        award: rewards::habit_completion(completion.id, &habit.name, key),
        habit_date: Some(completion.completed_date),
    }
}

/// Undoes a completion; returns the habit as it now stands.
pub async fn undo(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    id: CompletionId,
    now: DateTime<Utc>,
) -> AppResult<Undone> {
    let (user, prefs) = store::member_day(db, actor, settings).await?;
    let txn = begin_write(db).await?;
    let habit = undo_in(&txn, user, &prefs, id, now).await?;
    txn.commit().await?;
    Ok(habit)
}

/// Undoes a completion inside the caller's write transaction: the same rules as [`undo`].
pub async fn undo_in(
    txn: &impl ConnectionTrait,
    user: UserId,
    prefs: &Preferences,
    id: CompletionId,
    now: DateTime<Utc>,
) -> AppResult<Undone> {
    let today = prefs.local_date(now);
    let not_found = || AppError::not_found("habitCompletion", id.0);
    // The completion with its habit, the habit locked, and how many completions the user
    // has on its date (one statement).
    let (
        SameDay {
            completion,
            on_its_day,
        },
        habit,
    ) = habit_completions::Entity::find_by_id(id.0)
        .filter(habit_completions::Column::UserId.eq(user.0))
        .inner_join(habits::Entity)
        .select_also(habits::Entity)
        .expr_as(SameDay::count(), SameDay::COLUMN)
        .lock_exclusive()
        .into_model::<SameDay, habits::Model>()
        .one(txn)
        .await?
        .and_then(|(completion, habit)| Some((completion, habit?)))
        .ok_or_else(not_found)?;
    // A concurrent undo may have taken it while this one waited for the habit.
    let deleted = habit_completions::Entity::delete_by_id(completion.id)
        .exec(txn)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(not_found());
    }
    let undo = Undo {
        source: LedgerSource::Habit,
        subject: completion.id,
        event_type: EventType::HabitDone,
        done_at: completion.completed_at,
        subject_key: "completionId",
    };
    reversals::undo_action(txn, user, prefs, undo, now).await?;
    // Another completion on its date keeps the day in the user's habit streak.
    let day_stays = on_its_day > 1;
    let change = settle::Change::undone(&habit, txn, completion.completed_date, day_stays).await?;
    let counts = change.after.counts.clone();
    let habit = settle::after_change(txn, user, prefs, habit, change, now).await?;
    Ok(Undone {
        habit: HabitOnDay { habit, today },
        counts,
    })
}

/// A completion, and how many completions its user has on its date (itself included).
struct SameDay {
    completion: habit_completions::Model,
    on_its_day: i64,
}

impl SameDay {
    const COLUMN: &str = "on_its_day";

    /// The count, correlated to the completion the statement reads.
    fn count() -> Expr {
        Expr::cust(
            "(SELECT COUNT(*) FROM \"habit_completions\" AS \"same_day\" \
             WHERE \"same_day\".\"user_id\" = \"habit_completions\".\"user_id\" \
             AND \"same_day\".\"completed_date\" = \"habit_completions\".\"completed_date\")",
        )
    }
}

impl FromQueryResult for SameDay {
    fn from_query_result(res: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        Ok(Self {
            completion: habit_completions::Model::from_query_result(res, pre)?,
            on_its_day: res.try_get("", Self::COLUMN)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_completion_is_for_today_or_yesterday() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert!(check_date(today, today).is_ok());
        assert!(check_date(today.pred_opt().unwrap(), today).is_ok());
        for bad in [today.succ_opt().unwrap(), today - chrono::Days::new(2)] {
            assert!(matches!(
                check_date(bad, today),
                Err(AppError::BadUserInput { field: Some(f), .. }) if f == "date"
            ));
        }
    }
}
