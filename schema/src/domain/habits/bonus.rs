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
        Award, award,
        reversals::{self, Payments},
        rewards,
    },
};

/// The ledger `event_type` of streak bonuses; `event_id` is the habit.
pub const SOURCE: &str = "habit_streak";

/// `habit_streak:<habit>:<schedule>:<period start>:<length>`, before `#<occurrence>`.
fn key_prefix(habit: uuid::Uuid, schedule: &str, start: NaiveDate, length: i32) -> String {
    format!("{SOURCE}:{habit}:{schedule}:{start}:{length}")
}

/// The schedule, period start and length a bonus key names.
fn parse_key(key: &str) -> Option<(&str, NaiveDate, i32)> {
    let (prefix, _occurrence) = key.split_once('#')?;
    let mut parts = prefix.strip_prefix(SOURCE)?.strip_prefix(':')?.split(':');
    let (_habit, schedule, start, length) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    Some((schedule, start.parse().ok()?, length.parse().ok()?))
}

/// The bonuses the runs deserve from the period holding `from` on.
fn deserved(runs: &Runs, from: NaiveDate) -> BTreeSet<(NaiveDate, i32)> {
    runs.met
        .iter()
        .filter(|(start, length)| *start >= from && rewards::habit_streak_bonus(*length).is_some())
        .copied()
        .collect()
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
    let payments = Payments::of(conn, user, SOURCE, habit.id).await?;
    let mut held = BTreeSet::new();
    let mut moved = false;
    for paid in payments.standing() {
        let Some((paid_tag, start, length)) = paid.idempotency_key.as_deref().and_then(parse_key)
        else {
            continue;
        };
        if paid_tag != tag || start < from {
            continue;
        }
        if wanted.contains(&(start, length)) {
            held.insert((start, length));
        } else {
            reversals::reverse(conn, user, paid, now).await?;
            moved = true;
        }
    }
    let mut occurrence = payments.occurrences();
    for (start, length) in wanted.difference(&held) {
        let Some(bonus) = rewards::habit_streak_bonus(*length) else {
            continue;
        };
        occurrence += 1;
        let award_it = Award {
            event_type: SOURCE.into(),
            event_id: Some(habit.id),
            reason: Some(format!("{length}-period streak: {}", habit.name)),
            idempotency_key: Some(format!(
                "{}#{occurrence}",
                key_prefix(habit.id, &tag, *start, *length)
            )),
            ..bonus
        };
        award(conn, user, award_it, now).await?;
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
        let key = format!("{}#3", key_prefix(habit, "c135", day(9), 14));
        assert_eq!(parse_key(&key), Some(("c135", day(9), 14)));
        assert_eq!(parse_key("habit:123#1"), None);
        assert_eq!(
            parse_key(&key_prefix(habit, "d", day(9), 7)),
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
