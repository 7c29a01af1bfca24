//! What planning pays: a little, once per local date. The first time a date's plan holds
//! at least [`PLAN_MIN_ITEMS`] items, 5 XP and 1 `planning` star; the first time every item
//! of such a plan is done, 10 XP. Removing items afterwards takes nothing back.
use chrono::NaiveDate;

use super::Award;
use super::{LedgerSource, keys};

/// The skill a planned day's star goes to.
const PLANNING_SKILL: &str = "planning";

/// The fewest items a plan needs to pay.
pub const PLAN_MIN_ITEMS: usize = 3;

/// A date's plan first reaching three items: 5 XP and 1 `planning` star.
pub fn plan_created(date: NaiveDate) -> Award {
    Award {
        xp: 5,
        skill: Some((PLANNING_SKILL.into(), 1)),
        reason: Some(format!("day planned: {date}")),
        idempotency_key: Some(keys::plan_created(date)),
        ..Award::new(LedgerSource::Plan)
    }
}

/// Every item of a date's plan (of at least three) done: 10 XP.
pub fn plan_finished(date: NaiveDate) -> Award {
    Award {
        xp: 10,
        reason: Some(format!("plan finished: {date}")),
        idempotency_key: Some(keys::plan_finished(date)),
        ..Award::new(LedgerSource::Plan)
    }
}
