//! Carrying unfinished items over: `carry_over(from, to)` moves every undone item of one
//! date's plan to another's, after that day's own items and in their order, each marked
//! with the date it came from (`carriedFrom`). Both rows are locked in date order. With
//! the viewer's `plan_carry_over` setting on, the first read of today's plan (while it has
//! no row) carries yesterday's unfinished items over.
use chrono::{DateTime, Days, NaiveDate, Utc};
use entity::user_settings;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    sea_query::OnConflict,
};
use uuid::Uuid;

use super::{
    PlanView,
    keeping::{Open, Target},
    store,
};
use crate::domain::{
    Actor, AppError, AppResult, UserId,
    auth::{AuthSettings, preferences::Preferences},
    db::{ReadWrite, begin_write},
};

/// The `user_settings` key of the automatic carry-over.
const CARRY_OVER: &str = "plan_carry_over";

/// What a carry-over did: the target plan, and how many items moved.
#[derive(Debug, Clone)]
pub struct Carried {
    pub plan: PlanView,
    pub moved: usize,
    /// What planning newly paid.
    pub paid: Vec<crate::domain::gamification::Recorded>,
}

pub async fn carry_over(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    from: NaiveDate,
    target: Target,
    now: DateTime<Utc>,
) -> AppResult<Carried> {
    let (user, prefs) = store::member(db, actor, settings).await?;
    let to = target.date.unwrap_or_else(|| prefs.local_date(now));
    if from == to {
        return Err(AppError::bad_input(
            "to",
            "carry items over to another date",
        ));
    }
    let txn = begin_write(db).await?;
    let carried = carry_in(txn, user, prefs, from, to, target.expected_version, now).await?;
    Ok(carried)
}

/// Moves `from`'s undone items to `to` and commits.
async fn carry_in(
    txn: sea_orm::DatabaseTransaction,
    user: UserId,
    prefs: Preferences,
    from: NaiveDate,
    to: NaiveDate,
    expected: Option<String>,
    now: DateTime<Utc>,
) -> AppResult<Carried> {
    let (first, second) = if from < to { (from, to) } else { (to, from) };
    let a = store::locked(&txn, user, first, now).await?;
    let b = store::locked(&txn, user, second, now).await?;
    let (from_row, to_row) = if from < to { (a, b) } else { (b, a) };
    let mut source = store::view(Some(&from_row), from, prefs);
    let mut dest = Open {
        txn,
        user,
        prefs,
        plan: store::view(Some(&to_row), to, prefs),
        row: to_row,
        paid: Vec::new(),
    };
    store::check_version(&dest.plan, expected.as_deref())?;
    let (undone, done): (Vec<_>, Vec<_>) = source.items.into_iter().partition(|i| !i.done);
    source.items = done;
    let moved = undone.len();
    dest.plan.items.extend(undone.into_iter().map(|mut item| {
        item.carried_from = Some(from);
        item
    }));
    let plan = dest.save(now).await?;
    store::save(&dest.txn, from_row, &source.items, source.notes, now).await?;
    dest.txn.commit().await?;
    Ok(Carried {
        plan,
        moved,
        paid: dest.paid,
    })
}

/// Whether the user turned the automatic carry-over on.
pub async fn auto_enabled(conn: &impl ConnectionTrait, user: UserId) -> AppResult<bool> {
    Ok(user_settings::Entity::find()
        .filter(user_settings::Column::UserId.eq(user.0))
        .filter(user_settings::Column::Key.eq(CARRY_OVER))
        .one(conn)
        .await?
        .is_some_and(|row| row.value.as_bool() == Some(true)))
}

/// Turns the automatic carry-over on or off.
pub async fn set_auto(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    on: bool,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let (user, _) = store::member(db, actor, settings).await?;
    user_settings::Entity::insert(user_settings::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.0),
        key: Set(CARRY_OVER.to_owned()),
        value: Set(serde_json::Value::Bool(on)),
        created_at: Set(now.into()),
        updated_at: Set(now.into()),
    })
    .on_conflict(
        OnConflict::columns([user_settings::Column::UserId, user_settings::Column::Key])
            .update_columns([
                user_settings::Column::Value,
                user_settings::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(on)
}

/// On the first read of today's plan (no row yet): carries yesterday's unfinished items
/// over when the setting is on and there are any; `None` when nothing was done.
pub async fn auto(
    db: &impl ReadWrite,
    user: UserId,
    prefs: Preferences,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<Option<PlanView>> {
    if !auto_enabled(db, user).await? {
        return Ok(None);
    }
    let Some(yesterday) = today.checked_sub_days(Days::new(1)) else {
        return Ok(None);
    };
    let unfinished = store::find(db, user, yesterday)
        .await?
        .map(|row| store::view(Some(&row), yesterday, prefs))
        .is_some_and(|plan| plan.items.iter().any(|i| !i.done));
    if !unfinished {
        return Ok(None);
    }
    let txn = begin_write(db).await?;
    // Another read may have carried them first: then today's row exists and is the answer.
    if let Some(row) = store::find(&txn, user, today).await? {
        txn.commit().await?;
        return Ok(Some(store::view(Some(&row), today, prefs)));
    }
    let carried = carry_in(txn, user, prefs, yesterday, today, None, now).await?;
    Ok(Some(carried.plan))
}
