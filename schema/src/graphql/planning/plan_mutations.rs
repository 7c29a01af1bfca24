//! The plan mutations, one item at a time: add, update, remove, move (position and/or
//! date), complete, uncomplete; the plan's notes; carrying unfinished items over; the
//! carry-over setting. Every input may name `date` (the viewer's today by default) and
//! `expectedVersion` (CONFLICT `PLAN_CHANGED` when the plan moved on since).
use async_graphql::{Context, InputObject, MaybeUndefined, Object, SimpleObject};
use uuid::Uuid;

use super::plans::{DailyPlan, PlanItem, PlanItemKind};
use crate::domain::planning::plans::{
    carry, completion,
    input::{NewPlanItem, NewRef, PlanItemChanges},
    keeping::{self, Destination, ItemChanged, Target},
};
use crate::graphql::gamification::reward::Reward;
use crate::graphql::{context::ContextExt, input::change, scalars::Date};

/// Which plan a mutation reaches.
pub(super) fn target(date: Option<Date>, expected_version: Option<String>) -> Target {
    Target {
        date: date.map(|d| d.0),
        expected_version,
    }
}

/// An item's own fields, as templates take them.
#[derive(InputObject)]
pub struct PlanItemFields {
    kind: PlanItemKind,
    /// 1–200 characters.
    title: String,
    /// Local `HH:MM`.
    start_time: Option<String>,
    /// 1–1,440.
    duration_minutes: Option<i32>,
}

impl From<PlanItemFields> for NewPlanItem {
    fn from(f: PlanItemFields) -> Self {
        Self {
            kind: f.kind.into(),
            title: f.title,
            start_time: f.start_time,
            duration_minutes: f.duration_minutes,
            item_ref: None,
        }
    }
}

/// What an item links to: exactly one field, of the item's kind (HABIT: `habitId`, GOAL:
/// `goalId`, MILESTONE: `milestoneId`, EVENT: `occurrenceId`). Another user's is NOT_FOUND.
#[derive(InputObject)]
pub struct PlanItemRefInput {
    habit_id: Option<Uuid>,
    goal_id: Option<Uuid>,
    milestone_id: Option<Uuid>,
    occurrence_id: Option<String>,
}

impl From<PlanItemRefInput> for NewRef {
    fn from(r: PlanItemRefInput) -> Self {
        Self {
            habit_id: r.habit_id,
            goal_id: r.goal_id,
            milestone_id: r.milestone_id,
            occurrence_id: r.occurrence_id,
        }
    }
}

#[derive(InputObject)]
pub struct AddPlanItemInput {
    /// The viewer's local date; today by default.
    date: Option<Date>,
    expected_version: Option<String>,
    kind: PlanItemKind,
    /// 1–200 characters.
    title: String,
    /// Local `HH:MM` on that date.
    start_time: Option<String>,
    /// 1–1,440.
    duration_minutes: Option<i32>,
    #[graphql(name = "ref")]
    item_ref: Option<PlanItemRefInput>,
    /// Where it goes (from 0); the end by default.
    position: Option<i32>,
}

#[derive(InputObject)]
pub struct UpdatePlanItemInput {
    date: Option<Date>,
    expected_version: Option<String>,
    item_id: Uuid,
    kind: Option<PlanItemKind>,
    title: Option<String>,
    start_time: MaybeUndefined<String>,
    duration_minutes: MaybeUndefined<i32>,
    #[graphql(name = "ref")]
    item_ref: MaybeUndefined<PlanItemRefInput>,
}

#[derive(InputObject)]
pub struct PlanItemInput {
    date: Option<Date>,
    expected_version: Option<String>,
    item_id: Uuid,
}

#[derive(InputObject)]
pub struct MovePlanItemInput {
    /// The date the item is on; today by default.
    date: Option<Date>,
    expected_version: Option<String>,
    item_id: Uuid,
    /// Another date to move it to (at `position`, or the end).
    to_date: Option<Date>,
    position: Option<i32>,
}

#[derive(InputObject)]
pub struct SetPlanNotesInput {
    date: Option<Date>,
    expected_version: Option<String>,
    /// Blank or null clears them.
    notes: Option<String>,
}

#[derive(InputObject)]
pub struct CarryOverUnfinishedInput {
    /// The date whose undone items move.
    from: Date,
    /// The date they move to; today by default.
    to: Option<Date>,
    /// The target plan's version.
    expected_version: Option<String>,
}

#[derive(InputObject)]
pub struct SetPlanCarryOverInput {
    /// On: the first read of today's plan carries yesterday's unfinished items over.
    enabled: bool,
}

/// An item mutation's answer: the item (as it was, for a removal) and its plan.
#[derive(SimpleObject)]
pub struct PlanItemPayload {
    item: Option<PlanItem>,
    plan: DailyPlan,
    /// What this change paid: a linked habit, goal or milestone completed, and planning's
    /// own rewards (a first plan of the date with three items, a finished plan).
    reward: Reward,
}

impl From<ItemChanged> for PlanItemPayload {
    fn from(changed: ItemChanged) -> Self {
        let reward = changed.earned().into();
        let item = changed.item.map(|item| {
            let position = changed.plan.item(item.id).map_or(0, |(p, _)| p);
            PlanItem::new(item, position, &changed.plan)
        });
        Self {
            reward,
            item,
            plan: changed.plan.into(),
        }
    }
}

#[derive(SimpleObject)]
pub struct DailyPlanPayload {
    plan: DailyPlan,
}

#[derive(SimpleObject)]
pub struct CarryOverUnfinishedPayload {
    plan: DailyPlan,
    /// How many items moved.
    moved: usize,
}

#[derive(SimpleObject)]
pub struct SetPlanCarryOverPayload {
    enabled: bool,
}

#[derive(Default)]
pub struct PlansMutation;

#[Object]
impl PlansMutation {
    async fn add_plan_item(
        &self,
        ctx: &Context<'_>,
        input: AddPlanItemInput,
    ) -> async_graphql::Result<PlanItemPayload> {
        let settings = &ctx.identity()?.settings;
        let new = NewPlanItem {
            kind: input.kind.into(),
            title: input.title,
            start_time: input.start_time,
            duration_minutes: input.duration_minutes,
            item_ref: input.item_ref.map(Into::into),
        };
        let target = target(input.date, input.expected_version);
        let (db, actor, now) = (ctx.db()?, ctx.actor()?, ctx.now()?);
        Ok(
            keeping::add(db, actor, settings, target, new, input.position, now)
                .await?
                .into(),
        )
    }

    /// Omitted fields stay; null clears `startTime`, `durationMinutes`, `ref`.
    async fn update_plan_item(
        &self,
        ctx: &Context<'_>,
        input: UpdatePlanItemInput,
    ) -> async_graphql::Result<PlanItemPayload> {
        let settings = &ctx.identity()?.settings;
        let changes = PlanItemChanges {
            kind: input.kind.map(Into::into),
            title: input.title,
            start_time: change(input.start_time),
            duration_minutes: change(input.duration_minutes),
            item_ref: change(input.item_ref).map(|r| r.map(Into::into)),
        };
        let target = target(input.date, input.expected_version);
        let (db, actor, now) = (ctx.db()?, ctx.actor()?, ctx.now()?);
        Ok(
            keeping::update(db, actor, settings, target, input.item_id, changes, now)
                .await?
                .into(),
        )
    }

    /// What planning paid stays paid; a habit the item completed stays completed.
    async fn remove_plan_item(
        &self,
        ctx: &Context<'_>,
        input: PlanItemInput,
    ) -> async_graphql::Result<PlanItemPayload> {
        let settings = &ctx.identity()?.settings;
        let target = target(input.date, input.expected_version);
        let (db, actor, now) = (ctx.db()?, ctx.actor()?, ctx.now()?);
        Ok(
            keeping::remove(db, actor, settings, target, input.item_id, now)
                .await?
                .into(),
        )
    }

    async fn move_plan_item(
        &self,
        ctx: &Context<'_>,
        input: MovePlanItemInput,
    ) -> async_graphql::Result<PlanItemPayload> {
        let settings = &ctx.identity()?.settings;
        let target = target(input.date, input.expected_version);
        let (db, actor, now) = (ctx.db()?, ctx.actor()?, ctx.now()?);
        let destination = Destination {
            date: input.to_date.map(|d| d.0),
            position: input.position,
        };
        Ok(
            keeping::move_item(db, actor, settings, target, input.item_id, destination, now)
                .await?
                .into(),
        )
    }

    /// Marks an item done; a linked habit, goal or milestone is completed through its own
    /// rules (and pays once). Completing a done item changes nothing.
    async fn complete_plan_item(
        &self,
        ctx: &Context<'_>,
        input: PlanItemInput,
    ) -> async_graphql::Result<PlanItemPayload> {
        let settings = &ctx.identity()?.settings;
        let target = target(input.date, input.expected_version);
        let (db, actor, now) = (ctx.db()?, ctx.actor()?, ctx.now()?);
        Ok(
            completion::complete(db, actor, settings, target, input.item_id, now)
                .await?
                .into(),
        )
    }

    /// Undoes a completion, and what it did to a linked habit, goal or milestone.
    async fn uncomplete_plan_item(
        &self,
        ctx: &Context<'_>,
        input: PlanItemInput,
    ) -> async_graphql::Result<PlanItemPayload> {
        let settings = &ctx.identity()?.settings;
        let target = target(input.date, input.expected_version);
        let (db, actor, now) = (ctx.db()?, ctx.actor()?, ctx.now()?);
        Ok(
            completion::uncomplete(db, actor, settings, target, input.item_id, now)
                .await?
                .into(),
        )
    }

    async fn set_plan_notes(
        &self,
        ctx: &Context<'_>,
        input: SetPlanNotesInput,
    ) -> async_graphql::Result<DailyPlanPayload> {
        let settings = &ctx.identity()?.settings;
        let target = target(input.date, input.expected_version);
        let (db, actor, now) = (ctx.db()?, ctx.actor()?, ctx.now()?);
        let plan = keeping::set_notes(db, actor, settings, target, input.notes, now).await?;
        Ok(DailyPlanPayload { plan: plan.into() })
    }

    /// Moves `from`'s undone items after `to`'s own, each marked `carriedFrom`.
    async fn carry_over_unfinished(
        &self,
        ctx: &Context<'_>,
        input: CarryOverUnfinishedInput,
    ) -> async_graphql::Result<CarryOverUnfinishedPayload> {
        let settings = &ctx.identity()?.settings;
        let target = target(input.to, input.expected_version);
        let (db, actor, now) = (ctx.db()?, ctx.actor()?, ctx.now()?);
        let carried = carry::carry_over(db, actor, settings, input.from.0, target, now).await?;
        Ok(CarryOverUnfinishedPayload {
            plan: carried.plan.into(),
            moved: carried.moved,
        })
    }

    async fn set_plan_carry_over(
        &self,
        ctx: &Context<'_>,
        input: SetPlanCarryOverInput,
    ) -> async_graphql::Result<SetPlanCarryOverPayload> {
        let settings = &ctx.identity()?.settings;
        let enabled =
            carry::set_auto(ctx.db()?, ctx.actor()?, settings, input.enabled, ctx.now()?).await?;
        Ok(SetPlanCarryOverPayload { enabled })
    }
}
