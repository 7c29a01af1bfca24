//! The rules of a user's own quest that need no database: its period (repeatable ones
//! daily or weekly, the others once), when a stored row belongs to an earlier period, and
//! the streak of consecutive periods completed (a missed period resets it).
use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::user_quests;

use super::{Period, Standing, period::Window};
use crate::domain::{auth::preferences::Preferences, clock::utc};

/// The period an own quest runs in: `repeat_frequency` when repeatable, else once.
pub fn period_of(quest: &user_quests::Model) -> Period {
    quest
        .repeat_frequency
        .as_deref()
        .and_then(Period::parse)
        .filter(|_| quest.is_repeatable)
        .unwrap_or(Period::OneTime)
}

pub fn window(quest: &user_quests::Model, prefs: &Preferences, now: DateTime<Utc>) -> Window {
    period_of(quest).window(prefs, utc(&quest.accepted_at), now)
}

/// A repeatable quest last touched before this period began, with progress or a
/// completion in it, starts over (the row's `updated_at` marks its period: every write
/// resets a stale row first).
pub fn is_stale(quest: &user_quests::Model, window: &Window) -> bool {
    period_of(quest) != Period::OneTime
        && utc(&quest.updated_at) < window.start
        && (quest.progress > 0 || Standing::stored(&quest.status) != Standing::Active)
}

/// The first local date of the period before the one starting on `start`.
fn previous_start(period: Period, start: NaiveDate) -> Option<NaiveDate> {
    match period {
        Period::Daily => start.pred_opt(),
        Period::Weekly => start.checked_sub_signed(Duration::days(7)),
        _ => None,
    }
}

/// The streak after completing in the period that starts on `start`.
pub fn streak_after(period: Period, last: Option<NaiveDate>, streak: i32, start: NaiveDate) -> i32 {
    match last {
        Some(last) if last == start => streak.max(1),
        Some(last) if Some(last) == previous_start(period, start) => streak + 1,
        _ => 1,
    }
}

/// The streak as seen in the period starting on `start`: broken once a period was missed.
pub fn live_streak(period: Period, last: Option<NaiveDate>, streak: i32, start: NaiveDate) -> i32 {
    match last {
        Some(last) if last == start || Some(last) == previous_start(period, start) => streak,
        _ if period == Period::OneTime => streak,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, day).unwrap_or_default()
    }

    #[test]
    fn consecutive_periods_extend_the_streak_and_a_miss_resets_it() {
        assert_eq!(streak_after(Period::Daily, Some(d(1)), 3, d(2)), 4);
        assert_eq!(streak_after(Period::Daily, Some(d(1)), 3, d(3)), 1);
        assert_eq!(streak_after(Period::Weekly, Some(d(2)), 2, d(9)), 3);
        assert_eq!(live_streak(Period::Daily, Some(d(1)), 3, d(2)), 3);
        assert_eq!(live_streak(Period::Daily, Some(d(1)), 3, d(3)), 0);
    }
}
