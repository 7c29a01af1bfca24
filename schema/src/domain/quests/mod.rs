//! Quests: the admin-managed catalog (`universal_quests`), the user's standing on the
//! quests they accept (`user_quest_progress`, one row per user and quest), and their own
//! quests (`user_quests`). Progress counts the activity log of the current period on the
//! user's calendar, moving in the transaction of the action that feeds it (the engine calls
//! `follow`) and back with its undo; claims pay through the engine once per (user, quest,
//! period); a period's end resets lazily, once, paying what was completed and left
//! unclaimed. Another user's own quest is NOT_FOUND.
pub mod catalog;
pub mod claims;
pub mod input;
pub mod own;
pub mod own_rules;
pub mod period;
pub mod progress;
pub mod reads;
pub mod store;
pub mod target;
pub mod terms;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::domain::{AppResult, UserId};

pub use period::Period;
pub use target::{Target, TargetType};

/// A catalog quest's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QuestId(pub Uuid);

/// One of a user's own quests' id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OwnQuestId(pub Uuid);

/// A standing's `status`: working on it, done, paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Standing {
    Active,
    Completed,
    Claimed,
}

impl Standing {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Completed => "completed",
            Self::Claimed => "claimed",
        }
    }

    /// What a stored row holds; a value no code writes reads as active.
    pub fn stored(status: &str) -> Self {
        match status {
            "completed" => Self::Completed,
            "claimed" => Self::Claimed,
            _ => Self::Active,
        }
    }
}

/// What the engine calls after an action is recorded or undone, in its transaction:
/// the user's quests start any new period and count their progress again.
pub async fn follow(
    conn: &impl ConnectionTrait,
    user: UserId,
    prefs: &crate::domain::auth::preferences::Preferences,
    now: DateTime<Utc>,
) -> AppResult<()> {
    progress::follow(conn, user, prefs, now).await.map(drop)
}
