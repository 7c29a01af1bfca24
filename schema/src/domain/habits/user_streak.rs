//! The user-level `habit` streak: consecutive local dates holding at least one completion
//! of any habit, counted by the date a completion is for (so a completion logged for
//! yesterday fills yesterday). The engine counts a completion forward
//! (`Action::habit_date`); it is recounted here from the completions after an undo, a
//! deleted habit, or a grace completion for a day before the last one counted. A best set
//! by an earlier run stands even when the completions behind it are gone; a best held by
//! the current run moves with it.
use chrono::{DateTime, NaiveDate, Utc};
use entity::habit_completions;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::domain::{
    AppResult, UserId,
    gamification::streaks::{self, Streak, StreakType},
};

/// The streak `dates` (ascending, distinct) hold, merged with the best stored before.
pub fn recounted(stored: Streak, dates: &[NaiveDate]) -> Streak {
    let derived = dates
        .iter()
        .fold(Streak::NONE, |streak, date| streak.with_activity_on(*date));
    let longest = if stored.longest > stored.current {
        stored.longest.max(derived.longest)
    } else {
        derived.longest
    };
    Streak { longest, ..derived }
}

/// Recounts the user's `habit` streak and stores it when it changed; returns whether it
/// grew (a longer current run or best than stored), the only change that can earn an
/// achievement (an undo only shortens it).
pub async fn recount(
    conn: &impl ConnectionTrait,
    user: UserId,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let dates: Vec<NaiveDate> = habit_completions::Entity::find()
        .select_only()
        .column(habit_completions::Column::CompletedDate)
        .distinct()
        .filter(habit_completions::Column::UserId.eq(user.0))
        .order_by_asc(habit_completions::Column::CompletedDate)
        .into_tuple()
        .all(conn)
        .await?;
    let stored = streaks::stored(conn, user, StreakType::Habit)
        .await?
        .as_ref()
        .map_or(Streak::NONE, Streak::from);
    let streak = recounted(stored, &dates);
    if streak == stored {
        return Ok(false);
    }
    streaks::store(conn, user, StreakType::Habit, streak, now).await?;
    Ok(streak.current > stored.current || streak.longest > stored.longest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    #[test]
    fn a_grace_completion_fills_yesterday_and_an_undo_takes_the_day_back() {
        // The engine counted today (the 3rd) after the 1st: a gap, so 1.
        let engine = Streak {
            current: 1,
            longest: 1,
            last: Some(day(3)),
        };
        let filled = recounted(engine, &[day(1), day(2)]);
        assert_eq!(
            (filled.current, filled.longest, filled.last),
            (2, 2, Some(day(2)))
        );
        let undone = recounted(filled, &[day(1)]);
        assert_eq!(
            (undone.current, undone.longest),
            (1, 1),
            "the best moved with the run"
        );
    }

    #[test]
    fn a_best_from_an_earlier_run_stands() {
        let stored = Streak {
            current: 2,
            longest: 9,
            last: Some(day(20)),
        };
        let after = recounted(stored, &[day(19)]);
        assert_eq!((after.current, after.longest), (1, 9));
        assert_eq!(
            recounted(stored, &[]),
            Streak {
                longest: 9,
                ..Streak::NONE
            }
        );
    }
}
