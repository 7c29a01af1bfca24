//! What a client sends to write quests, parsed: a catalog quest (`NewQuest` /
//! `QuestChanges` → `QuestForWrite`) and an own quest (`NewOwnQuest` / `OwnQuestChanges`).
//! Each refusal is BAD_USER_INPUT naming its field.
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{Period, Target, TargetType};
use crate::domain::{AppError, AppResult, gamification::rewards::Difficulty, text};

const TITLE_MAX: usize = 200;
const DESCRIPTION_MAX: usize = 2_000;
const TARGET_MAX: i32 = 1_000_000;
const REWARD_MAX: i32 = 100_000;

/// A catalog quest as an admin writes it; on update `None` keeps a field.
#[derive(Debug, Clone, Default)]
pub struct QuestChanges {
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub period: Option<Period>,
    pub target_type: Option<TargetType>,
    pub target: Option<i32>,
    pub target_config: Option<Option<Value>>,
    pub xp_reward: Option<i32>,
    pub coin_reward: Option<i32>,
    pub skill_key: Option<Option<String>>,
    pub sort_order: Option<i32>,
}

/// A catalog quest's fields once checked: everything a row holds that a client writes.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestForWrite {
    pub title: String,
    pub description: Option<String>,
    pub period: Period,
    pub target: Target,
    pub target_count: i32,
    pub target_config: Option<Value>,
    pub xp_reward: i32,
    pub coin_reward: i32,
    pub skill_key: Option<String>,
    pub sort_order: i32,
}

fn bounded(field: &str, value: i32, min: i32, max: i32) -> AppResult<i32> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(AppError::bad_input(field, format!("from {min} to {max}")))
    }
}

impl QuestChanges {
    /// Applies these changes over `base` (a new quest's defaults, or the stored row) and
    /// checks the result as a whole: a config must suit the target type it ends up with.
    pub fn apply(self, base: QuestForWrite) -> AppResult<QuestForWrite> {
        let kind = self.target_type.unwrap_or(base.target.kind);
        let config = self.target_config.unwrap_or(base.target_config);
        let config = config.filter(|c| !c.is_null());
        Ok(QuestForWrite {
            title: match self.title {
                Some(title) => text::required("title", &title, TITLE_MAX)?,
                None => base.title,
            },
            description: match self.description {
                Some(d) => text::optional("description", d, DESCRIPTION_MAX)?,
                None => base.description,
            },
            period: self.period.unwrap_or(base.period),
            target: Target::parse(kind, config.as_ref())?,
            target_count: bounded(
                "target",
                self.target.unwrap_or(base.target_count),
                1,
                TARGET_MAX,
            )?,
            target_config: config,
            xp_reward: bounded(
                "xpReward",
                self.xp_reward.unwrap_or(base.xp_reward),
                0,
                REWARD_MAX,
            )?,
            coin_reward: bounded(
                "coinReward",
                self.coin_reward.unwrap_or(base.coin_reward),
                0,
                REWARD_MAX,
            )?,
            skill_key: self
                .skill_key
                .unwrap_or(base.skill_key)
                .filter(|k| !k.trim().is_empty()),
            sort_order: self.sort_order.unwrap_or(base.sort_order),
        })
    }

    /// A new quest: title, period and target type are required.
    pub fn for_create(self) -> AppResult<QuestForWrite> {
        if self.title.is_none() {
            return Err(AppError::bad_input("title", "cannot be blank"));
        }
        let kind = self
            .target_type
            .ok_or_else(|| AppError::bad_input("targetType", "required"))?;
        let base = QuestForWrite {
            title: String::new(),
            description: None,
            period: self.period.unwrap_or(Period::Daily),
            target: Target {
                kind,
                min_session_minutes: None,
                habit: None,
            },
            target_count: 1,
            target_config: None,
            xp_reward: 0,
            coin_reward: 0,
            skill_key: None,
            sort_order: 0,
        };
        self.apply(base)
    }
}

/// A user's own quest as they write it; on update `None` keeps a field.
#[derive(Debug, Clone, Default)]
pub struct OwnQuestChanges {
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub category: Option<Option<String>>,
    pub difficulty: Option<Difficulty>,
    pub target: Option<i32>,
    /// `Some(None)`: not repeatable; `Some(Some(Daily | Weekly))`: resets each period.
    pub repeat: Option<Option<Period>>,
    pub expires_at: Option<Option<DateTime<Utc>>>,
}

/// An own quest's fields once checked.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnQuestForWrite {
    pub title: String,
    pub description: Option<String>,
    pub category: Option<String>,
    pub difficulty: Difficulty,
    pub target: i32,
    pub repeat: Option<Period>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl OwnQuestChanges {
    pub fn apply(self, base: OwnQuestForWrite) -> AppResult<OwnQuestForWrite> {
        let repeat = self.repeat.unwrap_or(base.repeat);
        if repeat.is_some_and(|p| !matches!(p, Period::Daily | Period::Weekly)) {
            return Err(AppError::bad_input(
                "repeat",
                "an own quest repeats daily or weekly",
            ));
        }
        Ok(OwnQuestForWrite {
            title: match self.title {
                Some(title) => text::required("title", &title, TITLE_MAX)?,
                None => base.title,
            },
            description: match self.description {
                Some(d) => text::optional("description", d, DESCRIPTION_MAX)?,
                None => base.description,
            },
            category: match self.category {
                Some(c) => text::optional("category", c, 100)?,
                None => base.category,
            },
            difficulty: self.difficulty.unwrap_or(base.difficulty),
            target: bounded("target", self.target.unwrap_or(base.target), 1, TARGET_MAX)?,
            repeat,
            expires_at: self.expires_at.unwrap_or(base.expires_at),
        })
    }

    pub fn for_create(self) -> AppResult<OwnQuestForWrite> {
        let title = self.title.clone().unwrap_or_default();
        let base = OwnQuestForWrite {
            title: text::required("title", &title, TITLE_MAX)?,
            description: None,
            category: None,
            difficulty: Difficulty::Normal,
            target: 1,
            repeat: None,
            expires_at: None,
        };
        self.apply(base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_catalog_quest_is_checked_as_a_whole() {
        let new = QuestChanges {
            title: Some(" Deep work ".into()),
            target_type: Some(TargetType::FocusMinutes),
            target: Some(50),
            target_config: Some(Some(json!({"minSessionMinutes": 25}))),
            ..QuestChanges::default()
        };
        let quest = new.for_create().ok();
        assert_eq!(quest.as_ref().map(|q| q.title.as_str()), Some("Deep work"));
        let moved = QuestChanges {
            target_type: Some(TargetType::GoalsCompleted),
            ..QuestChanges::default()
        };
        let refused = quest.map(|q| moved.apply(q));
        assert!(
            matches!(refused, Some(Err(AppError::BadUserInput { field: Some(f), .. })) if f.starts_with("targetConfig"))
        );
        let bad = QuestChanges {
            title: Some("x".into()),
            target_type: Some(TargetType::XpEarned),
            target: Some(0),
            ..QuestChanges::default()
        };
        assert!(
            matches!(bad.for_create(), Err(AppError::BadUserInput { field: Some(f), .. }) if f == "target")
        );
    }

    #[test]
    fn own_quests_repeat_daily_or_weekly_only() {
        let monthly = OwnQuestChanges {
            title: Some("Tidy".into()),
            repeat: Some(Some(Period::Monthly)),
            ..OwnQuestChanges::default()
        };
        assert!(monthly.for_create().is_err());
        let weekly = OwnQuestChanges {
            title: Some("Tidy".into()),
            repeat: Some(Some(Period::Weekly)),
            ..OwnQuestChanges::default()
        };
        assert_eq!(
            weekly.for_create().ok().and_then(|q| q.repeat),
            Some(Period::Weekly)
        );
    }
}
