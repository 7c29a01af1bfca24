//! A habit's recent completions per date as a column of the statement that reads its
//! page: what `currentStreak`, `dueToday`, `completedToday` and `progressThisPeriod` are
//! measured with, so a list that shows them costs no statement beside the page. The
//! column is a JSON object of date → count (each backend's own aggregate); a habit with no
//! completions since the date has none.
use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{DbBackend, sea_query::Expr};
use uuid::Uuid;

use super::streak::Counts;
use crate::domain::{AppError, AppResult, dates, pagination::PerRow};

/// The counts per date since `since` of the habit on each row of a `habits` page.
pub fn counts_since(backend: DbBackend, since: NaiveDate) -> PerRow {
    // Each backend's JSON aggregate, and how its custom SQL names the one parameter.
    let (object, since_param) = match backend {
        DbBackend::Postgres => ("json_object_agg(\"d\", \"n\")::text", "$1"),
        _ => ("json_group_object(\"d\", \"n\")", "?"),
    };
    PerRow(Expr::cust_with_values(
        format!(
            "(SELECT {object} FROM (SELECT \"completed_date\" AS \"d\", COUNT(*) AS \"n\" \
                 FROM \"habit_completions\" WHERE \"habit_completions\".\"habit_id\" = \
                 \"habits\".\"id\" AND \"habit_completions\".\"completed_date\" >= {since_param} \
                 GROUP BY \"completed_date\") AS \"recent\")"
        ),
        [since],
    ))
}

/// Each habit's counts from the page's column (an empty history for a habit without one).
pub fn parse(habits: &[Uuid], column: &HashMap<Uuid, String>) -> AppResult<HashMap<Uuid, Counts>> {
    habits
        .iter()
        .map(|habit| {
            let counts = match column.get(habit) {
                Some(text) => parse_counts(text)?,
                None => Counts::new(),
            };
            Ok((*habit, counts))
        })
        .collect()
}

/// One habit's `{"YYYY-MM-DD": n, …}`. The keys are read as the dates they are written as
/// (`dates::parse_date`), not through chrono's format parser: a page of 20 habits carries
/// up to 280 of them (`RECENT_DAYS` and today).
fn parse_counts(text: &str) -> AppResult<Counts> {
    let by_text: HashMap<&str, u32> = serde_json::from_str(text).map_err(AppError::internal)?;
    by_text
        .into_iter()
        .map(|(date, count)| {
            let date = dates::parse_date("completed_date", date).map_err(AppError::internal)?;
            Ok((date, count))
        })
        .collect()
}
