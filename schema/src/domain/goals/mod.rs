//! Goals: what a user works towards, broken into milestones. A goal is ACTIVE, PAUSED or
//! COMPLETED; its `progress` (0–100) is the share of its milestones done, or set by hand
//! while it has none. Completing a milestone or a goal pays through the reward engine
//! (`milestone_done`, `goal_complete`); uncompleting reverses that, and completing again
//! pays again, so the net is one reward for what stands done. Every goal and milestone
//! is its owner's alone: anyone else gets NOT_FOUND.
pub mod input;
pub mod keeping;
pub mod milestones;
pub mod payments;
pub mod progress;
pub mod reads;
pub mod status;
pub mod store;

use uuid::Uuid;

/// A goal's id, never confused with another table's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GoalId(pub Uuid);

/// A milestone's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MilestoneId(pub Uuid);

/// `goals.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GoalStatus {
    Active,
    Paused,
    Completed,
}

impl GoalStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Paused => "paused",
            Self::Completed => "completed",
        }
    }

    /// The status a stored row holds; a value no client could have written reads as active.
    pub fn stored(status: &str) -> Self {
        match status {
            "paused" => Self::Paused,
            "completed" => Self::Completed,
            _ => Self::Active,
        }
    }
}
