//! Quest periods on the user's own calendar: `daily`, `weekly` (ISO, from Monday),
//! `monthly` and `one_time`, in their IANA zone from their day-start hour (the local-date
//! rule of streaks). A boundary is computed from the zone at the time, never stored as an
//! offset, so a DST day of 23 or 25 hours still has one start and one end.
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};

use crate::domain::auth::preferences::Preferences;

/// How often a quest starts over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Daily,
    Weekly,
    Monthly,
    OneTime,
}

impl Period {
    pub const ALL: [Self; 4] = [Self::Daily, Self::Weekly, Self::Monthly, Self::OneTime];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Daily => "daily",
            Self::Weekly => "weekly",
            Self::Monthly => "monthly",
            Self::OneTime => "one_time",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }

    /// The first local date of the period holding `date`.
    pub fn start_date(self, date: NaiveDate) -> NaiveDate {
        match self {
            Self::Daily | Self::OneTime => date,
            Self::Weekly => date - Duration::days(i64::from(date.weekday().num_days_from_monday())),
            Self::Monthly => date.with_day(1).unwrap_or(date),
        }
    }

    /// The first local date of the next period, after the one starting on `start`.
    fn next_start(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Self::Daily => start.succ_opt(),
            Self::Weekly => start.checked_add_signed(Duration::days(7)),
            Self::Monthly => start.checked_add_months(chrono::Months::new(1)),
            Self::OneTime => None,
        }
    }

    /// The period holding `now` for this user. A one-time period never ends; it starts at
    /// `since` (the acceptance).
    pub fn window(self, prefs: &Preferences, since: DateTime<Utc>, now: DateTime<Utc>) -> Window {
        if self == Self::OneTime {
            return Window {
                start: since,
                end: None,
                key: "once".to_owned(),
            };
        }
        let first = self.start_date(prefs.local_date(now));
        Window {
            start: day_start(prefs, first),
            end: self.next_start(first).map(|next| day_start(prefs, next)),
            key: first.to_string(),
        }
    }

    /// The key of the period that held `at` (what a claim in that period was keyed by).
    pub fn key_at(self, prefs: &Preferences, at: DateTime<Utc>) -> String {
        match self {
            Self::OneTime => "once".to_owned(),
            _ => self.start_date(prefs.local_date(at)).to_string(),
        }
    }
}

/// One period: `[start, end)`, and the key claims in it are paid under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub start: DateTime<Utc>,
    pub end: Option<DateTime<Utc>>,
    /// The period's first local date (`2026-03-02`), or `once`.
    pub key: String,
}

/// The instant a local date starts for this user: the day-start hour on that date in
/// their zone. An hour a DST jump skips starts at the first instant after the gap.
pub fn day_start(prefs: &Preferences, date: NaiveDate) -> DateTime<Utc> {
    let hour = Duration::hours(i64::from(prefs.day_start_hour));
    let wall = date.and_time(chrono::NaiveTime::MIN) + hour;
    (0..=4)
        .find_map(|step| {
            prefs
                .time_zone
                .from_local_datetime(&(wall + Duration::minutes(30 * step)))
                .earliest()
        })
        .map_or_else(|| wall.and_utc(), |at| at.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{Europe, Pacific};

    fn prefs(zone: chrono_tz::Tz, hour: u32) -> Preferences {
        Preferences {
            time_zone: zone,
            day_start_hour: hour,
        }
    }

    fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn an_auckland_week_runs_monday_to_monday_across_the_dst_change() {
        // NZDT ends Sunday 5 April 2026 (03:00 → 02:00): that week has 169 hours.
        let p = prefs(Pacific::Auckland, 0);
        let window = Period::Weekly.window(&p, utc(2026, 1, 1, 0), utc(2026, 4, 1, 0));
        assert_eq!(window.key, "2026-03-30");
        assert_eq!(window.start, utc(2026, 3, 29, 11)); // Mon 00:00 NZDT (+13)
        assert_eq!(window.end, Some(utc(2026, 4, 5, 12))); // Mon 00:00 NZST (+12)
    }

    #[test]
    fn a_berlin_day_of_23_hours_and_the_day_start_hour() {
        // CET → CEST on Sunday 29 March 2026.
        let p = prefs(Europe::Berlin, 4);
        let window = Period::Daily.window(&p, utc(2026, 1, 1, 0), utc(2026, 3, 28, 12));
        assert_eq!(window.start, utc(2026, 3, 28, 3)); // 04:00 CET
        assert_eq!(window.end, Some(utc(2026, 3, 29, 2))); // 04:00 CEST
        // 03:30 local on the 30th is still the 29th's day.
        let early = Period::Daily.window(&p, utc(2026, 1, 1, 0), utc(2026, 3, 30, 1));
        assert_eq!(early.key, "2026-03-29");
    }

    #[test]
    fn an_hour_skipped_by_dst_starts_after_the_gap_and_months_and_once() {
        let p = prefs(Europe::Berlin, 2);
        let date = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap_or_default();
        assert_eq!(day_start(&p, date), utc(2026, 3, 29, 1)); // 03:00 CEST
        let month = Period::Monthly.window(
            &prefs(chrono_tz::UTC, 0),
            utc(2026, 1, 1, 0),
            utc(2026, 2, 14, 9),
        );
        assert_eq!(
            (month.start, month.end),
            (utc(2026, 2, 1, 0), Some(utc(2026, 3, 1, 0)))
        );
        let once = Period::OneTime.window(&p, utc(2026, 1, 1, 0), utc(2026, 2, 14, 9));
        assert_eq!(
            (once.start, once.end, once.key.as_str()),
            (utc(2026, 1, 1, 0), None, "once")
        );
    }
}
