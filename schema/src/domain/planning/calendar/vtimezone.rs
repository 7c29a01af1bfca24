//! `VTIMEZONE` blocks for the feed, from the zone database: one observance per offset
//! change between two years (found by scanning days, then bisecting to the second), each
//! with its offsets before and after and its abbreviation.
use chrono::{DateTime, NaiveDate, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz as Zone};
use icalendar::parser::{Component, Property};

/// The offset of `zone` at `at`: seconds east, whether it is daylight time, its name.
fn offset_at(zone: Zone, at: DateTime<Utc>) -> (i32, bool, String) {
    let offset = zone.offset_from_utc_datetime(&at.naive_utc());
    (
        offset.fix().local_minus_utc(),
        !offset.dst_offset().is_zero(),
        offset.abbreviation().unwrap_or("").to_owned(),
    )
}

const FIXED_STAMP: &str = "19700101T000000Z";

fn hhmm(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    format!("{sign}{:02}{:02}", minutes / 60, minutes % 60)
}

fn prop(name: &'static str, value: String) -> Property<'static> {
    Property {
        name: name.into(),
        val: value.into(),
        params: vec![],
    }
}

/// One observance: from `before` to `after` at `at` (DTSTART in the local time before).
fn observance(
    zone: Zone,
    at: DateTime<Utc>,
    before: i32,
    after: (i32, bool, String),
) -> Component<'static> {
    let (offset, dst, name) = after;
    let local = at + TimeDelta::seconds(i64::from(before));
    let start = local.format("%Y%m%dT%H%M%S").to_string();
    let mut properties = vec![
        prop("DTSTART", start.clone()),
        prop("TZOFFSETFROM", hhmm(before)),
        prop("TZOFFSETTO", hhmm(offset)),
    ];
    if !name.is_empty() {
        properties.push(prop("TZNAME", name));
    }
    properties.push(prop("DTSTAMP", FIXED_STAMP.to_owned()));
    properties.push(prop("UID", format!("vtimezone-{}-{start}", zone.name())));
    Component {
        name: if dst { "DAYLIGHT" } else { "STANDARD" }.into(),
        properties,
        components: vec![],
    }
}

/// The `VTIMEZONE` of `zone` covering the years `first..=last`. The writer adds a DTSTAMP
/// and UID to every component it lacks them in, so both are given, fixed, to keep the feed
/// (and its ETag) the same from one request to the next.
pub fn vtimezone(zone: Zone, first: i32, last: i32) -> Component<'static> {
    let begin = NaiveDate::from_ymd_opt(first, 1, 1)
        .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
        .unwrap_or_default();
    let end = NaiveDate::from_ymd_opt(last + 1, 1, 1)
        .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
        .unwrap_or(begin);
    let initial = offset_at(zone, begin);
    let mut components = vec![observance(zone, begin, initial.0, initial.clone())];
    let mut previous = initial;
    let mut day = begin;
    while day < end {
        let next = day + TimeDelta::days(1);
        let now = offset_at(zone, next);
        if now.0 != previous.0 || now.1 != previous.1 {
            // Bisect to the first second of the new offset.
            let (mut lo, mut hi) = (day, next);
            while hi - lo > TimeDelta::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if offset_at(zone, mid) == previous {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            components.push(observance(zone, hi, previous.0, now.clone()));
            previous = now;
        }
        day = next;
    }
    Component {
        name: "VTIMEZONE".into(),
        properties: vec![
            prop("TZID", zone.name().to_owned()),
            prop("DTSTAMP", FIXED_STAMP.to_owned()),
            prop("UID", format!("vtimezone-{}", zone.name())),
        ],
        components,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn berlin_2026_changes_at_one_in_the_morning_utc_twice() {
        let block = vtimezone(chrono_tz::Europe::Berlin, 2026, 2026);
        let starts: Vec<_> = block
            .components
            .iter()
            .map(|c| {
                (
                    c.name.as_str().to_owned(),
                    c.properties[0].val.as_str().to_owned(),
                    c.properties[2].val.as_str().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            starts,
            [
                ("STANDARD".into(), "20260101T010000".into(), "+0100".into()),
                ("DAYLIGHT".into(), "20260329T020000".into(), "+0200".into()),
                ("STANDARD".into(), "20261025T030000".into(), "+0100".into()),
            ]
        );
    }
}
