//! What a client may write about a habit, parsed once at the edge: each type's `parse`
//! refuses bad input with BAD_USER_INPUT naming the field, so rules downstream hold only
//! valid values.
use chrono::NaiveDate;

use super::schedule::{Frequency, Schedule};
use crate::domain::{AppError, AppResult, text};

/// A habit's name: 1–100 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HabitName(String);

impl HabitName {
    pub fn parse(name: &str) -> AppResult<Self> {
        text::required("name", name, 100).map(Self)
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Completions a period asks for: 1–100.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TargetCount(i32);

impl TargetCount {
    pub fn parse(n: i32) -> AppResult<Self> {
        if (1..=100).contains(&n) {
            Ok(Self(n))
        } else {
            Err(AppError::bad_input(
                "targetCount",
                "from 1 to 100 per period",
            ))
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// A colour as hex: `#rgb` or `#rrggbb`, stored in lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Color(String);

impl Color {
    pub fn parse(color: &str) -> AppResult<Self> {
        let color = color.trim();
        let hex = color.strip_prefix('#').unwrap_or("");
        if matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            Ok(Self(color.to_ascii_lowercase()))
        } else {
            Err(AppError::bad_input(
                "color",
                "a hex colour, #rgb or #rrggbb",
            ))
        }
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Optional description: at most 1,000 characters; blank clears it.
pub fn description(value: Option<String>) -> AppResult<Option<String>> {
    text::optional("description", value, 1_000)
}

/// Optional icon name or emoji: at most 64 characters.
pub fn icon(value: Option<String>) -> AppResult<Option<String>> {
    text::optional("icon", value, 64)
}

/// Optional colour.
pub fn color(value: Option<String>) -> AppResult<Option<String>> {
    value
        .map(|c| Color::parse(&c).map(Color::into_inner))
        .transpose()
}

/// A new habit as a client sends it; entry points parse it after the gates.
#[derive(Debug, Clone)]
pub struct NewHabit {
    pub name: String,
    pub description: Option<String>,
    pub frequency: Frequency,
    pub target_count: i32,
    pub custom_days: Option<Vec<i32>>,
    pub icon: Option<String>,
    pub color: Option<String>,
    pub sort_order: Option<i32>,
}

impl NewHabit {
    pub fn parse(self) -> AppResult<HabitForCreate> {
        Ok(HabitForCreate {
            name: HabitName::parse(&self.name)?,
            description: description(self.description)?,
            schedule: Schedule::parse(self.frequency, self.custom_days.as_deref())?,
            target_count: TargetCount::parse(self.target_count)?,
            icon: icon(self.icon)?,
            color: color(self.color)?,
            sort_order: self.sort_order,
        })
    }
}

/// Changes to a habit as a client sends them: `None` keeps a field, `Some(None)` clears
/// an optional one.
#[derive(Debug, Clone, Default)]
pub struct HabitChanges {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub frequency: Option<Frequency>,
    pub custom_days: Option<Option<Vec<i32>>>,
    pub target_count: Option<i32>,
    pub icon: Option<Option<String>>,
    pub color: Option<Option<String>>,
    pub sort_order: Option<i32>,
}

impl HabitChanges {
    pub fn parse(self) -> AppResult<HabitForUpdate> {
        Ok(HabitForUpdate {
            name: self.name.as_deref().map(HabitName::parse).transpose()?,
            description: self.description.map(description).transpose()?,
            frequency: self.frequency,
            custom_days: self.custom_days,
            target_count: self.target_count.map(TargetCount::parse).transpose()?,
            icon: self.icon.map(icon).transpose()?,
            color: self.color.map(color).transpose()?,
            sort_order: self.sort_order,
        })
    }
}

/// A new habit, parsed.
#[derive(Debug, Clone)]
pub struct HabitForCreate {
    pub name: HabitName,
    pub description: Option<String>,
    pub schedule: Schedule,
    pub target_count: TargetCount,
    pub icon: Option<String>,
    pub color: Option<String>,
    /// Where it goes in the user's order; after the others when absent.
    pub sort_order: Option<i32>,
}

/// Changes to a habit; `None` keeps a field, `Some(None)` clears an optional one. The
/// schedule is checked against the habit's own once merged (`Schedule::parse`).
#[derive(Debug, Clone, Default)]
pub struct HabitForUpdate {
    pub name: Option<HabitName>,
    pub description: Option<Option<String>>,
    pub frequency: Option<Frequency>,
    pub custom_days: Option<Option<Vec<i32>>>,
    pub target_count: Option<TargetCount>,
    pub icon: Option<Option<String>>,
    pub color: Option<Option<String>>,
    pub sort_order: Option<i32>,
}

/// A client's key for one submission: a retry with it pays once. 1–200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(key: &str) -> AppResult<Self> {
        text::required("idempotencyKey", key, 200).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A completion as a client sends it.
#[derive(Debug, Clone, Default)]
pub struct NewCompletion {
    pub date: Option<NaiveDate>,
    pub notes: Option<String>,
    pub idempotency_key: Option<String>,
}

/// Logging a completion, parsed.
#[derive(Debug, Clone)]
pub struct CompletionForCreate {
    /// The local date it counts for; the user's today when absent.
    pub date: Option<NaiveDate>,
    pub notes: Option<String>,
    pub idempotency_key: Option<IdempotencyKey>,
}

impl NewCompletion {
    pub fn parse(self) -> AppResult<CompletionForCreate> {
        Ok(CompletionForCreate {
            date: self.date,
            notes: text::optional("notes", self.notes, 1_000)?,
            idempotency_key: self
                .idempotency_key
                .map(|k| IdempotencyKey::parse(&k))
                .transpose()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(err: AppResult<impl std::fmt::Debug>) -> Option<String> {
        match err {
            Err(AppError::BadUserInput { field, .. }) => field,
            _ => None,
        }
    }

    #[test]
    fn colours_are_hex_and_targets_bounded() {
        assert_eq!(
            Color::parse("#A0c").map(Color::into_inner).ok(),
            Some("#a0c".into())
        );
        assert!(Color::parse("#12345f").is_ok());
        for bad in ["red", "#12", "#gggggg", "123456", "#1234567"] {
            assert_eq!(field(Color::parse(bad)), Some("color".into()), "{bad}");
        }
        assert_eq!(field(TargetCount::parse(0)), Some("targetCount".into()));
        assert!(TargetCount::parse(100).is_ok());
        assert_eq!(field(HabitName::parse(" ")), Some("name".into()));
        assert_eq!(
            field(
                NewCompletion {
                    idempotency_key: Some(String::new()),
                    ..NewCompletion::default()
                }
                .parse()
            ),
            Some("idempotencyKey".into())
        );
    }
}
