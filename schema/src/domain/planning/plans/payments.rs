//! What planning pays, through the engine (`record_action`), each once per local date by
//! its idempotency key: a plan of at least three items (`plan_created`: 5 XP, 1 `planning`
//! star), and every item of such a plan done (`plan_finished`: 10 XP). Only near days pay
//! (a plan from yesterday to a week ahead; finishing today's or yesterday's), so filling
//! far-off dates earns nothing. Removing items afterwards takes nothing back: the day was
//! planned, and a reversal would punish tidying up.
use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::ConnectionTrait;
use serde_json::json;

use super::PlanView;
use crate::domain::{
    AppResult, UserId,
    gamification::{
        Action, EventType, Recorded, record_action,
        rewards::{self, PLAN_MIN_ITEMS},
    },
};

/// How far ahead a planned day still pays.
const PAYS_DAYS_AHEAD: u64 = 7;

fn near(date: NaiveDate, today: NaiveDate, ahead: u64) -> bool {
    let earliest = today.checked_sub_days(Days::new(1)).unwrap_or(today);
    let latest = today.checked_add_days(Days::new(ahead)).unwrap_or(today);
    (earliest..=latest).contains(&date)
}

/// What a payment newly paid (none when it was paid before).
fn fresh(recorded: Recorded) -> Option<Recorded> {
    (!recorded.awarded.repeated).then_some(recorded)
}

/// After any change of a plan: pays `plan_created` once it holds three items; returns
/// what it newly paid.
pub async fn after_change(
    conn: &impl ConnectionTrait,
    user: UserId,
    plan: &PlanView,
    now: DateTime<Utc>,
) -> AppResult<Option<Recorded>> {
    let today = plan.prefs.local_date(now);
    if plan.items.len() < PLAN_MIN_ITEMS || !near(plan.date, today, PAYS_DAYS_AHEAD) {
        return Ok(None);
    }
    let action = Action {
        event_type: EventType::PlanCreated,
        category: None,
        metadata: Some(json!({ "date": plan.date, "items": plan.items.len() })),
        award: rewards::plan_created(plan.date),
        habit_date: None,
    };
    Ok(fresh(
        record_action(conn, user, &plan.prefs, action, now).await?,
    ))
}

/// After an item is done: pays `plan_finished` once every item of three or more is;
/// returns what it newly paid.
pub async fn after_completion(
    conn: &impl ConnectionTrait,
    user: UserId,
    plan: &PlanView,
    now: DateTime<Utc>,
) -> AppResult<Option<Recorded>> {
    let today = plan.prefs.local_date(now);
    let finished = plan.items.len() >= PLAN_MIN_ITEMS && plan.items.iter().all(|i| i.done);
    if !finished || !near(plan.date, today, 0) {
        return Ok(None);
    }
    let action = Action {
        event_type: EventType::PlanFinished,
        category: None,
        metadata: Some(json!({ "date": plan.date, "items": plan.items.len() })),
        award: rewards::plan_finished(plan.date),
        habit_date: None,
    };
    Ok(fresh(
        record_action(conn, user, &plan.prefs, action, now).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_near_days_pay() {
        let today = NaiveDate::from_ymd_opt(2026, 5, 10).unwrap();
        assert!(near(today, today, 7));
        assert!(near(today.pred_opt().unwrap(), today, 0));
        assert!(near(today + Days::new(7), today, 7));
        assert!(!near(today + Days::new(8), today, 7));
        assert!(!near(today - Days::new(2), today, 7));
        assert!(!near(today.succ_opt().unwrap(), today, 0));
    }
}
