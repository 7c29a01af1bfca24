//! Default rewards, in one table: what each action pays unless a quest or achievement
//! names its own.
use super::ledger::Award;

/// Stars of the `focus` skill per 25 focused minutes.
const FOCUS_MINUTES_PER_STAR: i32 = 25;

/// What completing a focus session pays, by mode and the minutes actually focused.
pub fn focus(mode: FocusMode, focused_minutes: i32) -> Award {
    let minutes = focused_minutes.max(0);
    match mode {
        FocusMode::Work => Award {
            xp: minutes.max(5),
            coins: (minutes / 5).max(2),
            skill: Some(("focus".into(), minutes / FOCUS_MINUTES_PER_STAR)),
            ..Award::default()
        },
        FocusMode::ShortBreak => Award {
            xp: 2,
            ..Award::default()
        },
        FocusMode::LongBreak => Award {
            xp: 3,
            coins: 1,
            ..Award::default()
        },
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FocusMode {
    Work,
    ShortBreak,
    LongBreak,
}

/// One habit completion within the period's target.
pub fn habit_completion() -> Award {
    Award {
        xp: 5,
        coins: 1,
        skill: Some(("discipline".into(), 1)),
        ..Award::default()
    }
}

/// The habit streak lengths (in periods) that pay a bonus: 2 × the length in XP.
pub const HABIT_STREAK_MILESTONES: [i32; 6] = [7, 14, 30, 60, 100, 365];

pub fn habit_streak_bonus(length: i32) -> Option<Award> {
    HABIT_STREAK_MILESTONES.contains(&length).then(|| Award {
        xp: 2 * length,
        ..Award::default()
    })
}

pub fn milestone_done() -> Award {
    Award {
        xp: 10,
        ..Award::default()
    }
}

pub fn goal_complete() -> Award {
    Award {
        xp: 50,
        coins: 10,
        ..Award::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn focus_pays_by_minutes_with_floors() {
        let short = focus(FocusMode::Work, 3);
        assert_eq!(
            (short.xp, short.coins, short.skill.map(|s| s.1)),
            (5, 2, Some(0))
        );
        let long = focus(FocusMode::Work, 50);
        assert_eq!(
            (long.xp, long.coins, long.skill.map(|s| s.1)),
            (50, 10, Some(2))
        );
        assert_eq!(focus(FocusMode::LongBreak, 15).coins, 1);
        assert_eq!(habit_streak_bonus(7).map(|a| a.xp), Some(14));
        assert!(habit_streak_bonus(8).is_none());
    }
}
