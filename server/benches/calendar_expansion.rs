//! Calendar expansion cost: a DAILY series anchored in 1970 read over one week, next to the
//! same rule anchored last month, through the domain's expansion function (no server, no
//! database); then the same 1970 series expanded by `rrule` from its DTSTART, as it would
//! be without skipping ahead; then how long each refused rule takes to be refused.
//!
//! ```sh
//! cargo bench -p server --bench calendar_expansion
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use schema::domain::planning::calendar::recurrence::{self, Frame};

const RUNS: usize = 200;

fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
}

/// The median of `RUNS` timings of `f`.
fn median(mut f: impl FnMut() -> usize) -> (Duration, usize) {
    let mut times = Vec::with_capacity(RUNS);
    let mut found = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        found = std::hint::black_box(f());
        times.push(started.elapsed());
    }
    times.sort();
    (times[RUNS / 2], found)
}

fn main() {
    let frame = Frame::Zoned(chrono_tz::Europe::Berlin);
    let (from, to) = (at(2026, 3, 23), at(2026, 3, 30));
    println!("DAILY series, one-week window {from} – {to} (Europe/Berlin), median of {RUNS}:");
    for (label, start) in [
        ("anchored 1970-01-01", at(1970, 1, 1)),
        ("anchored last month", at(2026, 2, 23)),
    ] {
        let rule = recurrence::parse("FREQ=DAILY", start, frame).unwrap();
        let (took, found) = median(|| {
            recurrence::starts_between(start, Some(&rule), from, to, 2_000)
                .starts
                .len()
        });
        println!("  {label:<32} {found} occurrences in {took:>10.2?}");
    }
    let start = at(1970, 1, 1);
    let set: rrule::RRule<rrule::Unvalidated> = "FREQ=DAILY".parse().unwrap();
    let set = set.build(rrule::Tz::UTC.from_utc_datetime(&start)).unwrap();
    let (took, found) = median(|| {
        set.into_iter()
            .map(|d| d.naive_utc())
            .skip_while(|d| *d < from)
            .take_while(|d| *d < to)
            .count()
    });
    println!(
        "  {:<32} {found} occurrences in {took:>10.2?}",
        "1970, rrule from DTSTART"
    );

    println!("refused before any expansion (DTSTART 1970-01-01), median of {RUNS}:");
    for rule in [
        "FREQ=SECONDLY",
        "FREQ=MINUTELY",
        "FREQ=DAILY;COUNT=100000",
        "FREQ=DAILY;INTERVAL=0",
        "FREQ=FORTNIGHTLY",
    ] {
        let (took, _) = median(|| usize::from(recurrence::parse(rule, start, frame).is_err()));
        println!("  {rule:<32} {took:>10.2?}");
    }
}
