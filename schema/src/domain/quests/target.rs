//! What a quest counts: one closed list of target types, each fed by one kind of activity
//! event, with the few extra conditions a type allows in `target_config`. Progress is
//! counted from the activity log over the period, so an undo (which retracts its event)
//! takes its progress back with it.
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use entity::activity_events;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::domain::{
    AppError, AppResult, auth::preferences::Preferences, clock::utc, gamification::EventType,
    gamification::rewards::FocusMode,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetType {
    /// Minutes of completed work sessions.
    FocusMinutes,
    /// Completed work sessions.
    FocusSessions,
    HabitCompletions,
    MilestonesCompleted,
    GoalsCompleted,
    /// XP from every action except quest claims (and the achievements they bring).
    XpEarned,
    /// Local dates with any rewarded action.
    ActiveDays,
}

impl TargetType {
    pub const ALL: [Self; 7] = [
        Self::FocusMinutes,
        Self::FocusSessions,
        Self::HabitCompletions,
        Self::MilestonesCompleted,
        Self::GoalsCompleted,
        Self::XpEarned,
        Self::ActiveDays,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::FocusMinutes => "focus_minutes",
            Self::FocusSessions => "focus_sessions",
            Self::HabitCompletions => "habit_completions",
            Self::MilestonesCompleted => "milestones_completed",
            Self::GoalsCompleted => "goals_completed",
            Self::XpEarned => "xp_earned",
            Self::ActiveDays => "active_days",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// The config keys this type allows.
    const fn allowed(self) -> &'static [&'static str] {
        match self {
            Self::FocusMinutes | Self::FocusSessions => &[MIN_SESSION_MINUTES],
            Self::HabitCompletions => &[HABIT_ID],
            _ => &[],
        }
    }
}

const MIN_SESSION_MINUTES: &str = "minSessionMinutes";
const HABIT_ID: &str = "habitId";

/// A quest's target: its type and the conditions its config adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub kind: TargetType,
    pub min_session_minutes: Option<i64>,
    pub habit: Option<Uuid>,
}

impl Target {
    /// Checks a config a client sends for `kind`: only the keys the type allows, each of
    /// its type; anything else is BAD_USER_INPUT naming the key.
    pub fn parse(kind: TargetType, config: Option<&Value>) -> AppResult<Self> {
        let empty = Map::new();
        let fields = match config {
            None | Some(Value::Null) => &empty,
            Some(Value::Object(fields)) => fields,
            Some(_) => return Err(AppError::bad_input("targetConfig", "an object")),
        };
        let mut target = Self {
            kind,
            min_session_minutes: None,
            habit: None,
        };
        for (key, value) in fields {
            let field = format!("targetConfig.{key}");
            if !kind.allowed().contains(&key.as_str()) {
                return Err(AppError::bad_input(
                    field,
                    format!("`{key}` is not a condition of {}", kind.as_str()),
                ));
            }
            match key.as_str() {
                MIN_SESSION_MINUTES => {
                    let minutes = value.as_i64().filter(|m| (1..=240).contains(m));
                    target.min_session_minutes = Some(minutes.ok_or_else(|| {
                        AppError::bad_input(field, "whole minutes from 1 to 240")
                    })?);
                }
                _ => {
                    let id = value.as_str().and_then(|v| Uuid::parse_str(v).ok());
                    target.habit =
                        Some(id.ok_or_else(|| AppError::bad_input(field, "a habit id"))?);
                }
            }
        }
        Ok(target)
    }

    /// The target a stored catalog row holds (its config was checked on write).
    pub fn stored(kind: &str, config: Option<&Value>) -> Option<Self> {
        Self::parse(TargetType::parse(kind)?, config).ok()
    }

    /// The event types that feed this target (what `count` reads).
    fn feeds(&self, event: EventType) -> bool {
        use EventType::*;
        match self.kind {
            TargetType::FocusMinutes | TargetType::FocusSessions => event == FocusComplete,
            TargetType::HabitCompletions => event == HabitDone,
            TargetType::MilestonesCompleted => event == MilestoneDone,
            TargetType::GoalsCompleted => event == GoalComplete,
            TargetType::XpEarned | TargetType::ActiveDays => {
                !matches!(event, QuestClaim | AchievementEarned)
            }
        }
    }

    /// The progress the events from `from` on make towards this target.
    pub fn count(
        &self,
        events: &[activity_events::Model],
        from: DateTime<Utc>,
        prefs: &Preferences,
    ) -> i64 {
        let work = FocusMode::Work.as_str();
        let mut days = HashSet::new();
        let mut total = 0_i64;
        for event in events.iter().filter(|e| utc(&e.created_at) >= from) {
            let Some(kind) = EventType::parse(&event.event_type).filter(|k| self.feeds(*k)) else {
                continue;
            };
            let meta = |key: &str| event.metadata.as_ref().and_then(|m| m.get(key)).cloned();
            let minutes = meta("minutes").and_then(|m| m.as_i64()).unwrap_or_default();
            let focus_counts = kind != EventType::FocusComplete
                || (event.category.as_deref() == Some(work)
                    && self.min_session_minutes.is_none_or(|min| minutes >= min));
            let habit_counts = self.habit.is_none_or(|habit| {
                meta("habitId").and_then(|v| v.as_str().map(str::to_owned))
                    == Some(habit.to_string())
            });
            if !focus_counts || !habit_counts {
                continue;
            }
            match self.kind {
                TargetType::FocusMinutes => total += minutes,
                TargetType::XpEarned => total += i64::from(event.xp_earned.unwrap_or_default()),
                TargetType::ActiveDays => {
                    days.insert(prefs.local_date(utc(&event.created_at)));
                }
                _ => total += 1,
            }
        }
        if self.kind == TargetType::ActiveDays {
            total = i64::try_from(days.len()).unwrap_or(i64::MAX);
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_config_holds_only_the_conditions_its_type_allows() {
        let focus = Target::parse(
            TargetType::FocusMinutes,
            Some(&json!({"minSessionMinutes": 25})),
        );
        assert_eq!(focus.ok().and_then(|t| t.min_session_minutes), Some(25));
        let wrong = Target::parse(
            TargetType::GoalsCompleted,
            Some(&json!({"minSessionMinutes": 25})),
        );
        assert!(
            matches!(wrong, Err(AppError::BadUserInput { field: Some(f), .. }) if f == "targetConfig.minSessionMinutes")
        );
        let bad_habit = Target::parse(TargetType::HabitCompletions, Some(&json!({"habitId": "x"})));
        assert!(bad_habit.is_err());
        assert!(Target::parse(TargetType::XpEarned, None).is_ok());
    }
}
