//! What a client may write about goals and milestones, parsed once at the edge; a refusal
//! is BAD_USER_INPUT naming the field.
use chrono::NaiveDate;

use crate::domain::{AppError, AppResult, text};

/// A goal's or a milestone's title: 1–200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title(String);

impl Title {
    pub fn parse(title: &str) -> AppResult<Self> {
        text::required("title", title, 200).map(Self)
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// How much a goal matters: 0 (none) to 10.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Priority(i32);

impl Priority {
    pub fn parse(n: i32) -> AppResult<Self> {
        if (0..=10).contains(&n) {
            Ok(Self(n))
        } else {
            Err(AppError::bad_input("priority", "from 0 to 10"))
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// Progress set by hand: 0–100 percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress(i32);

impl Progress {
    pub fn parse(n: i32) -> AppResult<Self> {
        if (0..=100).contains(&n) {
            Ok(Self(n))
        } else {
            Err(AppError::bad_input(
                "progress",
                "a percentage from 0 to 100",
            ))
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// Optional description: at most 2,000 characters; blank clears it.
pub fn description(value: Option<String>) -> AppResult<Option<String>> {
    text::optional("description", value, 2_000)
}

/// Optional category, e.g. `health`: at most 50 characters.
pub fn category(value: Option<String>) -> AppResult<Option<String>> {
    text::optional("category", value, 50)
}

/// A new goal as a client sends it; entry points parse it after the gates.
#[derive(Debug, Clone)]
pub struct NewGoal {
    pub title: String,
    pub description: Option<String>,
    pub category: Option<String>,
    pub target_date: Option<NaiveDate>,
    pub priority: i32,
    pub sort_order: Option<i32>,
    pub progress: Option<i32>,
}

impl NewGoal {
    pub fn parse(self) -> AppResult<GoalForCreate> {
        Ok(GoalForCreate {
            title: Title::parse(&self.title)?,
            description: description(self.description)?,
            category: category(self.category)?,
            target_date: self.target_date,
            priority: Priority::parse(self.priority)?,
            sort_order: self.sort_order,
            progress: self.progress.map(Progress::parse).transpose()?,
        })
    }
}

/// Changes to a goal as a client sends them: `None` keeps a field, `Some(None)` clears an
/// optional one.
#[derive(Debug, Clone, Default)]
pub struct GoalChanges {
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub category: Option<Option<String>>,
    pub target_date: Option<Option<NaiveDate>>,
    pub priority: Option<i32>,
    pub sort_order: Option<i32>,
    pub progress: Option<i32>,
}

impl GoalChanges {
    pub fn parse(self) -> AppResult<GoalForUpdate> {
        Ok(GoalForUpdate {
            title: self.title.as_deref().map(Title::parse).transpose()?,
            description: self.description.map(description).transpose()?,
            category: self.category.map(category).transpose()?,
            target_date: self.target_date,
            priority: self.priority.map(Priority::parse).transpose()?,
            sort_order: self.sort_order,
            progress: self.progress.map(Progress::parse).transpose()?,
        })
    }
}

/// A new milestone, or changes to one, as a client sends them (`None` keeps a field on
/// update; a new milestone needs its title).
#[derive(Debug, Clone, Default)]
pub struct MilestoneChanges {
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub sort_order: Option<i32>,
}

impl MilestoneChanges {
    pub fn parse_new(self) -> AppResult<MilestoneForCreate> {
        Ok(MilestoneForCreate {
            title: Title::parse(self.title.as_deref().unwrap_or_default())?,
            description: description(self.description.flatten())?,
            sort_order: self.sort_order,
        })
    }

    pub fn parse_changes(self) -> AppResult<MilestoneForUpdate> {
        Ok(MilestoneForUpdate {
            title: self.title.as_deref().map(Title::parse).transpose()?,
            description: self.description.map(description).transpose()?,
            sort_order: self.sort_order,
        })
    }
}

/// A new goal, parsed.
#[derive(Debug, Clone)]
pub struct GoalForCreate {
    pub title: Title,
    pub description: Option<String>,
    pub category: Option<String>,
    pub target_date: Option<NaiveDate>,
    pub priority: Priority,
    pub sort_order: Option<i32>,
    pub progress: Option<Progress>,
}

/// Changes to a goal; `None` keeps a field, `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default)]
pub struct GoalForUpdate {
    pub title: Option<Title>,
    pub description: Option<Option<String>>,
    pub category: Option<Option<String>>,
    pub target_date: Option<Option<NaiveDate>>,
    pub priority: Option<Priority>,
    pub sort_order: Option<i32>,
    /// Only while the goal has no milestones.
    pub progress: Option<Progress>,
}

/// A new milestone, parsed.
#[derive(Debug, Clone)]
pub struct MilestoneForCreate {
    pub title: Title,
    pub description: Option<String>,
    pub sort_order: Option<i32>,
}

/// Changes to a milestone.
#[derive(Debug, Clone, Default)]
pub struct MilestoneForUpdate {
    pub title: Option<Title>,
    pub description: Option<Option<String>>,
    pub sort_order: Option<i32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_priorities_and_progress_are_bounded() {
        assert!(Title::parse("  ").is_err());
        assert_eq!(
            Title::parse(" Run a marathon ").unwrap().into_inner(),
            "Run a marathon"
        );
        assert!(Priority::parse(11).is_err() && Priority::parse(-1).is_err());
        assert!(Progress::parse(101).is_err());
        assert!(matches!(
            Progress::parse(-1),
            Err(AppError::BadUserInput { field: Some(f), .. }) if f == "progress"
        ));
    }
}
