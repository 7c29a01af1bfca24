//! The viewer's plans: one local date (today when absent), or every date of a range (at
//! most 366 days, both ends included). A date with no plan reads as an empty plan. Reading
//! today's plan for the first time carries yesterday's unfinished items over when the
//! viewer turned that setting on (`carry::auto`).
use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::ConnectionTrait;

use super::{PlanView, carry, store};
use crate::domain::{Actor, AppError, AppResult, db::ReadWrite, habits::reads::MAX_RANGE_DAYS};

pub async fn daily_plan(
    db: &impl ReadWrite,
    actor: &Actor,
    date: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> AppResult<PlanView> {
    let (user, prefs) = store::reader(db, actor).await?;
    let today = prefs.local_date(now);
    let date = date.unwrap_or(today);
    let row = store::find(db, user, date).await?;
    if row.is_none()
        && date == today
        && let Some(plan) = carry::auto(db, user, prefs, today, now).await?
    {
        return Ok(plan);
    }
    Ok(store::view(row.as_ref(), date, prefs))
}

pub async fn daily_plans(
    db: &impl ConnectionTrait,
    actor: &Actor,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<PlanView>> {
    let (user, prefs) = store::reader(db, actor).await?;
    if from > to {
        return Err(AppError::bad_input("from", "`from` comes after `to`"));
    }
    if (to - from).num_days() >= i64::try_from(MAX_RANGE_DAYS).unwrap_or(i64::MAX) {
        return Err(AppError::bad_input(
            "to",
            format!("a range spans at most {MAX_RANGE_DAYS} days"),
        ));
    }
    let rows = store::in_range(db, user, from, to).await?;
    let mut rows = rows.into_iter().peekable();
    let mut plans = Vec::new();
    let mut date = from;
    while date <= to {
        let row = rows.next_if(|r| r.date == date);
        plans.push(store::view(row.as_ref(), date, prefs));
        let Some(next) = date.checked_add_days(Days::new(1)) else {
            break;
        };
        date = next;
    }
    Ok(plans)
}
