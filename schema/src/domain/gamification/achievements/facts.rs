//! The facts about a user that achievements are checked against, read once per
//! evaluation (event counts in one grouped query, progress, streaks, what is earned) and
//! kept current in memory as the evaluation earns more.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{activity_events, user_achievements};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::condition::{self, Metric};
use crate::domain::{
    AppResult, UserId,
    gamification::{EventType, balances, levels, streaks},
};

#[derive(Debug, Clone, Default)]
pub struct Facts {
    events: HashMap<EventType, i64>,
    total_xp: i64,
    /// (current as of today, longest) per streak type.
    streaks: HashMap<streaks::StreakType, (i32, i32)>,
    earned: HashSet<String>,
}

impl Facts {
    pub async fn gather(
        conn: &impl ConnectionTrait,
        user: UserId,
        now: DateTime<Utc>,
    ) -> AppResult<Self> {
        let counts: Vec<(String, i64)> = activity_events::Entity::find()
            .select_only()
            .column(activity_events::Column::EventType)
            .column_as(activity_events::Column::Id.count(), "events")
            .filter(activity_events::Column::UserId.eq(user.0))
            .group_by(activity_events::Column::EventType)
            .into_tuple()
            .all(conn)
            .await?;
        let earned: Vec<String> = user_achievements::Entity::find()
            .select_only()
            .column(user_achievements::Column::AchievementKey)
            .filter(user_achievements::Column::UserId.eq(user.0))
            .into_tuple()
            .all(conn)
            .await?;
        let progress = balances::progress(conn, user).await?;
        let streaks = streaks::of_user(conn, user, now).await?;
        Ok(Self {
            events: counts
                .into_iter()
                .filter_map(|(name, n)| EventType::parse(&name).map(|event| (event, n)))
                .collect(),
            total_xp: progress.total_xp,
            streaks: streaks
                .into_iter()
                .map(|(kind, streak, current)| (kind, (current, streak.longest)))
                .collect(),
            earned: earned.into_iter().collect(),
        })
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
