//! What one rewarding call earned, as its payload reports it: the action's own ledger row
//! (XP, coins, stars and their skill), the level it reached, and the achievements it
//! unlocked (each paid by a ledger row of its own).
use entity::points_ledger;

use super::Recorded;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Earned {
    pub xp: i32,
    pub coins: i32,
    pub stars: i32,
    pub skill: Option<String>,
    /// The level reached, when this call raised it.
    pub level_up: Option<i32>,
    /// Keys of the achievements this call unlocked.
    pub achievements: Vec<String>,
}

impl Earned {
    /// What a recorded action paid; for a repeat of a paid key, what the first call paid
    /// (no level or achievement: those went to the first).
    pub fn of(recorded: &Recorded) -> Self {
        Self {
            level_up: recorded.awarded.new_level,
            achievements: recorded.achievements.clone(),
            ..Self::entry(&recorded.awarded.entry)
        }
    }

    /// What a ledger row paid.
    pub fn entry(entry: &points_ledger::Model) -> Self {
        Self {
            xp: entry.xp,
            coins: entry.coins,
            stars: entry.skill_stars.unwrap_or(0),
            skill: entry.skill_key.clone(),
            level_up: None,
            achievements: Vec::new(),
        }
    }

    /// This and `other` together: amounts summed, the higher level reached, both lists of
    /// achievements (one call that paid through several actions).
    pub fn plus(mut self, other: Self) -> Self {
        self.xp += other.xp;
        self.coins += other.coins;
        self.stars += other.stars;
        if self.skill.is_none() {
            self.skill = other.skill;
        }
        self.level_up = self.level_up.max(other.level_up);
        self.achievements.extend(other.achievements);
        self
    }

    /// What several recorded actions paid together.
    pub fn total(recorded: &[Recorded]) -> Self {
        recorded
            .iter()
            .map(Self::of)
            .fold(Self::default(), Self::plus)
    }
}
