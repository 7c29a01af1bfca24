//! What logging a completion reads and writes besides the engine's own statements, in as
//! few round trips as each backend allows: the habit locked with its history (PostgreSQL
//! one statement, SQLite two), and, once the engine has paid, the completion with the
//! habit's new streak (PostgreSQL one statement with a data-modifying `WITH`, SQLite two).
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use entity::{habit_completions, habits};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, FromQueryResult, IntoActiveModel, QueryResult,
    Statement,
};

use super::{
    HabitId,
    settle::{self, History},
    store,
    streak::Runs,
};
use crate::domain::{AppError, AppResult, UserId};

/// The habit locked (`FOR UPDATE OF h`) with its completions per date. A lock that had to
/// wait for another transaction returns the row that transaction committed, but the
/// history in the same statement is still of the statement's snapshot; `fresh` compares
/// the locked row's version with the snapshot's, so a stale history is read again. That
/// holds because every change to a habit's completions also updates its row ([`write`],
/// `settle::after_change`), in the same transaction.
const LOCKED_WITH_HISTORY: &str = r#"SELECT h.*, hist.dates, hist.counts, hist.last,
  hist.seen = h.xmin AS fresh
FROM habits AS h
LEFT JOIN LATERAL (
  SELECT array_agg(g.d) AS dates, array_agg(g.n) AS counts, MAX(g.last) AS last,
         (SELECT s.xmin FROM habits AS s WHERE s.id = h.id) AS seen
  FROM (SELECT completed_date AS d, COUNT(*) AS n, MAX(completed_at) AS last
        FROM habit_completions WHERE habit_id = h.id GROUP BY completed_date) AS g
) AS hist ON true
WHERE h.id = $1 AND h.user_id = $2
FOR UPDATE OF h"#;

/// The caller's habit, locked against concurrent changes to its completions, with its
/// history; another user's habit is NOT_FOUND.
pub async fn locked_with_history(
    conn: &impl ConnectionTrait,
    user: UserId,
    id: HabitId,
) -> AppResult<(habits::Model, History)> {
    if conn.get_database_backend() != DbBackend::Postgres {
        let habit = store::owned(conn, user, id, true).await?;
        let history = settle::history(conn, habit.id).await?;
        return Ok((habit, history));
    }
    let statement = Statement::from_sql_and_values(
        DbBackend::Postgres,
        LOCKED_WITH_HISTORY,
        [id.0.into(), user.0.into()],
    );
    let row = conn
        .query_one_raw(statement)
        .await?
        .ok_or_else(|| AppError::not_found("habit", id.0))?;
    let habit = habits::Model::from_query_result(&row, "")?;
    let history = if row.try_get::<Option<bool>>("", "fresh")? == Some(true) {
        history_of(&row)?
    } else {
        settle::history(conn, habit.id).await?
    };
    Ok((habit, history))
}

/// The history columns of [`LOCKED_WITH_HISTORY`]'s row.
fn history_of(row: &QueryResult) -> AppResult<History> {
    let dates: Option<Vec<NaiveDate>> = row.try_get("", "dates")?;
    let counts: Option<Vec<i64>> = row.try_get("", "counts")?;
    let counts = dates
        .unwrap_or_default()
        .into_iter()
        .zip(counts.unwrap_or_default())
        .map(|(date, n)| (date, u32::try_from(n).unwrap_or(u32::MAX)))
        .collect();
    Ok(History {
        counts,
        last_completed_at: row.try_get("", "last")?,
    })
}

/// The completion and the habit's streak, `$1`…`$6` the completion's columns, `$7`…`$10`
/// the habit's new values.
const LOGGED: &str = r#"WITH logged AS (
  INSERT INTO habit_completions (id, habit_id, user_id, completed_at, completed_date, notes)
  VALUES ($1, $2, $3, $4, $5, $6)
)
UPDATE habits SET current_streak = $7, longest_streak = $8, last_completed_at = $9,
  updated_at = $10
WHERE id = $2
RETURNING *"#;

/// Writes `completion` and stores the streak `runs` make for its habit.
pub async fn write(
    conn: &impl ConnectionTrait,
    completion: &habit_completions::Model,
    habit: habits::Model,
    runs: &Runs,
    last_completed_at: Option<DateTime<FixedOffset>>,
    now: DateTime<Utc>,
) -> AppResult<habits::Model> {
    if conn.get_database_backend() != DbBackend::Postgres {
        let row = completion.clone().into_active_model().reset_all();
        row.insert(conn).await?;
        return settle::store_runs(conn, habit, runs, last_completed_at, now).await;
    }
    let updated_at: DateTime<FixedOffset> = now.into();
    let statement = Statement::from_sql_and_values(
        DbBackend::Postgres,
        LOGGED,
        [
            completion.id.into(),
            completion.habit_id.into(),
            completion.user_id.into(),
            completion.completed_at.into(),
            completion.completed_date.into(),
            completion.notes.clone().into(),
            runs.current().into(),
            runs.longest().into(),
            last_completed_at.into(),
            updated_at.into(),
        ],
    );
    let row = conn
        .query_one_raw(statement)
        .await?
        .ok_or_else(|| AppError::not_found("habit", habit.id))?;
    Ok(habits::Model::from_query_result(&row, "")?)
}
