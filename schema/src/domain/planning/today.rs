//! The Today view's day: the viewer's local date (zone and day-start hour), the instants it
//! spans (from the day-start hour to the next day's, 23 or 25 hours across DST), and the
//! viewer's active habits scheduled that day.
use chrono::{DateTime, Days, NaiveDate, Utc};
use entity::habits;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::domain::{
    Actor, AppResult,
    auth::preferences::{self, Preferences},
    habits::schedule_of,
    quests::period::day_start,
};

/// The viewer's today.
#[derive(Debug, Clone, Copy)]
pub struct Day {
    pub date: NaiveDate,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub prefs: Preferences,
}

pub async fn today(db: &impl ConnectionTrait, actor: &Actor, now: DateTime<Utc>) -> AppResult<Day> {
    let user = actor.require_user()?;
    let prefs = preferences::of_actor(db, actor, user).await?;
    let date = prefs.local_date(now);
    let next = date.checked_add_days(Days::new(1)).unwrap_or(date);
    Ok(Day {
        date,
        from: day_start(&prefs, date),
        to: day_start(&prefs, next),
        prefs,
    })
}

/// The viewer's active habits scheduled on `date`, in their order.
pub async fn due_habits(
    db: &impl ConnectionTrait,
    actor: &Actor,
    date: NaiveDate,
) -> AppResult<Vec<habits::Model>> {
    let user = actor.require_user()?;
    let rows = habits::Entity::find()
        .filter(habits::Column::UserId.eq(user.0))
        .filter(habits::Column::IsActive.eq(true))
        .order_by_asc(habits::Column::SortOrder)
        .order_by_asc(habits::Column::CreatedAt)
        .order_by_asc(habits::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter(|h| schedule_of(h).is_scheduled(date))
        .collect())
}
