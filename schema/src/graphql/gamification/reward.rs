//! `Reward`: what a rewarding mutation earned, the same on every payload that pays
//! (habits, milestones, goals, focus, quests, plans).
use async_graphql::SimpleObject;

use crate::domain::gamification::Earned;

/// What this call earned: its own ledger row (see `viewer.ledger`), the level it reached
/// and the achievements it unlocked (each paid by a ledger row of its own). All zero when
/// it paid nothing; for a repeat (`repeated: true`), what the first call paid.
#[derive(SimpleObject, Debug, Clone, Default)]
pub struct Reward {
    xp: i32,
    coins: i32,
    /// Skill stars, to `skill`.
    stars: i32,
    /// The skill the stars went to.
    skill: Option<String>,
    /// The level reached, when this call raised it.
    level_up: Option<i32>,
    /// Keys of the achievements this call unlocked (see `viewer.achievements`).
    unlocked_achievements: Vec<String>,
}

impl From<Earned> for Reward {
    fn from(earned: Earned) -> Self {
        Self {
            xp: earned.xp,
            coins: earned.coins,
            stars: earned.stars,
            skill: earned.skill,
            level_up: earned.level_up,
            unlocked_achievements: earned.achievements,
        }
    }
}
