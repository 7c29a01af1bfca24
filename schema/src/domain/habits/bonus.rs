//! Streak bonuses: a habit streak reaching 7, 14, 30, 60, 100 or 365 periods pays 2 × that
//! length in XP, once per run. The bonuses that stand always match the history: after a
//! completion or an undo for one period, the run lengths from that period on are read
//! again, a bonus no run deserves any more is reversed, and one newly deserved is paid
//! under the next occurrence's key (so undo and redo net one bonus, a retry pays none).
//! Each bonus is keyed by the schedule, the period its run reached the length in, and the
//! length; bonuses earned under an earlier schedule stand.
use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use entity::habits;
use sea_orm::ConnectionTrait;

use super::{schedule::Schedule, streak::Runs};
use crate::domain::{
    AppResult, UserId,
    gamification::{
        award,
        reversals::Payments,
        rewards::{self, HabitStreakBonus, LedgerSource, keys},
    },
};

/// The bonuses the runs deserve from the period holding `from` on.
fn deserved(runs: &Runs, from: NaiveDate) -> BTreeSet<(NaiveDate, i32)> {
    runs.met
        .iter()
        .filter(|(start, length)| *start >= from && rewards::is_habit_streak_milestone(*length))
        .copied()
        .collect()
}

/// Whether a change from the period starting `from` on can touch a bonus: some run from
/// that period on reaches a milestone length, before or after it. When none does, the
/// bonuses that stand already match (they always match the history), and the ledger is
/// not read.
pub fn concerns(before: &Runs, after: &Runs, from: NaiveDate) -> bool {
    !deserved(before, from).is_empty() || !deserved(after, from).is_empty()
}

/// Brings the habit's standing bonuses from the period holding `changed` on in line with
/// `runs`. Returns whether anything was paid or taken back.
pub async fn reconcile(
    conn: &impl ConnectionTrait,
    user: UserId,
    habit: &habits::Model,
    schedule: Schedule,
    runs: &Runs,
    changed: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let from = schedule.bucket(changed);
    let tag = schedule.tag();
    let wanted = deserved(runs, from);
    let payments = Payments::of(conn, user, LedgerSource::HabitStreak, habit.id).await?;
    let mut held = BTreeSet::new();
    let mut moved = false;
    for paid in payments.standing() {
        let Some((paid_tag, start, length)) = paid
            .idempotency_key
            .as_deref()
            .and_then(keys::parse_habit_streak)
        else {
            continue;
        };
        if paid_tag != tag || start < from {
            continue;
        }
        if wanted.contains(&(start, length)) {
            held.insert((start, length));
        } else {
            payments.reverse(conn, user, paid, now).await?;
            moved = true;
        }
    }
    let next = payments.occurrences() + 1;
    for (occurrence, (start, length)) in (next..).zip(wanted.difference(&held)) {
        let Some(bonus) = rewards::habit_streak_bonus(HabitStreakBonus {
            habit: habit.id,
            habit_name: &habit.name,
            schedule: &tag,
            start: *start,
            length: *length,
            occurrence,
        }) else {
            continue;
        };
        award(conn, user, bonus, now).await?;
        moved = true;
    }
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    #[test]
    fn a_bonus_key_names_its_schedule_period_and_length() {
        let habit = uuid::Uuid::from_u128(7);
        let key = keys::habit_streak(habit, "c135", day(9), 14, 3);
        assert_eq!(keys::parse_habit_streak(&key), Some(("c135", day(9), 14)));
        assert_eq!(keys::parse_habit_streak("habit:123#1"), None);
        assert_eq!(
            keys::parse_habit_streak(&format!("habit_streak:{habit}:d:{}:7", day(9))),
            None,
            "no occurrence"
        );
    }

    #[test]
    fn only_milestone_lengths_from_the_changed_period_on_are_deserved() {
        let runs = Runs {
            met: (1..=14)
                .map(|d| (day(d), i32::try_from(d).unwrap()))
                .collect(),
        };
        assert_eq!(
            deserved(&runs, day(1)),
            BTreeSet::from([(day(7), 7), (day(14), 14)])
        );
        assert_eq!(deserved(&runs, day(8)), BTreeSet::from([(day(14), 14)]));
    }
}
