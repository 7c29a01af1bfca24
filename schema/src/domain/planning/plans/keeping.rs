//! Item mutations: add, update, remove, move (position and/or date), and the plan's notes.
//! Each checks the gates, opens one write transaction, locks the date's row and changes
//! only its own item, so two devices editing different items both keep their change; a
//! client that names `expectedVersion` gets PLAN_CHANGED when the plan moved on. An item
//! another user owns, or a date's plan without it, is NOT_FOUND.
use chrono::{DateTime, NaiveDate, Utc};
use entity::daily_plans;
use sea_orm::{DatabaseConnection, DatabaseTransaction};
use uuid::Uuid;

use super::{
    MAX_ITEMS, MAX_NOTES, PlanItem, PlanView,
    input::{NewPlanItem, PlanItemChanges},
    payments, store,
};
use crate::domain::{
    Actor, AppError, AppResult, UserId,
    auth::AuthSettings,
    auth::preferences::Preferences,
    db::begin_write,
    gamification::{Earned, Recorded},
    text,
};

/// A plan opened for a change: the locked row and its items.
pub(in crate::domain::planning) struct Open {
    pub txn: DatabaseTransaction,
    pub user: UserId,
    pub prefs: Preferences,
    pub row: daily_plans::Model,
    pub plan: PlanView,
    /// What planning newly paid in this change.
    pub paid: Vec<Recorded>,
}

/// Which plan a mutation reaches, and the version the client read it at.
#[derive(Debug, Clone, Default)]
pub struct Target {
    /// The user's local today when absent.
    pub date: Option<NaiveDate>,
    pub expected_version: Option<String>,
}

/// Opens the date's plan for a change: gates, one write transaction, the row locked, the
/// client's version checked.
pub(in crate::domain::planning) async fn open(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    target: &Target,
    now: DateTime<Utc>,
) -> AppResult<Open> {
    let (user, prefs) = store::member(db, actor, settings).await?;
    let date = target.date.unwrap_or_else(|| prefs.local_date(now));
    let txn = begin_write(db).await?;
    let opened = open_in(txn, user, prefs, date, now).await?;
    store::check_version(&opened.plan, target.expected_version.as_deref())?;
    Ok(opened)
}

/// The date's plan, locked, in an open transaction.
pub(in crate::domain::planning) async fn open_in(
    txn: DatabaseTransaction,
    user: UserId,
    prefs: Preferences,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<Open> {
    let row = store::locked(&txn, user, date, now).await?;
    let plan = store::view(Some(&row), date, prefs);
    Ok(Open {
        txn,
        user,
        prefs,
        row,
        plan,
        paid: Vec::new(),
    })
}

impl Open {
    /// The position of item `id`, or NOT_FOUND.
    pub fn index_of(&self, id: Uuid) -> AppResult<usize> {
        self.plan
            .item(id)
            .map(|(i, _)| i)
            .ok_or_else(|| AppError::not_found("planItem", id))
    }

    /// Writes the items and notes back, pays what planning pays, and returns the plan
    /// as it now stands (the transaction stays open).
    pub async fn save(&mut self, now: DateTime<Utc>) -> AppResult<PlanView> {
        if self.plan.items.len() > MAX_ITEMS {
            return Err(AppError::bad_input(
                "items",
                format!("a day's plan holds at most {MAX_ITEMS} items"),
            ));
        }
        let row = store::save(
            &self.txn,
            self.row.clone(),
            &self.plan.items,
            self.plan.notes.clone(),
            now,
        )
        .await?;
        self.paid
            .extend(payments::after_change(&self.txn, self.user, &self.plan, now).await?);
        self.row = row;
        Ok(store::view(Some(&self.row), self.plan.date, self.prefs))
    }

    /// Saves and commits; returns the plan and what planning newly paid.
    pub async fn commit(mut self, now: DateTime<Utc>) -> AppResult<(PlanView, Vec<Recorded>)> {
        let plan = self.save(now).await?;
        self.txn.commit().await?;
        Ok((plan, self.paid))
    }
}

/// A plan after an item mutation, and the item it touched.
#[derive(Debug, Clone)]
pub struct ItemChanged {
    pub plan: PlanView,
    pub item: Option<PlanItem>,
    /// What planning newly paid (`plan_created`, `plan_finished`), for the payload's reward.
    pub paid: Vec<Recorded>,
    /// What completing the item's linked habit, goal or milestone paid.
    pub linked: Earned,
}

impl ItemChanged {
    pub(super) fn of((plan, paid): (PlanView, Vec<Recorded>), id: Uuid) -> Self {
        let item = plan.item(id).map(|(_, i)| i.clone());
        Self {
            plan,
            item,
            paid,
            linked: Earned::default(),
        }
    }

    /// A change that found the item as asked already: nothing moved, nothing paid.
    pub(super) fn unchanged(plan: PlanView, at: usize) -> Self {
        Self {
            item: Some(plan.items[at].clone()),
            plan,
            paid: Vec::new(),
            linked: Earned::default(),
        }
    }

    /// Everything this change paid: the linked target's reward and planning's own.
    pub fn earned(&self) -> Earned {
        self.linked.clone().plus(Earned::total(&self.paid))
    }
}

/// Clamps a client's position to `0..=len` (absent: the end).
fn place(position: Option<i32>, len: usize) -> AppResult<usize> {
    match position {
        None => Ok(len),
        Some(p) if p < 0 => Err(AppError::bad_input("position", "a position is 0 or more")),
        Some(p) => Ok(usize::try_from(p).unwrap_or(usize::MAX).min(len)),
    }
}

pub async fn add(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    target: Target,
    input: NewPlanItem,
    position: Option<i32>,
    now: DateTime<Utc>,
) -> AppResult<ItemChanged> {
    let fields = input.parse()?;
    let mut open = open(db, actor, settings, &target, now).await?;
    if let Some(r) = fields.item_ref {
        store::check_ref(&open.txn, open.user, r).await?;
    }
    let at = place(position, open.plan.items.len())?;
    let id = Uuid::now_v7();
    open.plan.items.insert(at, fields.into_item(id));
    Ok(ItemChanged::of(open.commit(now).await?, id))
}

pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    target: Target,
    id: Uuid,
    changes: PlanItemChanges,
    now: DateTime<Utc>,
) -> AppResult<ItemChanged> {
    let mut open = open(db, actor, settings, &target, now).await?;
    let at = open.index_of(id)?;
    let item = &open.plan.items[at];
    let fields = changes.parse(item)?;
    if fields.item_ref != item.item_ref
        && let Some(r) = fields.item_ref
    {
        store::check_ref(&open.txn, open.user, r).await?;
    }
    let item = &mut open.plan.items[at];
    if fields.item_ref != item.item_ref {
        // A new target starts with nothing done to it by this item.
        item.link = super::LinkState {
            completions: item.link.completions,
            ..super::LinkState::default()
        };
    }
    item.kind = fields.kind;
    item.title = fields.title;
    item.start_time = fields.start_time;
    item.duration_minutes = fields.duration_minutes;
    item.item_ref = fields.item_ref;
    Ok(ItemChanged::of(open.commit(now).await?, id))
}

/// Removes an item. What planning paid stays paid; a habit the item completed stays done.
pub async fn remove(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    target: Target,
    id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<ItemChanged> {
    let mut open = open(db, actor, settings, &target, now).await?;
    let at = open.index_of(id)?;
    let removed = open.plan.items.remove(at);
    let (plan, paid) = open.commit(now).await?;
    Ok(ItemChanged {
        plan,
        item: Some(removed),
        paid,
        linked: Earned::default(),
    })
}

/// Where a moved item goes: another date (or its own), at a position (or the end).
#[derive(Debug, Clone, Copy, Default)]
pub struct Destination {
    pub date: Option<NaiveDate>,
    pub position: Option<i32>,
}

/// Moves an item within its plan (`position`) or to another date's (at `position` or the
/// end). Both rows are locked in date order, so two moves never deadlock.
pub async fn move_item(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    target: Target,
    id: Uuid,
    destination: Destination,
    now: DateTime<Utc>,
) -> AppResult<ItemChanged> {
    let (user, prefs) = store::member(db, actor, settings).await?;
    let from = target.date.unwrap_or_else(|| prefs.local_date(now));
    let to = destination.date.unwrap_or(from);
    let position = destination.position;
    let txn = begin_write(db).await?;
    if from == to {
        let mut open = open_in(txn, user, prefs, from, now).await?;
        store::check_version(&open.plan, target.expected_version.as_deref())?;
        let item = open.plan.items.remove(open.index_of(id)?);
        let at = place(position, open.plan.items.len())?;
        open.plan.items.insert(at, item);
        return Ok(ItemChanged::of(open.commit(now).await?, id));
    }
    // Lock in date order; the transaction is shared through the first `Open`.
    let (first, second) = if from < to { (from, to) } else { (to, from) };
    let first_row = store::locked(&txn, user, first, now).await?;
    let second_row = store::locked(&txn, user, second, now).await?;
    let (from_row, to_row) = if from < to {
        (first_row, second_row)
    } else {
        (second_row, first_row)
    };
    let mut source = store::view(Some(&from_row), from, prefs);
    store::check_version(&source, target.expected_version.as_deref())?;
    let at = source
        .item(id)
        .map(|(i, _)| i)
        .ok_or_else(|| AppError::not_found("planItem", id))?;
    let item = source.items.remove(at);
    let mut dest = Open {
        txn,
        user,
        prefs,
        plan: store::view(Some(&to_row), to, prefs),
        row: to_row,
        paid: Vec::new(),
    };
    let at = place(position, dest.plan.items.len())?;
    dest.plan.items.insert(at, item);
    let plan = dest.save(now).await?;
    store::save(
        &dest.txn,
        from_row,
        &source.items,
        source.notes.clone(),
        now,
    )
    .await?;
    dest.txn.commit().await?;
    Ok(ItemChanged::of((plan, dest.paid), id))
}

/// Sets (or, blank, clears) the plan's notes: a whole-plan change.
pub async fn set_notes(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    target: Target,
    notes: Option<String>,
    now: DateTime<Utc>,
) -> AppResult<PlanView> {
    let notes = text::optional("notes", notes, MAX_NOTES)?;
    let mut open = open(db, actor, settings, &target, now).await?;
    open.plan.notes = notes;
    Ok(open.commit(now).await?.0)
}
