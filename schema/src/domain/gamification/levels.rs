//! The level curve: reaching level L+1 from L takes floor(100 · L^1.5) XP.
//! Level 1 → 2 takes 100, 2 → 3 takes 282, 3 → 4 takes 519.

/// XP needed to go from `level` to `level + 1`.
pub fn step(level: i32) -> i64 {
    (100.0 * f64::from(level.max(1)).powf(1.5)).floor() as i64
}

/// Lifetime XP at which `level` is reached (level 1 at 0).
pub fn threshold(level: i32) -> i64 {
    (1..level.max(1)).map(step).sum()
}

/// Where a lifetime XP total stands on the curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub level: i32,
    /// XP earned since reaching `level`.
    pub into_level: i64,
    /// XP this level takes in all.
    pub for_level: i64,
    /// XP still missing for the next level.
    pub to_next: i64,
}

/// The standing of `total_xp` (a negative total, from reversals, stands at level 1).
pub fn standing(total_xp: i64) -> Standing {
    let total = total_xp.max(0);
    let mut level = 1;
    let mut reached = 0;
    while reached + step(level) <= total {
        reached += step(level);
        level += 1;
    }
    Standing {
        level,
        into_level: total - reached,
        for_level: step(level),
        to_next: reached + step(level) - total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_step_is_floor_of_100_times_level_to_the_1_5() {
        assert_eq!(
            [step(1), step(2), step(3), step(4), step(10)],
            [100, 282, 519, 800, 3162]
        );
        assert_eq!(threshold(1), 0);
        assert_eq!(threshold(2), 100);
        assert_eq!(threshold(4), 100 + 282 + 519);
    }

    #[test]
    fn standing_sits_on_the_curve_at_and_around_each_threshold() {
        assert_eq!(
            standing(0),
            Standing {
                level: 1,
                into_level: 0,
                for_level: 100,
                to_next: 100
            }
        );
        assert_eq!(standing(99).to_next, 1);
        assert_eq!(
            standing(100),
            Standing {
                level: 2,
                into_level: 0,
                for_level: 282,
                to_next: 282
            }
        );
        assert_eq!(standing(381).level, 2);
        assert_eq!(standing(382).level, 3);
        assert_eq!(standing(-50), standing(0), "a debt of XP is level 1");
        for xp in [0, 1, 99, 100, 5_000, 123_456] {
            let s = standing(xp);
            assert_eq!(threshold(s.level) + s.into_level, xp);
            assert_eq!(s.into_level + s.to_next, s.for_level);
        }
    }
}
