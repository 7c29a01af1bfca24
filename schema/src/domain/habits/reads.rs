//! Reading habits: the user's list in their own order, one habit, its heatmap, and the
//! batched reads DataLoaders use (completions in a date range, recent counts), keyed by
//! habits the caller already owns.
use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use entity::{habit_completions, habits};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::{
    HabitId, HabitOnDay, recent, store,
    streak::{Counts, RECENT_DAYS},
};
use crate::domain::{
    Actor, AppError, AppResult, UserId,
    auth::preferences,
    pagination::{self, Keyset, Listing, PageRequest, Ranked},
};

/// The longest span a range read covers: a leap year.
pub const MAX_RANGE_DAYS: u64 = 366;

/// A span of local dates, both ends included, at most `MAX_RANGE_DAYS` long.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl DateRange {
    /// `to` defaults to `today`, `from` to `default_days` days up to `to`.
    pub fn parse(
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        today: NaiveDate,
        default_days: u64,
    ) -> AppResult<Self> {
        let to = to.unwrap_or(today);
        let from = match from {
            Some(from) => from,
            None => to
                .checked_sub_days(Days::new(default_days.saturating_sub(1)))
                .unwrap_or(to),
        };
        if from > to {
            return Err(AppError::bad_input("from", "`from` comes after `to`"));
        }
        if (to - from).num_days() >= i64::try_from(MAX_RANGE_DAYS).unwrap_or(i64::MAX) {
            return Err(AppError::bad_input(
                "from",
                format!("a range spans at most {MAX_RANGE_DAYS} days"),
            ));
        }
        Ok(Self { from, to })
    }
}

/// Which habits to list; `active` narrows to live (true) or archived (false) ones.
#[derive(Debug, Clone, Copy, Default)]
pub struct HabitFilter {
    pub active: Option<bool>,
}

/// The signed-in user's local today (their settings as the sign-in check read them).
async fn today(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    user: UserId,
    now: DateTime<Utc>,
) -> AppResult<NaiveDate> {
    Ok(preferences::of_actor(conn, actor, user)
        .await?
        .local_date(now))
}

/// A page of the user's habits as [`list`] read it.
pub struct Listed {
    pub listing: Listing<habits::Entity>,
    /// The user's local today, which a habit's reads are measured against.
    pub today: NaiveDate,
    /// Each habit's completions per date over the last `RECENT_DAYS` days, when asked.
    pub recent: Option<HashMap<Uuid, Counts>>,
}

/// The signed-in user's habits in their order (`sort_order`, then oldest first), and
/// their local today; with `recent`, each habit's recent counts in the same statement.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: HabitFilter,
    request: PageRequest,
    recent: bool,
    now: DateTime<Utc>,
) -> AppResult<Listed> {
    let user = actor.require_user()?;
    let today = today(db, actor, user, now).await?;
    let mut select = habits::Entity::find().filter(habits::Column::UserId.eq(user.0));
    if let Some(active) = filter.active {
        select = select.filter(habits::Column::IsActive.eq(active));
    }
    let order = Ranked {
        rank: habits::Column::SortOrder,
        then: Keyset::oldest_first(habits::Column::CreatedAt, habits::Column::Id),
    };
    let since = recent_since(today);
    let per_row = recent.then(|| recent::counts_since(db.get_database_backend(), since));
    let listing = pagination::paginate_with(db, select, order, request, per_row).await?;
    let recent = if recent {
        let ids: Vec<Uuid> = listing.page.items.iter().map(|(_, h)| h.id).collect();
        Some(recent::parse(&ids, &listing.per_row)?)
    } else {
        None
    };
    Ok(Listed {
        listing,
        today,
        recent,
    })
}

/// The first day a read must see to tell a live streak on `today` from a broken one.
pub fn recent_since(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_days(Days::new(RECENT_DAYS))
        .unwrap_or(today)
}

/// One of the signed-in user's habits.
pub async fn find(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: HabitId,
    now: DateTime<Utc>,
) -> AppResult<HabitOnDay> {
    let user = actor.require_user()?;
    let habit = store::owned(db, user, id, false).await?;
    Ok(HabitOnDay {
        habit,
        today: today(db, actor, user, now).await?,
    })
}

/// Completions per local date of one of the user's habits, dates without any left out,
/// oldest first. The range defaults to the last 365 days.
pub async fn heatmap(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: HabitId,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> AppResult<Vec<(NaiveDate, u32)>> {
    let user = actor.require_user()?;
    let habit = store::owned(db, user, id, false).await?;
    let range = DateRange::parse(from, to, today(db, actor, user, now).await?, 365)?;
    let counts = counts_of(db, &[habit.id], range.from, None).await?;
    Ok(counts
        .get(&habit.id)
        .map(|c| {
            c.range(range.from..=range.to)
                .map(|(d, n)| (*d, *n))
                .collect()
        })
        .unwrap_or_default())
}

/// Completions per habit and date from `since` (up to `until`), for many habits at once.
pub async fn counts_of(
    conn: &impl ConnectionTrait,
    habits: &[Uuid],
    since: NaiveDate,
    until: Option<NaiveDate>,
) -> AppResult<HashMap<Uuid, Counts>> {
    let mut select = habit_completions::Entity::find()
        .select_only()
        .column(habit_completions::Column::HabitId)
        .column(habit_completions::Column::CompletedDate)
        .column_as(habit_completions::Column::Id.count(), "n")
        .filter(habit_completions::Column::HabitId.is_in(habits.iter().copied()))
        .filter(habit_completions::Column::CompletedDate.gte(since));
    if let Some(until) = until {
        select = select.filter(habit_completions::Column::CompletedDate.lte(until));
    }
    let rows: Vec<(Uuid, NaiveDate, i64)> = select
        .group_by(habit_completions::Column::HabitId)
        .group_by(habit_completions::Column::CompletedDate)
        .into_tuple()
        .all(conn)
        .await?;
    let mut found: HashMap<Uuid, Counts> = HashMap::new();
    for (habit, date, n) in rows {
        found
            .entry(habit)
            .or_default()
            .insert(date, u32::try_from(n).unwrap_or(u32::MAX));
    }
    Ok(found)
}

/// The completions of many habits in one date range, oldest first.
pub async fn completions_of(
    conn: &impl ConnectionTrait,
    habits: &[Uuid],
    range: DateRange,
) -> AppResult<HashMap<Uuid, Vec<habit_completions::Model>>> {
    let rows = habit_completions::Entity::find()
        .filter(habit_completions::Column::HabitId.is_in(habits.iter().copied()))
        .filter(habit_completions::Column::CompletedDate.gte(range.from))
        .filter(habit_completions::Column::CompletedDate.lte(range.to))
        .order_by_asc(habit_completions::Column::CompletedDate)
        .order_by_asc(habit_completions::Column::CompletedAt)
        .order_by_asc(habit_completions::Column::Id)
        .all(conn)
        .await?;
    let mut found: HashMap<Uuid, Vec<habit_completions::Model>> = HashMap::new();
    for row in rows {
        found.entry(row.habit_id).or_default().push(row);
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_default_to_days_up_to_today_and_are_bounded() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        let r = DateRange::parse(None, None, today, 30).unwrap();
        assert_eq!(
            (r.from, r.to),
            (NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), today)
        );
        assert!(DateRange::parse(Some(today), Some(today - Days::new(1)), today, 30).is_err());
        assert!(DateRange::parse(Some(today - Days::new(365)), None, today, 30).is_ok());
        assert!(DateRange::parse(Some(today - Days::new(366)), None, today, 30).is_err());
    }
}
