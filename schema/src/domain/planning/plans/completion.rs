//! Completing and uncompleting an item. The plan row is locked first, so concurrent
//! completions of one item queue and all but the first find it done (and pay nothing).
//! A linked habit is completed through `habits::completions::complete_in`, keyed by the
//! item (`keys::plan_item`: its id and the how-many-th time it logs the habit), dated the
//! plan's date; a linked goal or milestone through the goals area's own status rules.
//! Uncompleting undoes exactly what the item did (a completion it logged, a goal it
//! completed), never what the user did elsewhere. A target deleted meanwhile is skipped.
use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DatabaseTransaction};
use uuid::Uuid;

use super::{
    ItemRef, LinkState, PlanItem,
    keeping::{ItemChanged, Target, open},
    payments,
};
use crate::domain::{
    Actor, AppError, AppResult, ErrorCode, Reason, UserId,
    auth::{AuthSettings, preferences::Preferences},
    gamification::{Earned, rewards::keys},
    goals::{GoalId, GoalStatus, MilestoneId, milestones, status, store as goal_store},
    habits::{
        CompletionId, HabitId,
        completions::{complete_in, undo_in},
        input::{CompletionForCreate, IdempotencyKey},
    },
};

pub async fn complete(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    target: Target,
    id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<ItemChanged> {
    let mut open = open(db, actor, settings, &target, now).await?;
    let at = open.index_of(id)?;
    if open.plan.items[at].done {
        let plan = open.plan.clone();
        open.txn.commit().await?;
        return Ok(ItemChanged::unchanged(plan, at));
    }
    let date = open.plan.date;
    let item = &open.plan.items[at];
    let (link, linked) =
        complete_target(&open.txn, open.user, item, date, &open.prefs, now).await?;
    let item = &mut open.plan.items[at];
    item.link = link;
    item.done = true;
    item.done_at = Some(now);
    let plan = open.save(now).await?;
    let finished = payments::after_completion(&open.txn, open.user, &plan, now).await?;
    open.paid.extend(finished);
    open.txn.commit().await?;
    let mut changed = ItemChanged::of((plan, open.paid), id);
    changed.linked = linked;
    Ok(changed)
}

pub async fn uncomplete(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    target: Target,
    id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<ItemChanged> {
    let mut open = open(db, actor, settings, &target, now).await?;
    let at = open.index_of(id)?;
    if !open.plan.items[at].done {
        let plan = open.plan.clone();
        open.txn.commit().await?;
        return Ok(ItemChanged::unchanged(plan, at));
    }
    let item = &open.plan.items[at];
    let link = undo_target(&open.txn, open.user, item, &open.prefs, now).await?;
    let item = &mut open.plan.items[at];
    item.link = link;
    item.done = false;
    item.done_at = None;
    Ok(ItemChanged::of(open.commit(now).await?, id))
}

/// A target deleted since it was linked is skipped; any other failure stands.
fn gone<T>(result: AppResult<T>) -> AppResult<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(err) if err.code() == ErrorCode::NotFound => Ok(None),
        Err(err) => Err(err),
    }
}

/// Completes what the item links to; returns what the item did to it, and what that paid.
async fn complete_target(
    txn: &DatabaseTransaction,
    user: UserId,
    item: &PlanItem,
    date: chrono::NaiveDate,
    prefs: &Preferences,
    now: DateTime<Utc>,
) -> AppResult<(LinkState, Earned)> {
    let mut link = item.link;
    let mut earned = Earned::default();
    match item.item_ref {
        Some(ItemRef::Habit(habit)) => {
            let occurrence = link.completions + 1;
            let input = CompletionForCreate {
                date: Some(date),
                notes: None,
                idempotency_key: Some(IdempotencyKey::parse(&keys::plan_item(
                    item.id, occurrence,
                ))?),
            };
            match complete_in(txn, user, prefs, HabitId(habit), input, now).await {
                Ok(done) => {
                    link.completion = Some(done.completion.id);
                    link.completions = occurrence;
                    earned = done.earned;
                }
                // Done elsewhere already this period, or deleted: the item is done all
                // the same, with nothing of its own to undo.
                Err(AppError::Conflict {
                    reason: Some(Reason::HabitTargetReached),
                    ..
                }) => link.completion = None,
                Err(err) if err.code() == ErrorCode::NotFound => link.completion = None,
                Err(err) => return Err(err),
            }
        }
        Some(ItemRef::Goal(goal)) => {
            let before = gone(goal_store::owned(txn, user, GoalId(goal), true).await)?;
            link.completed_target = match before {
                Some(g) if GoalStatus::stored(&g.status) != GoalStatus::Completed => {
                    let change = status::Change::Complete;
                    earned = status::change_in(txn, user, prefs, GoalId(goal), change, now)
                        .await?
                        .1;
                    true
                }
                _ => false,
            };
        }
        Some(ItemRef::Milestone(milestone)) => {
            let before = gone(milestones::owned(txn, user, MilestoneId(milestone)).await)?;
            link.completed_target = match before {
                Some((m, _)) if !m.is_completed => {
                    let id = MilestoneId(milestone);
                    earned = milestones::set_done_in(txn, user, prefs, id, true, now)
                        .await?
                        .1;
                    true
                }
                _ => false,
            };
        }
        Some(ItemRef::Occurrence(_)) | None => {}
    }
    Ok((link, earned))
}

/// Undoes what completing the item did to its target.
async fn undo_target(
    txn: &DatabaseTransaction,
    user: UserId,
    item: &PlanItem,
    prefs: &Preferences,
    now: DateTime<Utc>,
) -> AppResult<LinkState> {
    let mut link = item.link;
    match item.item_ref {
        Some(ItemRef::Habit(_)) => {
            if let Some(completion) = link.completion.take() {
                gone(undo_in(txn, user, prefs, CompletionId(completion), now).await)?;
            }
        }
        Some(ItemRef::Goal(goal)) if link.completed_target => {
            let change = status::Change::Uncomplete;
            gone(status::change_in(txn, user, prefs, GoalId(goal), change, now).await)?;
            link.completed_target = false;
        }
        Some(ItemRef::Milestone(milestone)) if link.completed_target => {
            let id = MilestoneId(milestone);
            gone(milestones::set_done_in(txn, user, prefs, id, false, now).await)?;
            link.completed_target = false;
        }
        _ => {}
    }
    Ok(link)
}
