//! The rules of recurrence, without a database: refusals, DST, gaps, skipping ahead.
use super::*;

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|day| day.and_hms_opt(h, min, 0))
        .unwrap_or_default()
}

fn berlin() -> Frame {
    Frame::Zoned(chrono_tz::Europe::Berlin)
}

fn field(result: AppResult<Rule>) -> Option<String> {
    match result {
        Err(AppError::BadUserInput { field, .. }) => field,
        _ => None,
    }
}

#[test]
fn refused_rules_name_the_field() {
    let start = at(2026, 3, 2, 9, 0);
    for rule in [
        "FREQ=SECONDLY",
        "FREQ=MINUTELY",
        "FREQ=HOURLY",
        "FREQ=DAILY;COUNT=100000",
        "FREQ=DAILY;INTERVAL=0",
        "FREQ=DAILY;INTERVAL=367",
        "FREQ=FORTNIGHTLY",
        "FREQ=DAILY;BYHOUR=9,10",
        "",
        "FREQ=DAILY;COUNT=3;UNTIL=20270101T000000Z",
    ] {
        assert_eq!(
            field(parse(rule, start, berlin())),
            Some(FIELD.into()),
            "{rule}"
        );
    }
    assert!(parse("RRULE:FREQ=WEEKLY;INTERVAL=366;COUNT=1000", start, berlin()).is_ok());
}

#[test]
fn a_weekly_berlin_nine_oclock_stays_nine_oclock_across_both_changes() {
    let start = at(2026, 3, 2, 9, 0);
    let rule = parse("FREQ=WEEKLY", start, berlin()).ok();
    let found = starts_between(start, rule.as_ref(), start, at(2026, 11, 30, 0, 0), 100);
    assert_eq!(found.starts.len(), 39);
    for local in &found.starts {
        assert_eq!(local.format("%H:%M").to_string(), "09:00");
        assert!(berlin().instant(*local).is_some());
    }
}

#[test]
fn a_local_time_the_dst_change_skips_is_no_occurrence() {
    // 29 March 2026: Berlin jumps from 02:00 to 03:00.
    let start = at(2026, 3, 27, 2, 30);
    let rule = parse("FREQ=DAILY;COUNT=4", start, berlin()).ok();
    let found = starts_between(start, rule.as_ref(), start, at(2026, 4, 5, 0, 0), 10);
    let kept: Vec<_> = found
        .starts
        .iter()
        .filter_map(|l| berlin().instant(*l))
        .map(|i| i.to_rfc3339())
        .collect();
    assert_eq!(
        kept,
        [
            "2026-03-27T01:30:00+00:00",
            "2026-03-28T01:30:00+00:00",
            "2026-03-30T00:30:00+00:00"
        ]
    );
}

#[test]
fn skipping_ahead_yields_what_expanding_from_the_start_yields() {
    for (rule, start) in [
        ("FREQ=DAILY", at(1970, 1, 1, 7, 0)),
        ("FREQ=DAILY;INTERVAL=3", at(1971, 5, 9, 7, 0)),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR", at(1972, 3, 3, 18, 30)),
        ("FREQ=WEEKLY", at(1975, 3, 3, 18, 30)),
        ("FREQ=MONTHLY", at(1980, 1, 31, 8, 0)),
        ("FREQ=MONTHLY;BYDAY=-1FR", at(1980, 1, 25, 8, 0)),
        ("FREQ=YEARLY", at(1984, 2, 29, 8, 0)),
        ("FREQ=YEARLY;INTERVAL=2;BYMONTH=6", at(1990, 6, 10, 8, 0)),
    ] {
        let parsed = parse(rule, start, berlin()).ok();
        let (from, to) = (at(2024, 1, 1, 0, 0), at(2026, 1, 1, 0, 0));
        let skipped = starts_between(start, parsed.as_ref(), from, to, 2_000);
        let mut slow = Vec::new();
        if let Some(r) = &parsed {
            let set = r.rule.clone().build(floating(start)).ok();
            for at in set.iter().flat_map(|s| s.into_iter()) {
                let local = at.naive_utc();
                if local >= to {
                    break;
                }
                if local >= from {
                    slow.push(local);
                }
            }
        }
        assert!(!slow.is_empty(), "{rule}");
        assert_eq!(skipped.starts, slow, "{rule}");
    }
}

#[test]
fn until_is_published_in_utc_or_as_a_date() {
    let start = at(2026, 3, 2, 9, 0);
    let rule = parse("FREQ=WEEKLY;UNTIL=20260330T070000Z", start, berlin());
    let rule = rule.ok();
    assert_eq!(
        rule.as_ref().and_then(Rule::until),
        Some(at(2026, 3, 30, 9, 0))
    );
    assert_eq!(
        rule.map(|r| r.text(berlin())).as_deref(),
        Some("FREQ=WEEKLY;UNTIL=20260330T070000Z")
    );
    let day = at(2026, 3, 2, 0, 0);
    let all_day = parse("FREQ=DAILY;UNTIL=20260310", day, Frame::Dates).ok();
    assert_eq!(
        all_day
            .map(|r| r.ending(Ending::Count(3)).text(Frame::Dates))
            .as_deref(),
        Some("FREQ=DAILY;COUNT=3")
    );
}
