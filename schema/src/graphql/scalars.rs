//! Scalars beyond async-graphql's own (`UUID`, `DateTime`, `JSON`): a calendar `Date`, and
//! the focus `Version` (microseconds, beyond 32 bits, as a string).
use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

use crate::domain::dates;

/// The description `DateTime` carries in the schema (async-graphql's chrono scalar; every
/// input of it is checked strictly by `input_check` before it is parsed).
pub const DATE_TIME_DESCRIPTION: &str = "An instant in RFC 3339, e.g. `2026-01-31T08:00:00Z` \
(any offset; answers are in UTC). Inputs must name the years 1900 to 9999; anything else is \
BAD_USER_INPUT with `extensions.field`.";

/// A calendar date, strictly `YYYY-MM-DD` (ISO 8601), in the years 1900 to 9999, in the
/// user's own time zone where it names a day. Anything else is BAD_USER_INPUT with
/// `extensions.field`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

/// A calendar date, strictly `YYYY-MM-DD` (ISO 8601), in the years 1900 to 9999. Anything
/// else is BAD_USER_INPUT with `extensions.field`.
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => dates::parse_date("date", text)
                .map(Date)
                .map_err(|err| InputValueError::custom(err.to_string())),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

impl From<NaiveDate> for Date {
    fn from(date: NaiveDate) -> Self {
        Self(date)
    }
}

/// A focus change's version: the change's timestamp in microseconds, as a string of digits
/// (it does not fit GraphQL's 32-bit `Int`). Versions only grow per user; compare them as
/// numbers (a JavaScript `BigInt`, or by length, then text). Inputs take the same string
/// (an `Int` is accepted too, for `since: 0`); anything else is BAD_USER_INPUT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub i64);

/// A focus change's version: microseconds since the epoch as a string of digits, beyond
/// GraphQL's 32-bit `Int`. Compare as numbers; `"0"` means none seen yet.
#[Scalar(name = "Version")]
impl ScalarType for Version {
    fn parse(value: Value) -> InputValueResult<Self> {
        let parsed = match &value {
            Value::String(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
                text.parse::<i64>().ok()
            }
            Value::Number(number) => number.as_i64().filter(|n| *n >= 0),
            _ => None,
        };
        parsed.map(Version).ok_or_else(|| {
            InputValueError::custom("a version is a string of digits, e.g. \"1796162379620470\"")
        })
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}
