//! Focus statistics on the user's own calendar: completed work sessions (breaks are not
//! focus), counted on the local day they were completed (time zone and day-start hour
//! from the user's settings), with every day of the range listed, zeros included.
use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::{focus_pause_state, focus_sessions};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::timer::{Snapshot, Status};
use crate::domain::{
    Actor, AppError, AppResult, auth::preferences, gamification::rewards::FocusMode,
};

/// The longest range one read may cover.
pub const MAX_DAYS: i64 = 366;
/// The range when a client names none: the last seven days, today included.
pub const DEFAULT_DAYS: i64 = 7;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FocusStats {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total_focus_seconds: i64,
    pub sessions_completed: i64,
    pub by_day: Vec<(NaiveDate, i64)>,
}

/// The signed-in user's focus from `from` to `to` (local dates, both included).
pub async fn stats(
    db: &impl ConnectionTrait,
    actor: &Actor,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> AppResult<FocusStats> {
    let user = actor.require_user()?;
    let prefs = preferences::of_actor(db, actor, user).await?;
    let to = to.unwrap_or_else(|| prefs.local_date(now));
    let out_of_range = |field: &str| AppError::bad_input(field, "a date too far from today");
    let from = match from {
        Some(from) => from,
        None => to
            .checked_sub_signed(Duration::days(DEFAULT_DAYS - 1))
            .ok_or_else(|| out_of_range("to"))?,
    };
    if from > to {
        return Err(AppError::bad_input("from", "must not be after `to`"));
    }
    if (to - from).num_days() >= MAX_DAYS {
        return Err(AppError::bad_input(
            "to",
            format!("at most {MAX_DAYS} days at once"),
        ));
    }
    // A generous UTC window around the local dates; the exact cut is by local date below.
    let midnight = |date: NaiveDate| date.and_time(chrono::NaiveTime::MIN).and_utc();
    let window_start = midnight(from)
        .checked_sub_signed(Duration::days(2))
        .ok_or_else(|| out_of_range("from"))?;
    let window_end = midnight(to)
        .checked_add_signed(Duration::days(3))
        .ok_or_else(|| out_of_range("to"))?;
    let rows = focus_sessions::Entity::find()
        .filter(focus_sessions::Column::UserId.eq(user.0))
        .filter(focus_sessions::Column::Status.eq(Status::Completed.as_str()))
        .filter(focus_sessions::Column::Mode.eq(FocusMode::Work.as_str()))
        .filter(focus_sessions::Column::CompletedAt.gte(window_start))
        .filter(focus_sessions::Column::CompletedAt.lt(window_end))
        .find_also_related(focus_pause_state::Entity)
        .all(db)
        .await?;
    let done = rows.into_iter().filter_map(|(session, pause)| {
        let snapshot = Snapshot { session, pause };
        let ended = snapshot.ended_at()?;
        Some((prefs.local_date(ended), snapshot.focused_seconds(ended)))
    });
    Ok(tally(from, to, done))
}

/// Sums `(local date, focused seconds)` of completed sessions over the days of the range.
fn tally(
    from: NaiveDate,
    to: NaiveDate,
    done: impl IntoIterator<Item = (NaiveDate, i32)>,
) -> FocusStats {
    let mut days: BTreeMap<NaiveDate, i64> = from
        .iter_days()
        .take_while(|day| *day <= to)
        .map(|day| (day, 0))
        .collect();
    let mut sessions_completed = 0;
    for (date, seconds) in done {
        if let Some(total) = days.get_mut(&date) {
            *total += i64::from(seconds);
            sessions_completed += 1;
        }
    }
    FocusStats {
        from,
        to,
        total_focus_seconds: days.values().sum(),
        sessions_completed,
        by_day: days.into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, d).unwrap_or_default()
    }

    #[test]
    fn every_day_of_the_range_is_listed_and_only_its_sessions_count() {
        let stats = tally(
            day(1),
            day(3),
            [(day(1), 1500), (day(3), 60), (day(3), 600), (day(4), 900)],
        );
        assert_eq!(stats.by_day, [(day(1), 1500), (day(2), 0), (day(3), 660)]);
        assert_eq!(stats.total_focus_seconds, 2160);
        assert_eq!(stats.sessions_completed, 3);
    }
}
