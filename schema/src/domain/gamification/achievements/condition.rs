//! What unlocks an achievement, parsed from its definition's `trigger_type` and
//! `trigger_config` into a typed condition once, then checked against the user's facts.
//!
//! Configs, as DESIGN writes them:
//! - `event`: `{"event":"focus_complete"}`, the first event of that type;
//! - `threshold`: `{"event":"habit_done","count":10}` (events of a type) or
//!   `{"metric":"total_xp","gte":1000}` (a number about the user);
//! - `compound`: `{"all":[cond, …]}` or `{"any":[cond, …]}`, each cond itself one of these
//!   configs (nesting allowed, to a bounded depth).
//!
//! Parsing is strict (an unknown key is a typo, not a wildcard) so a catalog mistake shows
//! up as a logged malformed definition that never matches, instead of a silent give-away.
use std::fmt;

use serde_json::{Map, Value};

use super::super::{EventType, streaks::StreakType};

/// How deep `all`/`any` may nest.
const MAX_DEPTH: usize = 8;

/// A parsed trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// The first event of this type (`event`).
    First(EventType),
    /// At least `count` events of this type (`threshold`).
    Count { event: EventType, count: i64 },
    /// A metric at or above `gte` (`threshold`).
    Metric { metric: Metric, gte: i64 },
    /// Every condition holds (`compound`).
    All(Vec<Condition>),
    /// At least one condition holds (`compound`).
    Any(Vec<Condition>),
}

/// The numbers a `threshold` may compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    /// Lifetime XP.
    TotalXp,
    Level,
    /// A streak's current length (0 once broken).
    Streak(StreakType),
    /// A streak's best length ever.
    LongestStreak(StreakType),
    /// Achievements earned so far.
    AchievementsEarned,
}

impl Metric {
    pub fn parse(name: &str) -> Option<Self> {
        let streak = |prefix: &str| {
            name.strip_prefix(prefix)
                .and_then(|kind| StreakType::ALL.into_iter().find(|k| k.as_str() == kind))
        };
        match name {
            "total_xp" => Some(Self::TotalXp),
            "level" => Some(Self::Level),
            "achievements_earned" => Some(Self::AchievementsEarned),
            _ => streak("longest_streak_")
                .map(Self::LongestStreak)
                .or_else(|| streak("streak_").map(Self::Streak)),
        }
    }
}

/// What a condition is checked against.
pub trait Facts {
    fn events(&self, event: EventType) -> i64;
    fn metric(&self, metric: Metric) -> i64;
}

/// Why a definition's trigger cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed(String);

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Malformed {}

fn malformed<T>(message: impl Into<String>) -> Result<T, Malformed> {
    Err(Malformed(message.into()))
}

impl Condition {
    /// Parses a definition's trigger; the config's shape must match `trigger_type`.
    pub fn parse(trigger_type: &str, config: &Value) -> Result<Self, Malformed> {
        let condition = Self::from_config(config, MAX_DEPTH)?;
        if condition.trigger_type() != trigger_type {
            return malformed(format!(
                "trigger_type `{trigger_type}` with a `{}` config",
                condition.trigger_type()
            ));
        }
        Ok(condition)
    }

    /// The `trigger_type` this condition's config shape belongs to.
    pub fn trigger_type(&self) -> &'static str {
        match self {
            Self::First(_) => "event",
            Self::Count { .. } | Self::Metric { .. } => "threshold",
            Self::All(_) | Self::Any(_) => "compound",
        }
    }

    pub fn holds(&self, facts: &impl Facts) -> bool {
        match self {
            Self::First(event) => facts.events(*event) >= 1,
            Self::Count { event, count } => facts.events(*event) >= *count,
            Self::Metric { metric, gte } => facts.metric(*metric) >= *gte,
            Self::All(conditions) => conditions.iter().all(|c| c.holds(facts)),
            Self::Any(conditions) => conditions.iter().any(|c| c.holds(facts)),
        }
    }

    fn from_config(config: &Value, depth: usize) -> Result<Self, Malformed> {
        let Some(object) = config.as_object() else {
            return malformed(format!("a condition is an object, not `{config}`"));
        };
        if let Some(list) = object.get("all") {
            only_keys(object, &["all"])?;
            return Ok(Self::All(Self::list(list, depth)?));
        }
        if let Some(list) = object.get("any") {
            only_keys(object, &["any"])?;
            return Ok(Self::Any(Self::list(list, depth)?));
        }
        if let Some(name) = object.get("metric") {
            only_keys(object, &["metric", "gte"])?;
            let metric = name
                .as_str()
                .and_then(Metric::parse)
                .map_or_else(|| malformed(format!("unknown metric {name}")), Ok)?;
            let gte = integer(object, "gte", 0)?;
            return Ok(Self::Metric { metric, gte });
        }
        if let Some(name) = object.get("event") {
            let event = name
                .as_str()
                .and_then(EventType::parse)
                .map_or_else(|| malformed(format!("unknown event {name}")), Ok)?;
            if object.contains_key("count") {
                only_keys(object, &["event", "count"])?;
                let count = integer(object, "count", 1)?;
                return Ok(Self::Count { event, count });
            }
            only_keys(object, &["event"])?;
            return Ok(Self::First(event));
        }
        malformed(format!(
            "a condition names `event`, `metric`, `all` or `any`: `{config}`"
        ))
    }

    fn list(list: &Value, depth: usize) -> Result<Vec<Self>, Malformed> {
        let Some(depth) = depth.checked_sub(1) else {
            return malformed(format!("conditions nest deeper than {MAX_DEPTH}"));
        };
        match list.as_array() {
            Some(items) if !items.is_empty() => items
                .iter()
                .map(|item| Self::from_config(item, depth))
                .collect(),
            _ => malformed(format!("`all`/`any` takes a non-empty list, not `{list}`")),
        }
    }
}

fn only_keys(object: &Map<String, Value>, allowed: &[&str]) -> Result<(), Malformed> {
    match object.keys().find(|key| !allowed.contains(&key.as_str())) {
        Some(key) => malformed(format!("unexpected key `{key}`")),
        None => Ok(()),
    }
}

fn integer(object: &Map<String, Value>, key: &str, min: i64) -> Result<i64, Malformed> {
    match object.get(key).and_then(Value::as_i64) {
        Some(n) if n >= min => Ok(n),
        _ => malformed(format!("`{key}` must be an integer of at least {min}")),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use serde_json::json;

    use super::*;

    #[derive(Default)]
    struct Known {
        events: HashMap<EventType, i64>,
        metrics: HashMap<Metric, i64>,
    }

    impl Facts for Known {
        fn events(&self, event: EventType) -> i64 {
            self.events.get(&event).copied().unwrap_or(0)
        }
        fn metric(&self, metric: Metric) -> i64 {
            self.metrics.get(&metric).copied().unwrap_or(0)
        }
    }

    fn parse(trigger_type: &str, config: Value) -> Result<Condition, Malformed> {
        Condition::parse(trigger_type, &config)
    }

    #[test]
    fn each_trigger_type_parses_its_own_shape() {
        assert_eq!(
            parse("event", json!({"event": "focus_complete"})),
            Ok(Condition::First(EventType::FocusComplete))
        );
        assert_eq!(
            parse("threshold", json!({"event": "habit_done", "count": 10})),
            Ok(Condition::Count {
                event: EventType::HabitDone,
                count: 10
            })
        );
        assert_eq!(
            parse(
                "threshold",
                json!({"metric": "longest_streak_focus", "gte": 7})
            ),
            Ok(Condition::Metric {
                metric: Metric::LongestStreak(StreakType::Focus),
                gte: 7
            })
        );
        assert_eq!(
            parse(
                "compound",
                json!({"all": [{"metric": "level", "gte": 10}, {"any": [{"event": "goal_complete"}, {"metric": "streak_daily", "gte": 3}]}]})
            ),
            Ok(Condition::All(vec![
                Condition::Metric {
                    metric: Metric::Level,
                    gte: 10
                },
                Condition::Any(vec![
                    Condition::First(EventType::GoalComplete),
                    Condition::Metric {
                        metric: Metric::Streak(StreakType::Daily),
                        gte: 3
                    },
                ]),
            ]))
        );
    }

    #[test]
    fn malformed_configs_are_refused_not_guessed() {
        for (trigger_type, config) in [
            ("event", json!({"event": "focus_complete", "count": 3})),
            ("threshold", json!({"event": "focus_complete"})),
            ("threshold", json!({"event": "napping", "count": 3})),
            ("threshold", json!({"event": "habit_done", "count": 0})),
            ("threshold", json!({"event": "habit_done", "count": "ten"})),
            ("threshold", json!({"metric": "total_xp"})),
            ("threshold", json!({"metric": "karma", "gte": 1})),
            (
                "threshold",
                json!({"metric": "total_xp", "gte": 1, "lte": 5}),
            ),
            ("compound", json!({"all": []})),
            ("compound", json!({"any": {"event": "habit_done"}})),
            ("compound", json!({"all": [{"event": "x"}]})),
            ("compound", json!({"all": [{}], "any": [{}]})),
            ("event", json!("focus_complete")),
            ("mystery", json!({"event": "focus_complete"})),
        ] {
            assert!(
                parse(trigger_type, config.clone()).is_err(),
                "{trigger_type} {config}"
            );
        }
        let mut deep = json!({"event": "habit_done"});
        for _ in 0..=MAX_DEPTH {
            deep = json!({ "any": [deep] });
        }
        assert!(parse("compound", deep).is_err(), "nesting is bounded");
    }

    #[test]
    fn conditions_hold_against_the_facts() {
        let mut facts = Known::default();
        facts.events.insert(EventType::FocusComplete, 9);
        facts.metrics.insert(Metric::TotalXp, 1000);
        let ten = Condition::Count {
            event: EventType::FocusComplete,
            count: 10,
        };
        let first = Condition::First(EventType::FocusComplete);
        let xp = Condition::Metric {
            metric: Metric::TotalXp,
            gte: 1000,
        };
        assert!(first.holds(&facts) && xp.holds(&facts) && !ten.holds(&facts));
        assert!(Condition::Any(vec![ten.clone(), xp.clone()]).holds(&facts));
        assert!(!Condition::All(vec![ten.clone(), xp.clone()]).holds(&facts));
        facts.events.insert(EventType::FocusComplete, 10);
        assert!(Condition::All(vec![ten, xp]).holds(&facts));
        assert!(!Condition::First(EventType::HabitDone).holds(&facts));
    }

    #[test]
    fn metric_names_cover_streaks_of_every_type() {
        for kind in StreakType::ALL {
            assert_eq!(
                Metric::parse(&format!("streak_{}", kind.as_str())),
                Some(Metric::Streak(kind))
            );
            assert_eq!(
                Metric::parse(&format!("longest_streak_{}", kind.as_str())),
                Some(Metric::LongestStreak(kind))
            );
        }
        assert_eq!(Metric::parse("streak_"), None);
    }
}
