//! The facts about a user that achievements are checked against, taken from the engine's
//! snapshot (event counts, streaks, what is earned) and the lifetime XP, and kept current
//! in memory as the evaluation earns more.
use std::collections::{HashMap, HashSet};

use super::condition::{self, Metric};
use crate::domain::gamification::{EventType, levels, snapshot::Snapshot, streaks};

#[derive(Debug, Clone, Default)]
pub struct Facts {
    events: HashMap<EventType, i64>,
    total_xp: i64,
    /// (current as of today, longest) per streak type.
    streaks: HashMap<streaks::StreakType, (i32, i32)>,
    earned: HashSet<String>,
}

impl Facts {
    /// The facts of `snapshot`, with the streaks as of today and the lifetime XP now.
    pub fn new(
        snapshot: &Snapshot,
        streaks: Vec<(streaks::StreakType, streaks::Streak, i32)>,
        total_xp: i64,
    ) -> Self {
        Self {
            events: snapshot.events.clone(),
            total_xp,
            streaks: streaks
                .into_iter()
                .map(|(kind, streak, current)| (kind, (current, streak.longest)))
                .collect(),
            earned: snapshot.earned.clone(),
        }
    }

    pub fn has_earned(&self, key: &str) -> bool {
        self.earned.contains(key)
    }

    /// Counts an achievement just earned, its `achievement_earned` event and the XP it paid.
    pub fn earn(&mut self, key: &str, xp: i32) {
        if self.earned.insert(key.to_owned()) {
            *self.events.entry(EventType::AchievementEarned).or_default() += 1;
            self.total_xp += i64::from(xp);
        }
    }

    /// Counts one more event of `event` (the action being recorded).
    pub fn count_event(&mut self, event: EventType) {
        *self.events.entry(event).or_default() += 1;
    }

    /// Marks an achievement another transaction earned first: never earned again here.
    pub fn skip(&mut self, key: &str) {
        self.earned.insert(key.to_owned());
    }
}

impl condition::Facts for Facts {
    fn events(&self, event: EventType) -> i64 {
        self.events.get(&event).copied().unwrap_or(0)
    }

    fn metric(&self, metric: Metric) -> i64 {
        let streak = |kind| self.streaks.get(&kind).copied().unwrap_or((0, 0));
        match metric {
            Metric::TotalXp => self.total_xp,
            Metric::Level => i64::from(levels::standing(self.total_xp).level),
            Metric::Streak(kind) => i64::from(streak(kind).0),
            Metric::LongestStreak(kind) => i64::from(streak(kind).1),
            Metric::AchievementsEarned => i64::try_from(self.earned.len()).unwrap_or(i64::MAX),
        }
    }
}
