//! What follows a change to a habit's completions, in the same transaction: its streak
//! recounted from the whole history, its streak bonuses brought in line from the changed
//! period on, the user-level `habit` streak recounted, and achievements checked again when
//! any of that moved.
use chrono::{DateTime, NaiveDate, Utc};
use entity::{habit_completions, habits};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};

use super::{
    bonus, schedule_of,
    streak::{Counts, Runs},
    user_streak,
};
use crate::domain::{AppResult, UserId, gamification::achievements};

/// Completions per local date of one habit, over its whole history.
pub async fn counts(conn: &impl ConnectionTrait, habit: uuid::Uuid) -> AppResult<Counts> {
    let rows: Vec<(NaiveDate, i64)> = habit_completions::Entity::find()
        .select_only()
        .column(habit_completions::Column::CompletedDate)
        .column_as(habit_completions::Column::Id.count(), "n")
        .filter(habit_completions::Column::HabitId.eq(habit))
        .group_by(habit_completions::Column::CompletedDate)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(date, n)| (date, u32::try_from(n).unwrap_or(u32::MAX)))
        .collect())
}

/// Stores the streak the history holds under the habit's current schedule and target.
async fn store_runs(
    conn: &impl ConnectionTrait,
    habit: habits::Model,
    runs: &Runs,
    now: DateTime<Utc>,
) -> AppResult<habits::Model> {
    let last_completed_at: Option<Option<chrono::DateTime<chrono::FixedOffset>>> =
        habit_completions::Entity::find()
            .select_only()
            .column_as(habit_completions::Column::CompletedAt.max(), "last")
            .filter(habit_completions::Column::HabitId.eq(habit.id))
            .into_tuple()
            .one(conn)
            .await?;
    let mut row: habits::ActiveModel = habit.into();
    row.current_streak = Set(runs.current());
    row.longest_streak = Set(runs.longest());
    row.last_completed_at = Set(last_completed_at.flatten());
    row.updated_at = Set(now.into());
    Ok(row.update(conn).await?)
}

/// Recounts a habit's streak after its schedule or target changed.
pub async fn restreak(
    conn: &impl ConnectionTrait,
    habit: habits::Model,
    now: DateTime<Utc>,
) -> AppResult<habits::Model> {
    let runs = Runs::compute(
        schedule_of(&habit),
        habit.target_count,
        &counts(conn, habit.id).await?,
    );
    store_runs(conn, habit, &runs, now).await
}

/// Settles everything a completion logged or undone for `date` moves.
pub async fn after_change(
    conn: &impl ConnectionTrait,
    user: UserId,
    habit: habits::Model,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<habits::Model> {
    let schedule = schedule_of(&habit);
    let runs = Runs::compute(schedule, habit.target_count, &counts(conn, habit.id).await?);
    let habit = store_runs(conn, habit, &runs, now).await?;
    let paid = bonus::reconcile(conn, user, &habit, schedule, &runs, date, now).await?;
    let recounted = user_streak::recount(conn, user, now).await?;
    if paid || recounted {
        achievements::evaluate(conn, user, now).await?;
    }
    Ok(habit)
}
