//! Habits: what a user means to do every day, every week or on chosen weekdays; the
//! completions they log (for today, or yesterday as grace, never beyond the period's
//! target); the streak of periods met; and what each completion and each streak milestone
//! pays, through the reward engine. Undo takes a completion back with what it paid.
//! Every habit and completion is its owner's alone: anyone else gets NOT_FOUND.
pub mod bonus;
pub mod completions;
pub mod input;
pub mod keeping;
mod logging;
pub mod reads;
pub mod recent;
pub mod schedule;
pub mod settle;
pub mod store;
pub mod streak;
pub mod user_streak;

use chrono::NaiveDate;
use entity::habits;
use uuid::Uuid;

use schedule::Schedule;

/// A habit's id, never confused with another table's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HabitId(pub Uuid);

/// A habit completion's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CompletionId(pub Uuid);

/// The schedule a stored habit follows.
pub fn schedule_of(habit: &habits::Model) -> Schedule {
    Schedule::stored(
        &habit.frequency,
        habit.custom_days.as_ref().map(|days| days.0.as_slice()),
    )
}

/// A habit as of its owner's local today: what "due", "this period" and a live streak
/// are measured against.
#[derive(Debug, Clone)]
pub struct HabitOnDay {
    pub habit: habits::Model,
    pub today: NaiveDate,
}
