//! What follows a change to a habit's completions, in the same transaction: its streak
//! from its history (read once, with the completion's own count added in memory), its
//! streak bonuses brought in line from the changed period on when a milestone run is
//! involved, and the user-level `habit` streak recounted when the engine could not count
//! it forward (an undo, a grace completion after today's). Achievements are checked again
//! only when a bonus or that recount moved something.
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use entity::{habit_completions, habits};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};

use super::{
    bonus, schedule_of,
    streak::{Counts, Runs},
    user_streak,
};
use crate::domain::{
    AppResult, UserId, auth::preferences::Preferences, gamification::achievements,
};

/// A habit's completions per local date over its whole history, and the latest one.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub counts: Counts,
    pub last_completed_at: Option<DateTime<FixedOffset>>,
}

/// Reads a habit's history in one grouped statement.
pub async fn history(conn: &impl ConnectionTrait, habit: uuid::Uuid) -> AppResult<History> {
    let rows: Vec<(NaiveDate, i64, Option<DateTime<FixedOffset>>)> =
        habit_completions::Entity::find()
            .select_only()
            .column(habit_completions::Column::CompletedDate)
            .column_as(habit_completions::Column::Id.count(), "n")
            .column_as(habit_completions::Column::CompletedAt.max(), "last")
            .filter(habit_completions::Column::HabitId.eq(habit))
            .group_by(habit_completions::Column::CompletedDate)
            .into_tuple()
            .all(conn)
            .await?;
    let last_completed_at = rows.iter().filter_map(|(_, _, at)| *at).max();
    let counts = rows
        .into_iter()
        .map(|(date, n, _)| (date, u32::try_from(n).unwrap_or(u32::MAX)))
        .collect();
    Ok(History {
        counts,
        last_completed_at,
    })
}

/// One change to a habit's completions, with the history on both sides of it.
#[derive(Debug, Clone)]
pub struct Change {
    /// The date of the completion logged or undone.
    pub date: NaiveDate,
    /// The runs before the change.
    pub before: Runs,
    /// The history after it.
    pub after: History,
    /// Whether the user's `habit` streak already stands right for it: the engine counted a
    /// completion forward, or an undone completion's day still holds another.
    pub habit_streak_counted: bool,
}

impl Change {
    /// A completion for `date` logged at `now` on top of `history` (read before it).
    pub fn logged(
        habit: &habits::Model,
        history: &mut History,
        date: NaiveDate,
        now: DateTime<Utc>,
    ) -> Self {
        let before = Runs::compute(schedule_of(habit), habit.target_count, &history.counts);
        let mut after = std::mem::take(history);
        *after.counts.entry(date).or_default() += 1;
        let at: DateTime<FixedOffset> = now.into();
        after.last_completed_at = after.last_completed_at.max(Some(at));
        Self {
            date,
            before,
            after,
            habit_streak_counted: true,
        }
    }

    /// The streak the history after the change makes under the habit's schedule and target.
    pub fn runs_after(&self, habit: &habits::Model) -> Runs {
        Runs::compute(schedule_of(habit), habit.target_count, &self.after.counts)
    }

    /// A completion for `date` undone (and already deleted): the history is read again.
    /// `day_stays`: the user has another completion on `date`, so their habit streak holds.
    pub async fn undone(
        habit: &habits::Model,
        conn: &impl ConnectionTrait,
        date: NaiveDate,
        day_stays: bool,
    ) -> AppResult<Self> {
        let after = history(conn, habit.id).await?;
        let mut counts = after.counts.clone();
        *counts.entry(date).or_default() += 1;
        Ok(Self {
            date,
            before: Runs::compute(schedule_of(habit), habit.target_count, &counts),
            after,
            habit_streak_counted: day_stays,
        })
    }
}

/// Stores the streak the history holds under the habit's current schedule and target.
pub(super) async fn store_runs(
    conn: &impl ConnectionTrait,
    habit: habits::Model,
    runs: &Runs,
    last_completed_at: Option<DateTime<FixedOffset>>,
    now: DateTime<Utc>,
) -> AppResult<habits::Model> {
    let mut row: habits::ActiveModel = habit.into();
    row.current_streak = Set(runs.current());
    row.longest_streak = Set(runs.longest());
    row.last_completed_at = Set(last_completed_at);
    row.updated_at = Set(now.into());
    Ok(row.update(conn).await?)
}

/// Recounts a habit's streak after its schedule or target changed.
pub async fn restreak(
    conn: &impl ConnectionTrait,
    habit: habits::Model,
    now: DateTime<Utc>,
) -> AppResult<habits::Model> {
    let history = history(conn, habit.id).await?;
    let runs = Runs::compute(schedule_of(&habit), habit.target_count, &history.counts);
    store_runs(conn, habit, &runs, history.last_completed_at, now).await
}

/// Settles everything `change` moves.
pub async fn after_change(
    conn: &impl ConnectionTrait,
    user: UserId,
    prefs: &Preferences,
    habit: habits::Model,
    change: Change,
    now: DateTime<Utc>,
) -> AppResult<habits::Model> {
    let runs = change.runs_after(&habit);
    let habit = store_runs(conn, habit, &runs, change.after.last_completed_at, now).await?;
    after_stored(conn, user, prefs, &habit, &runs, &change, now).await?;
    Ok(habit)
}

/// What follows once the habit's streak `runs` are stored: its bonuses, the user's habit
/// streak and achievements, each only when `change` concerns it.
pub async fn after_stored(
    conn: &impl ConnectionTrait,
    user: UserId,
    prefs: &Preferences,
    habit: &habits::Model,
    runs: &Runs,
    change: &Change,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let schedule = schedule_of(habit);
    let from = schedule.bucket(change.date);
    let paid = if bonus::concerns(&change.before, runs, from) {
        bonus::reconcile(conn, user, habit, schedule, runs, change.date, now).await?
    } else {
        false
    };
    let grew = !change.habit_streak_counted && user_streak::recount(conn, user, now).await?;
    if paid || grew {
        achievements::evaluate(conn, user, prefs.local_date(now), now).await?;
    }
    Ok(())
}
