//! Keeping the list of habits: create, update, archive, delete, reorder. Each entry point
//! checks the gates first and writes in one transaction; a habit not the caller's is
//! NOT_FOUND.
use chrono::{DateTime, Utc};
use entity::{arrays::DbList, habits};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, sea_query::Expr,
};
use uuid::Uuid;

use super::store::{member_today, owned};
use super::{
    HabitId, HabitOnDay,
    input::{HabitChanges, HabitForUpdate, NewHabit},
    schedule::{Schedule, Weekdays},
    schedule_of, settle, user_streak,
};
use crate::domain::{
    Actor, AppError, AppResult, UserId,
    auth::{AuthSettings, gates},
    db::begin_write,
    ordering,
};

/// Writes `habits.custom_days` in the form the backend stores (an array or JSON text).
async fn write_days(
    conn: &impl ConnectionTrait,
    id: Uuid,
    days: Option<Weekdays>,
) -> AppResult<()> {
    let value = match days {
        Some(days) => Expr::val(DbList(days.to_vec()).to_value(conn.get_database_backend())),
        None => Expr::cust("NULL"),
    };
    habits::Entity::update_many()
        .col_expr(habits::Column::CustomDays, value)
        .filter(habits::Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

async fn reload(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<habits::Model> {
    habits::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("habit", id))
}

pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    input: NewHabit,
    now: DateTime<Utc>,
) -> AppResult<HabitOnDay> {
    let (user, today) = member_today(db, actor, settings, now).await?;
    let input = input.parse()?;
    let txn = begin_write(db).await?;
    let sort_order = match input.sort_order {
        Some(n) => n,
        None => {
            let mine = habits::Entity::find().filter(habits::Column::UserId.eq(user.0));
            ordering::after_last(&txn, mine, habits::Column::SortOrder).await?
        }
    };
    let id = Uuid::now_v7();
    habits::ActiveModel {
        id: Set(id),
        user_id: Set(user.0),
        name: Set(input.name.into_inner()),
        description: Set(input.description),
        frequency: Set(input.schedule.frequency().as_str().to_owned()),
        target_count: Set(input.target_count.get()),
        icon: Set(input.icon),
        color: Set(input.color),
        is_active: Set(true),
        current_streak: Set(0),
        longest_streak: Set(0),
        sort_order: Set(sort_order),
        created_at: Set(now.into()),
        updated_at: Set(now.into()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if let Some(days) = input.schedule.custom_days() {
        write_days(&txn, id, Some(days)).await?;
    }
    let habit = reload(&txn, id).await?;
    txn.commit().await?;
    Ok(HabitOnDay { habit, today })
}

/// The schedule after `changes`: a CUSTOM habit keeps its days unless new ones are sent.
fn merged_schedule(current: Schedule, changes: &HabitForUpdate) -> AppResult<Schedule> {
    let frequency = changes.frequency.unwrap_or(current.frequency());
    let days = match &changes.custom_days {
        Some(given) => given.clone(),
        None if frequency == current.frequency() => current.custom_days().map(Weekdays::to_vec),
        None => None,
    };
    Schedule::parse(frequency, days.as_deref())
}

pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    id: HabitId,
    changes: HabitChanges,
    now: DateTime<Utc>,
) -> AppResult<HabitOnDay> {
    let (user, today) = member_today(db, actor, settings, now).await?;
    let changes = changes.parse()?;
    let txn = begin_write(db).await?;
    let habit = owned(&txn, user, id, true).await?;
    let before = (schedule_of(&habit), habit.target_count);
    let schedule = merged_schedule(before.0, &changes)?;
    let target = changes.target_count.map_or(habit.target_count, |t| t.get());
    let mut row: habits::ActiveModel = habit.into();
    if let Some(name) = changes.name {
        row.name = Set(name.into_inner());
    }
    if let Some(description) = changes.description {
        row.description = Set(description);
    }
    if let Some(icon) = changes.icon {
        row.icon = Set(icon);
    }
    if let Some(color) = changes.color {
        row.color = Set(color);
    }
    if let Some(sort_order) = changes.sort_order {
        row.sort_order = Set(sort_order);
    }
    row.frequency = Set(schedule.frequency().as_str().to_owned());
    row.target_count = Set(target);
    row.updated_at = Set(now.into());
    let habit = row.update(&txn).await?;
    write_days(&txn, habit.id, schedule.custom_days()).await?;
    let mut habit = reload(&txn, habit.id).await?;
    if before != (schedule, target) {
        // The history reads anew under the new schedule; bonuses already paid stand.
        habit = settle::restreak(&txn, habit, now).await?;
    }
    txn.commit().await?;
    Ok(HabitOnDay { habit, today })
}

/// Archives (`active = false`) or restores a habit. An archived habit takes no completions.
pub async fn set_active(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    id: HabitId,
    active: bool,
    now: DateTime<Utc>,
) -> AppResult<HabitOnDay> {
    let (user, today) = member_today(db, actor, settings, now).await?;
    let txn = begin_write(db).await?;
    let mut row: habits::ActiveModel = owned(&txn, user, id, true).await?.into();
    row.is_active = Set(active);
    row.updated_at = Set(now.into());
    let habit = row.update(&txn).await?;
    txn.commit().await?;
    Ok(HabitOnDay { habit, today })
}

/// Deletes a habit with its completions (what they paid stays paid: deleting is not an
/// undo). The user-level habit streak is recounted from the completions that remain.
pub async fn delete(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    id: HabitId,
    now: DateTime<Utc>,
) -> AppResult<HabitId> {
    let user = UserId(gates::require_member(db, actor, settings).await?.id);
    let txn = begin_write(db).await?;
    let habit = owned(&txn, user, id, true).await?;
    habits::Entity::delete_by_id(habit.id).exec(&txn).await?;
    user_streak::recount(&txn, user, now).await?;
    txn.commit().await?;
    Ok(id)
}

/// Puts the listed habits in this order (`sort_order` 0, 1, …); others keep theirs.
pub async fn reorder(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    ids: Vec<HabitId>,
    now: DateTime<Utc>,
) -> AppResult<Vec<HabitOnDay>> {
    let (user, today) = member_today(db, actor, settings, now).await?;
    ordering::check_reorder(&ids, "habitIds")?;
    let txn = begin_write(db).await?;
    let mut habits = Vec::with_capacity(ids.len());
    for (position, id) in ids.into_iter().enumerate() {
        let mut row: habits::ActiveModel = owned(&txn, user, id, true).await?.into();
        row.sort_order = Set(ordering::position(position));
        row.updated_at = Set(now.into());
        habits.push(HabitOnDay {
            habit: row.update(&txn).await?,
            today,
        });
    }
    txn.commit().await?;
    Ok(habits)
}
