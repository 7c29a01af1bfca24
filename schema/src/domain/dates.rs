//! Dates and instants as clients write them: strict ISO 8601 `YYYY-MM-DD` and RFC 3339,
//! within the years both databases store ([`MIN_YEAR`]–[`MAX_YEAR`]).
use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::{AppError, AppResult};

/// The earliest year a date or instant may name.
pub const MIN_YEAR: i32 = 1900;
/// The latest year a date or instant may name.
pub const MAX_YEAR: i32 = 9999;

/// A calendar date written exactly `YYYY-MM-DD`.
pub fn parse_date(field: &str, text: &str) -> AppResult<NaiveDate> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return Err(AppError::bad_input(field, "a date written YYYY-MM-DD"));
    }
    // Shaped above, so each part is ASCII digits.
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or(0);
    let year = i32::try_from(number(0..4)).unwrap_or(0);
    let date = NaiveDate::from_ymd_opt(year, number(5..7), number(8..10))
        .ok_or_else(|| AppError::bad_input(field, "not a calendar date"))?;
    in_range(field, date)
}

/// An instant in RFC 3339 (`2026-01-31T08:00:00Z`, any offset), read as UTC.
pub fn parse_instant(field: &str, text: &str) -> AppResult<DateTime<Utc>> {
    let refused = || AppError::bad_input(field, "an RFC 3339 date-time, e.g. 2026-01-31T08:00:00Z");
    let four_digit_year = text.len() >= 20
        && text
            .get(..4)
            .is_some_and(|year| year.bytes().all(|b| b.is_ascii_digit()));
    if !four_digit_year {
        return Err(refused());
    }
    let at = DateTime::parse_from_rfc3339(text).map_err(|_| refused())?;
    let utc = at.with_timezone(&Utc);
    in_range(field, at.date_naive())?;
    in_range(field, utc.date_naive())?;
    Ok(utc)
}

/// Refuses dates outside [`MIN_YEAR`]–[`MAX_YEAR`].
pub fn in_range(field: &str, date: NaiveDate) -> AppResult<NaiveDate> {
    if (MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
        Ok(date)
    } else {
        Err(AppError::bad_input(
            field,
            format!("a date in the years {MIN_YEAR} to {MAX_YEAR}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict_and_bounded() {
        assert!(parse_date("d", "2026-01-31").is_ok());
        for bad in [
            "2026-1-1",
            "  2026-01-01",
            "2026-01-01 ",
            "+262142-12-25",
            "-262143-01-01",
            "0000-01-01",
            "1899-12-31",
            "2026-02-30",
            "２０２６-01-01",
        ] {
            assert!(parse_date("d", bad).is_err(), "{bad}");
        }
        assert!(parse_date("d", "9999-12-31").is_ok());
    }

    #[test]
    fn instants_are_rfc3339_and_bounded() {
        assert!(parse_instant("at", "2026-01-31T08:00:00Z").is_ok());
        assert!(parse_instant("at", "2026-01-31T08:00:00.5+02:00").is_ok());
        for bad in [
            "2026-01-31",
            "2026-01-31T08:00:00",
            "+262142-01-01T00:00:00Z",
            "1899-12-31T23:59:59Z",
            "9999-12-31T23:00:00-05:00",
            " 2026-01-31T08:00:00Z",
        ] {
            assert!(parse_instant("at", bad).is_err(), "{bad}");
        }
    }
}
