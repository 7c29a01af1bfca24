//! Recurrence rules: an RRULE parsed and validated by the `rrule` crate against the event's
//! start in its own zone, limited to DAILY/WEEKLY/MONTHLY/YEARLY, INTERVAL ≤ 366 and
//! COUNT ≤ 1,000 (refused before anything is expanded), and expanded in the event's local
//! wall-clock frame.
//!
//! Expansion runs on local times labelled UTC ("floating"), so no DST change can shift or
//! duplicate an occurrence; each local start is then placed in the zone, and one that does
//! not exist that day (a DST-forward gap) is skipped, as RFC 5545 §3.3.10 says (rrule 0.14
//! itself would shift it an hour). A series without COUNT is skipped ahead to a whole number
//! of periods before the window, so the cost depends on the window, not on how far back the
//! series began. The stored rule text is this module's own rendering of the RRULE parts:
//! never `RRuleSet::to_string()`, which mangles zoned EXDATEs.
use chrono::{
    DateTime, Datelike, Days, Month, Months, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Utc,
};
use chrono_tz::Tz as Zone;
use rrule::{Frequency, NWeekday, RRule, Tz, Unvalidated};

use crate::domain::{AppError, AppResult};

pub const MAX_COUNT: u32 = 1_000;
pub const MAX_INTERVAL: u16 = 366;
const FIELD: &str = "recurrenceRule";

/// The frame an event's times live in: a zone's wall clock, or plain dates (all-day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    Zoned(Zone),
    Dates,
}

impl Frame {
    /// The wall-clock time of an instant in this frame (an all-day date is 00:00 UTC).
    pub fn local(self, at: DateTime<Utc>) -> NaiveDateTime {
        match self {
            Self::Zoned(zone) => at.with_timezone(&zone).naive_local(),
            Self::Dates => at.naive_utc(),
        }
    }

    /// The instant of a wall-clock time; `None` when the zone skips it (a DST gap). An
    /// ambiguous time (DST back) is its first instant.
    pub fn instant(self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        match self {
            Self::Zoned(zone) => zone
                .from_local_datetime(&local)
                .earliest()
                .map(|at| at.with_timezone(&Utc)),
            Self::Dates => Some(local.and_utc()),
        }
    }
}

fn floating(local: NaiveDateTime) -> DateTime<Tz> {
    Tz::UTC.from_utc_datetime(&local)
}

fn bad(message: impl Into<String>) -> AppError {
    AppError::bad_input(FIELD, message)
}

/// A validated rule. `until` is the inclusive bound as a wall-clock time in the event's
/// frame; the rrule value itself carries no UNTIL.
#[derive(Debug, Clone)]
pub struct Rule {
    rule: RRule<Unvalidated>,
    until: Option<NaiveDateTime>,
}

/// How a series ends, when a rule is rewritten.
#[derive(Debug, Clone, Copy)]
pub enum Ending {
    Never,
    Count(u32),
    Until(NaiveDateTime),
}

/// Parses and validates `text` (an RRULE value, with or without `RRULE:`) for a series
/// starting at the wall-clock `start` in `frame`. Refusals are BAD_USER_INPUT on
/// `recurrenceRule`, with the parser's own message where the parser refused.
pub fn parse(text: &str, start: NaiveDateTime, frame: Frame) -> AppResult<Rule> {
    let text = text.trim();
    let body = text.strip_prefix("RRULE:").unwrap_or(text);
    if body.is_empty() {
        return Err(bad("cannot be blank"));
    }
    let parsed: RRule<Unvalidated> = body
        .parse()
        .map_err(|e: rrule::RRuleError| bad(e.to_string()))?;
    // Refused before anything could expand it.
    match parsed.get_freq() {
        Frequency::Daily | Frequency::Weekly | Frequency::Monthly | Frequency::Yearly => {}
        other => {
            return Err(bad(format!(
                "FREQ={other} is not supported: only DAILY, WEEKLY, MONTHLY or YEARLY"
            )));
        }
    }
    if !(1..=MAX_INTERVAL).contains(&parsed.get_interval()) {
        return Err(bad(format!("INTERVAL must be from 1 to {MAX_INTERVAL}")));
    }
    if let Some(count) = parsed.get_count()
        && !(1..=MAX_COUNT).contains(&count)
    {
        return Err(bad(format!("COUNT must be from 1 to {MAX_COUNT}")));
    }
    if !parsed.get_by_hour().is_empty()
        || !parsed.get_by_minute().is_empty()
        || !parsed.get_by_second().is_empty()
    {
        return Err(bad(
            "BYHOUR, BYMINUTE and BYSECOND are not supported: occurrences keep the start's time of day",
        ));
    }
    let until = parsed.get_until().map(|u| {
        if u.timezone() == Tz::UTC {
            frame.local(u.with_timezone(&Utc))
        } else {
            u.naive_local()
        }
    });
    // The rrule crate's own validation, against the start in the event's own zone.
    let anchored = match frame {
        Frame::Zoned(zone) => frame
            .instant(start)
            .map(|at| at.with_timezone(&Tz::Tz(zone)))
            .ok_or_else(|| AppError::bad_input("start", "that local time does not exist"))?,
        Frame::Dates => floating(start),
    };
    let mut check = parsed.clone();
    if let (Frame::Dates, Some(until)) = (frame, until) {
        check = check.until(floating(until));
    }
    check.validate(anchored).map_err(|e| bad(e.to_string()))?;
    if parsed.get_count().is_some() && until.is_some() {
        return Err(bad("COUNT and UNTIL cannot both end a series"));
    }
    let rule = parts(&parsed, |p| !p.starts_with("UNTIL="))
        .parse()
        .map_err(|e: rrule::RRuleError| AppError::internal(e))?;
    Ok(Rule { rule, until })
}

/// The rule's parts other than COUNT and UNTIL, parsed back.
fn without_ending(rule: &RRule<Unvalidated>) -> AppResult<RRule<Unvalidated>> {
    let text = parts(rule, |p| {
        !p.starts_with("UNTIL=") && !p.starts_with("COUNT=")
    });
    text.parse()
        .map_err(|e: rrule::RRuleError| AppError::internal(e))
}

fn parts(rule: &RRule<Unvalidated>, keep: impl Fn(&str) -> bool) -> String {
    rule.to_string()
        .split(';')
        .filter(|p| keep(p))
        .collect::<Vec<_>>()
        .join(";")
}

/// A stored rule's text without its COUNT or UNTIL (an endless series).
pub fn strip_ending(text: &str) -> String {
    text.split(';')
        .filter(|p| !p.starts_with("UNTIL=") && !p.starts_with("COUNT="))
        .collect::<Vec<_>>()
        .join(";")
}

impl Rule {
    pub fn count(&self) -> Option<u32> {
        self.rule.get_count()
    }

    /// The inclusive end, as a wall-clock time in the event's frame.
    pub fn until(&self) -> Option<NaiveDateTime> {
        self.until
    }

    /// The same rule, ending differently.
    pub fn ending(&self, ending: Ending) -> Self {
        let base = self.rule.clone();
        match ending {
            Ending::Never => Self {
                rule: without_ending(&base).unwrap_or(base),
                until: None,
            },
            Ending::Count(count) => Self {
                rule: without_ending(&base).unwrap_or(base).count(count),
                until: None,
            },
            Ending::Until(until) => Self {
                rule: without_ending(&base).unwrap_or(base),
                until: Some(until),
            },
        }
    }

    /// The RRULE value to store and publish: UNTIL in UTC for a zoned series, as a date
    /// for an all-day one (RFC 5545 §3.3.10).
    pub fn text(&self, frame: Frame) -> String {
        let mut parts: Vec<String> = self
            .rule
            .to_string()
            .split(';')
            .map(str::to_owned)
            .collect();
        if let Some(until) = self.until {
            let value = match frame {
                Frame::Zoned(_) => {
                    let at = frame
                        .instant(until)
                        .or_else(|| frame.instant(until + TimeDelta::hours(1)))
                        .unwrap_or_else(|| until.and_utc());
                    at.format("%Y%m%dT%H%M%SZ").to_string()
                }
                Frame::Dates => until.format("%Y%m%d").to_string(),
            };
            parts.insert(1.min(parts.len()), format!("UNTIL={value}"));
        }
        parts.join(";")
    }

    /// The rule with the parts RFC 5545 takes from DTSTART made explicit, so the series
    /// may start again at another period's first day without changing what it yields.
    fn explicit(&self, start: NaiveDateTime) -> RRule<Unvalidated> {
        let r = &self.rule;
        let implicit = r.get_by_week_no().is_empty()
            && r.get_by_year_day().is_empty()
            && r.get_by_month_day().is_empty()
            && r.get_by_weekday().is_empty();
        let day = i8::try_from(start.day()).unwrap_or(1);
        let rule = r.clone();
        if !implicit {
            return rule;
        }
        match r.get_freq() {
            Frequency::Yearly => {
                let rule = if r.get_by_month().is_empty() {
                    let month = u8::try_from(start.month())
                        .ok()
                        .and_then(|m| Month::try_from(m).ok())
                        .unwrap_or(Month::January);
                    rule.by_month(&[month])
                } else {
                    rule
                };
                rule.by_month_day(vec![day])
            }
            Frequency::Monthly => rule.by_month_day(vec![day]),
            Frequency::Weekly => rule.by_weekday(vec![NWeekday::Every(start.weekday())]),
            _ => rule,
        }
    }

    /// Where expansion may begin for a window starting at `from`: a whole number of
    /// intervals after `start`, at least one period before `from`. A COUNT series is
    /// counted from its start (at most 1,000 occurrences).
    fn skip_to(
        &self,
        start: NaiveDateTime,
        from: NaiveDateTime,
    ) -> (NaiveDateTime, RRule<Unvalidated>) {
        if self.count().is_some() || from <= start {
            return (start, self.rule.clone());
        }
        let n = i64::from(self.rule.get_interval());
        let (s, f) = (start.date(), from.date());
        let days = (f - s).num_days();
        let whole = |periods: i64| (periods / n - 1).max(0) * n;
        let anchor: Option<NaiveDate> = match self.rule.get_freq() {
            Frequency::Daily => s.checked_add_days(Days::new(whole(days).unsigned_abs())),
            Frequency::Weekly => {
                s.checked_add_days(Days::new((whole(days / 7) * 7).unsigned_abs()))
            }
            Frequency::Monthly => {
                let months = i64::from(f.year() - s.year()) * 12 + i64::from(f.month())
                    - i64::from(s.month());
                s.with_day(1).and_then(|first| {
                    first.checked_add_months(Months::new(u32::try_from(whole(months)).ok()?))
                })
            }
            _ => {
                let years = i64::from(f.year() - s.year());
                i32::try_from(whole(years))
                    .ok()
                    .and_then(|k| NaiveDate::from_ymd_opt(s.year() + k, 1, 1))
            }
        };
        match anchor {
            Some(day) if day > s => (day.and_time(start.time()), self.explicit(start)),
            _ => (start, self.rule.clone()),
        }
    }
}

/// Local starts in `[from, to)`, at most `limit` of them, and whether more follow.
#[derive(Debug, Clone, Default)]
pub struct Expansion {
    pub starts: Vec<NaiveDateTime>,
    pub more: bool,
}

/// The wall-clock starts of a series beginning at `start` (or the single `start` without a
/// rule) that fall in `[from, to)`.
pub fn starts_between(
    start: NaiveDateTime,
    rule: Option<&Rule>,
    from: NaiveDateTime,
    to: NaiveDateTime,
    limit: usize,
) -> Expansion {
    let mut found = Expansion::default();
    let Some(rule) = rule else {
        if start >= from && start < to && limit > 0 {
            found.starts.push(start);
        }
        return found;
    };
    let (anchor, mut rrule) = rule.skip_to(start, from);
    if let Some(until) = rule.until {
        rrule = rrule.until(floating(until));
    }
    // An UNTIL before the anchor leaves nothing to expand.
    let Ok(set) = rrule.build(floating(anchor)) else {
        return found;
    };
    for at in &set.limit() {
        let local = at.naive_utc();
        if local >= to {
            break;
        }
        if local < from || local < start {
            continue;
        }
        if found.starts.len() == limit {
            found.more = true;
            break;
        }
        found.starts.push(local);
    }
    found
}

/// How many occurrences a series has before the wall-clock `before` (COUNT series).
pub fn count_before(start: NaiveDateTime, rule: &Rule, before: NaiveDateTime) -> usize {
    let limit = usize::try_from(MAX_COUNT).unwrap_or(1_000);
    starts_between(start, Some(rule), start, before, limit)
        .starts
        .len()
}

/// The last wall-clock start of a series that ends (by COUNT or UNTIL).
pub fn last_start(start: NaiveDateTime, rule: &Rule) -> Option<NaiveDateTime> {
    if let Some(until) = rule.until {
        return Some(until);
    }
    rule.count()?;
    let limit = usize::try_from(MAX_COUNT).unwrap_or(1_000);
    starts_between(start, Some(rule), start, NaiveDateTime::MAX, limit)
        .starts
        .last()
        .copied()
}

#[cfg(test)]
#[path = "recurrence_tests.rs"]
mod tests;
