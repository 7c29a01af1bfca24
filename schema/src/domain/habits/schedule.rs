//! When a habit is due, as pure rules over local dates (DST never enters: a local date is
//! a day whatever its length). A target counts over a *bucket*: the date itself (DAILY,
//! CUSTOM) or its ISO week (WEEKLY). A bucket that is scheduled is a *period* a streak
//! counts: every day, every week, or each weekday in `custom_days` (0 = Sunday); the
//! other days of a CUSTOM habit are no period at all, so they never break a streak.
use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::domain::{AppError, AppResult};

/// `habits.frequency`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Frequency {
    Daily,
    Weekly,
    Custom,
}

impl Frequency {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Daily => "daily",
            Self::Weekly => "weekly",
            Self::Custom => "custom",
        }
    }
}

/// A set of weekdays, 0 = Sunday … 6 = Saturday; never empty once parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Weekdays(u8);

impl Weekdays {
    /// The days a client sent (`customDays`): each 0–6, at least one; repeats collapse.
    pub fn parse(days: &[i32]) -> AppResult<Self> {
        let mut bits = 0u8;
        for day in days {
            match u8::try_from(*day) {
                Ok(day) if day < 7 => bits |= 1 << day,
                _ => {
                    return Err(AppError::bad_input(
                        "customDays",
                        "days are 0 (Sunday) to 6 (Saturday)",
                    ));
                }
            }
        }
        if bits == 0 {
            return Err(AppError::bad_input(
                "customDays",
                "a CUSTOM habit needs at least one day",
            ));
        }
        Ok(Self(bits))
    }

    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.num_days_from_sunday()) != 0
    }

    /// The days in order, as stored in `habits.custom_days`.
    pub fn to_vec(self) -> Vec<i32> {
        (0..7).filter(|d| self.0 & (1 << d) != 0).collect()
    }
}

/// A habit's schedule: its frequency with the days a CUSTOM one falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Schedule {
    Daily,
    Weekly,
    Custom(Weekdays),
}

impl Schedule {
    /// A schedule from a client: CUSTOM needs its days, the others take none.
    pub fn parse(frequency: Frequency, custom_days: Option<&[i32]>) -> AppResult<Self> {
        match (frequency, custom_days) {
            (Frequency::Custom, Some(days)) => Ok(Self::Custom(Weekdays::parse(days)?)),
            (Frequency::Custom, None) => Err(AppError::bad_input(
                "customDays",
                "a CUSTOM habit needs its days",
            )),
            (_, Some(_)) => Err(AppError::bad_input(
                "customDays",
                "only a CUSTOM habit has days",
            )),
            (Frequency::Daily, None) => Ok(Self::Daily),
            (Frequency::Weekly, None) => Ok(Self::Weekly),
        }
    }

    /// The schedule a stored row holds; a row no client could have written reads as daily.
    pub fn stored(frequency: &str, custom_days: Option<&[i32]>) -> Self {
        match frequency {
            "weekly" => Self::Weekly,
            "custom" => custom_days
                .and_then(|days| Weekdays::parse(days).ok())
                .map_or(Self::Daily, Self::Custom),
            _ => Self::Daily,
        }
    }

    pub fn frequency(self) -> Frequency {
        match self {
            Self::Daily => Frequency::Daily,
            Self::Weekly => Frequency::Weekly,
            Self::Custom(_) => Frequency::Custom,
        }
    }

    pub fn custom_days(self) -> Option<Weekdays> {
        match self {
            Self::Custom(days) => Some(days),
            _ => None,
        }
    }

    /// A short name of the schedule, e.g. `c135` for Monday, Wednesday and Friday.
    pub fn tag(self) -> String {
        match self {
            Self::Daily => "d".into(),
            Self::Weekly => "w".into(),
            Self::Custom(days) => days
                .to_vec()
                .iter()
                .fold("c".into(), |tag, d| format!("{tag}{d}")),
        }
    }

    /// The first date of the bucket `date` counts in.
    pub fn bucket(self, date: NaiveDate) -> NaiveDate {
        match self {
            Self::Weekly => {
                let into_week = u64::from(date.weekday().num_days_from_monday());
                date.checked_sub_days(Days::new(into_week)).unwrap_or(date)
            }
            Self::Daily | Self::Custom(_) => date,
        }
    }

    /// The last date of the bucket starting at `start`.
    pub fn bucket_end(self, start: NaiveDate) -> NaiveDate {
        match self {
            Self::Weekly => start.checked_add_days(Days::new(6)).unwrap_or(start),
            Self::Daily | Self::Custom(_) => start,
        }
    }

    /// Whether the bucket holding `date` is a period streaks count.
    pub fn is_scheduled(self, date: NaiveDate) -> bool {
        match self {
            Self::Custom(days) => days.contains(date.weekday()),
            Self::Daily | Self::Weekly => true,
        }
    }

    /// The start of the last period before the bucket starting at `start`.
    pub fn previous(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Self::Daily => start.pred_opt(),
            Self::Weekly => start.checked_sub_days(Days::new(7)),
            Self::Custom(days) => (1..=7)
                .filter_map(|back| start.checked_sub_days(Days::new(back)))
                .find(|d| days.contains(d.weekday())),
        }
    }

    /// The start of the last period that ended before today's bucket began: while it (or
    /// a later one) is met, the streak is alive.
    pub fn last_closed(self, today: NaiveDate) -> Option<NaiveDate> {
        self.previous(self.bucket(today))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default()
    }

    fn mon_wed_fri() -> Schedule {
        Schedule::parse(Frequency::Custom, Some(&[5, 1, 3, 3])).unwrap_or(Schedule::Daily)
    }

    #[test]
    fn custom_days_are_validated_and_kept_in_order() {
        assert_eq!(
            mon_wed_fri().custom_days().map(Weekdays::to_vec),
            Some(vec![1, 3, 5])
        );
        assert_eq!(mon_wed_fri().tag(), "c135");
        for bad in [&[7][..], &[-1], &[]] {
            assert!(matches!(
                Schedule::parse(Frequency::Custom, Some(bad)),
                Err(AppError::BadUserInput { field: Some(f), .. }) if f == "customDays"
            ));
        }
        assert!(Schedule::parse(Frequency::Custom, None).is_err());
        assert!(Schedule::parse(Frequency::Daily, Some(&[1])).is_err());
        assert_eq!(Schedule::stored("custom", None), Schedule::Daily);
    }

    #[test]
    fn a_weekly_bucket_is_the_iso_week_from_monday() {
        // 2026-03-08 is the Sunday US clocks spring forward: still the week of Monday 2 March.
        assert_eq!(Schedule::Weekly.bucket(day(3, 8)), day(3, 2));
        assert_eq!(Schedule::Weekly.bucket(day(3, 9)), day(3, 9));
        assert_eq!(Schedule::Weekly.bucket_end(day(3, 2)), day(3, 8));
        assert_eq!(Schedule::Weekly.last_closed(day(3, 8)), Some(day(2, 23)));
        // An ISO week across a year boundary.
        assert_eq!(
            Schedule::Weekly.bucket(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default()),
            NaiveDate::from_ymd_opt(2026, 12, 28).unwrap_or_default()
        );
    }

    #[test]
    fn custom_periods_skip_unscheduled_days() {
        let s = mon_wed_fri();
        // 2026-03-02 is a Monday.
        assert!(s.is_scheduled(day(3, 2)) && !s.is_scheduled(day(3, 3)));
        assert_eq!(s.previous(day(3, 4)), Some(day(3, 2)));
        assert_eq!(s.previous(day(3, 2)), Some(day(2, 27)), "Friday before");
        assert_eq!(
            s.last_closed(day(3, 3)),
            Some(day(3, 2)),
            "Tuesday looks back to Monday"
        );
        assert_eq!(Schedule::Daily.last_closed(day(3, 3)), Some(day(3, 2)));
    }
}
