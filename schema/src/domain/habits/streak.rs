//! A habit's streak: the periods met in a row, as pure rules over completion counts per
//! local date. A period is met when its bucket holds `target_count` completions; a run
//! continues when the period before a met one (by the schedule) was met too. Stored
//! numbers are as of the last met period; a read finds them broken once a period has
//! ended unmet, as the user-level streaks do.
use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::schedule::Schedule;

/// Completions per local date.
pub type Counts = BTreeMap<NaiveDate, u32>;

/// The met periods of a history, oldest first: each period's start and the length of the
/// run it ends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Runs {
    pub met: Vec<(NaiveDate, i32)>,
}

impl Runs {
    pub fn compute(schedule: Schedule, target: i32, counts: &Counts) -> Self {
        let target = u32::try_from(target.max(1)).unwrap_or(1);
        let mut buckets: BTreeMap<NaiveDate, u32> = BTreeMap::new();
        for (date, n) in counts {
            if schedule.is_scheduled(*date) {
                *buckets.entry(schedule.bucket(*date)).or_default() += n;
            }
        }
        let mut met: Vec<(NaiveDate, i32)> = Vec::new();
        for (start, _) in buckets.into_iter().filter(|(_, n)| *n >= target) {
            let length = match met.last() {
                Some((last, length)) if schedule.previous(start) == Some(*last) => length + 1,
                _ => 1,
            };
            met.push((start, length));
        }
        Self { met }
    }

    /// The run ending at the last met period.
    pub fn current(&self) -> i32 {
        self.met.last().map_or(0, |(_, length)| *length)
    }

    pub fn longest(&self) -> i32 {
        self.met
            .iter()
            .map(|(_, length)| *length)
            .max()
            .unwrap_or(0)
    }
}

/// Completions in the bucket holding `date`.
pub fn in_bucket(schedule: Schedule, counts: &Counts, date: NaiveDate) -> u32 {
    let start = schedule.bucket(date);
    counts
        .range(start..=schedule.bucket_end(start))
        .map(|(_, n)| n)
        .sum()
}

/// How many days before today a read must see to tell a live streak from a broken one
/// (the last closed period may be last week's Monday).
pub const RECENT_DAYS: u64 = 13;

/// A habit as seen on the user's `today`, from its stored streak and its recent counts
/// (at least the last `RECENT_DAYS` days).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Today {
    /// Scheduled today and its period's target not reached yet.
    pub due: bool,
    /// At least one completion dated today.
    pub completed: bool,
    /// Completions in the bucket holding today (the day, or the ISO week).
    pub progress: u32,
    /// The stored current streak while alive, 0 once a period ended unmet.
    pub current_streak: i32,
}

impl Today {
    pub fn of(
        schedule: Schedule,
        target: i32,
        stored_current: i32,
        recent: &Counts,
        today: NaiveDate,
    ) -> Self {
        let progress = in_bucket(schedule, recent, today);
        let reached = i64::from(progress) >= i64::from(target);
        let alive = match schedule.last_closed(today) {
            Some(closed) => Runs::compute(schedule, target, recent)
                .met
                .iter()
                .any(|(start, _)| *start >= closed),
            None => false,
        };
        Self {
            due: schedule.is_scheduled(today) && !reached,
            completed: recent.get(&today).is_some_and(|n| *n > 0),
            progress,
            current_streak: if alive { stored_current } else { 0 },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::auth::preferences::Preferences;
    use crate::domain::habits::schedule::Frequency;
    use chrono::{DateTime, TimeZone, Utc};
    use chrono_tz::Tz;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn counts(dates: &[NaiveDate]) -> Counts {
        dates.iter().fold(Counts::new(), |mut c, d| {
            *c.entry(*d).or_default() += 1;
            c
        })
    }

    fn mon_wed_fri() -> Schedule {
        Schedule::parse(Frequency::Custom, Some(&[1, 3, 5])).unwrap()
    }

    /// The local date of a wall-clock time in `zone`.
    fn local_date(zone: Tz, date: NaiveDate, h: u32, m: u32) -> NaiveDate {
        let at: DateTime<Utc> = zone
            .from_local_datetime(&date.and_hms_opt(h, m, 0).unwrap())
            .earliest()
            .unwrap()
            .with_timezone(&Utc);
        Preferences {
            time_zone: zone,
            day_start_hour: 0,
        }
        .local_date(at)
    }

    #[test]
    fn daily_counts_days_reaching_the_target_and_a_gap_restarts() {
        let history = counts(&[day(3, 1), day(3, 1), day(3, 2), day(3, 2), day(3, 3)]);
        let runs = Runs::compute(Schedule::Daily, 2, &history);
        assert_eq!(
            runs.met,
            vec![(day(3, 1), 1), (day(3, 2), 2)],
            "3 March is short"
        );
        let runs = Runs::compute(
            Schedule::Daily,
            1,
            &counts(&[day(3, 1), day(3, 2), day(3, 4)]),
        );
        assert_eq!((runs.current(), runs.longest()), (1, 2));
    }

    #[test]
    fn weekly_counts_iso_weeks_reaching_the_target() {
        // Weeks of 2, 9 and 16 March; the third holds only two.
        let history = counts(&[
            day(3, 2),
            day(3, 4),
            day(3, 8),
            day(3, 9),
            day(3, 9),
            day(3, 15),
            day(3, 16),
            day(3, 22),
        ]);
        let runs = Runs::compute(Schedule::Weekly, 3, &history);
        assert_eq!(runs.met, vec![(day(3, 2), 1), (day(3, 9), 2)]);
        let seen = |today| Today::of(Schedule::Weekly, 3, 2, &history, today);
        assert_eq!(seen(day(3, 22)).current_streak, 2, "this week still open");
        assert_eq!(seen(day(3, 22)).progress, 2);
        assert_eq!(
            seen(day(3, 23)).current_streak,
            0,
            "the week of 16 March ended short"
        );
    }

    #[test]
    fn custom_streaks_skip_unscheduled_days_and_break_on_a_missed_one() {
        // Mon/Wed/Fri for two weeks from Monday 2 March, plus a Tuesday that counts for none.
        let done = [2, 3, 4, 6, 9, 11, 13].map(|d| day(3, d));
        let history = counts(&done);
        let runs = Runs::compute(mon_wed_fri(), 1, &history);
        assert_eq!(runs.current(), 6);
        let seen = |today| Today::of(mon_wed_fri(), 1, 6, &history, today);
        for weekend in [14, 15] {
            assert_eq!(seen(day(3, weekend)).current_streak, 6);
            assert!(!seen(day(3, weekend)).due);
        }
        assert_eq!(seen(day(3, 16)).current_streak, 6, "Monday is still open");
        // Monday done, Wednesday missed: broken on Thursday.
        let history = counts(&[&done[..], &[day(3, 16)]].concat());
        assert_eq!(Runs::compute(mon_wed_fri(), 1, &history).current(), 7);
        let seen = |today| Today::of(mon_wed_fri(), 1, 7, &history, today);
        assert_eq!(seen(day(3, 18)).current_streak, 7);
        assert!(seen(day(3, 18)).due);
        assert_eq!(seen(day(3, 19)).current_streak, 0);
        let after = counts(&[&done[..], &[day(3, 16), day(3, 20)]].concat());
        assert_eq!(Runs::compute(mon_wed_fri(), 1, &after).current(), 1);
        assert_eq!(Runs::compute(mon_wed_fri(), 1, &after).longest(), 7);
    }

    #[test]
    fn a_dst_week_is_one_period_of_seven_local_days() {
        // Late evenings every day of the weeks US clocks spring forward (Sunday 8 March)
        // and fall back (Sunday 1 November), and Europe's (29 March, 25 October).
        for (zone, monday) in [
            (chrono_tz::America::Los_Angeles, day(3, 2)),
            (chrono_tz::America::Los_Angeles, day(10, 26)),
            (chrono_tz::Europe::Berlin, day(3, 23)),
            (chrono_tz::Europe::Berlin, day(10, 19)),
        ] {
            let dates: Vec<NaiveDate> = (0..7)
                .map(|n| monday + chrono::Days::new(n))
                .flat_map(|d| [local_date(zone, d, 0, 30), local_date(zone, d, 23, 30)])
                .collect();
            let history = counts(&dates);
            assert_eq!(history.len(), 7, "{zone} {monday}: each local day once");
            assert!(history.values().all(|n| *n == 2));
            let weekly = Runs::compute(Schedule::Weekly, 14, &history);
            assert_eq!(weekly.met, vec![(monday, 1)], "{zone} {monday}");
            assert_eq!(Runs::compute(Schedule::Daily, 2, &history).current(), 7);
        }
    }

    #[test]
    fn after_a_move_west_a_date_already_counted_is_not_counted_again() {
        let auckland = chrono_tz::Pacific::Auckland;
        let la = chrono_tz::America::Los_Angeles;
        // 23:30 on 24 November in Auckland; three hours later the user is in Los Angeles,
        // where it is still the 24th (early morning... of the 24th).
        let first = local_date(auckland, day(11, 24), 23, 30);
        let instant = auckland
            .from_local_datetime(&day(11, 24).and_hms_opt(23, 30, 0).unwrap())
            .earliest()
            .unwrap()
            .with_timezone(&Utc)
            + chrono::Duration::hours(3);
        let second = Preferences {
            time_zone: la,
            day_start_hour: 0,
        }
        .local_date(instant);
        assert_eq!((first, second), (day(11, 24), day(11, 24)));
        let history = counts(&[first]);
        assert_eq!(
            in_bucket(Schedule::Daily, &history, second),
            1,
            "already done"
        );
        let history = counts(&[first, local_date(la, day(11, 25), 23, 30)]);
        assert_eq!(Runs::compute(Schedule::Daily, 1, &history).current(), 2);
    }

    #[test]
    fn today_reports_due_done_and_progress() {
        let history = counts(&[day(3, 2)]);
        let t = Today::of(Schedule::Daily, 2, 0, &history, day(3, 2));
        assert_eq!((t.due, t.completed, t.progress), (true, true, 1));
        let t = Today::of(Schedule::Daily, 1, 1, &history, day(3, 2));
        assert_eq!((t.due, t.current_streak), (false, 1));
        assert_eq!(
            Today::of(Schedule::Daily, 1, 1, &history, day(3, 3)).current_streak,
            1
        );
        assert_eq!(
            Today::of(Schedule::Daily, 1, 1, &history, day(3, 4)).current_streak,
            0
        );
    }
}
