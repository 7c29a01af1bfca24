//! The milestone mutations: add, edit, reorder, delete, complete, uncomplete. Each
//! payload carries the goal, whose progress follows its milestones; completing what is
//! already complete (or the reverse) changes nothing, so a retry is safe.
use async_graphql::{Context, InputObject, MaybeUndefined, Object, SimpleObject};
use uuid::Uuid;

use super::{Goal, Milestone};
use crate::graphql::gamification::reward::Reward;
use crate::{
    domain::goals::{
        GoalId, MilestoneId,
        input::MilestoneChanges,
        milestones::{self, MilestoneInGoal},
    },
    graphql::{context::ContextExt, input::change},
};

#[derive(InputObject)]
pub struct AddMilestoneInput {
    goal_id: Uuid,
    /// 1–200 characters.
    title: String,
    description: Option<String>,
    /// After the goal's other milestones when omitted.
    sort_order: Option<i32>,
}

#[derive(InputObject)]
pub struct UpdateMilestoneInput {
    milestone_id: Uuid,
    title: Option<String>,
    /// Omit to keep, null to clear.
    description: MaybeUndefined<String>,
    sort_order: Option<i32>,
}

#[derive(InputObject)]
pub struct MilestoneInput {
    milestone_id: Uuid,
}

#[derive(InputObject)]
pub struct ReorderMilestonesInput {
    goal_id: Uuid,
    /// Milestones of that goal in their new order; the goal's others keep theirs.
    milestone_ids: Vec<Uuid>,
}

#[derive(SimpleObject)]
pub struct ReorderMilestonesPayload {
    goal: Goal,
}

/// Payloads that return a milestone and its goal (whose progress may have moved).
macro_rules! milestone_payloads {
    ($($name:ident),* $(,)?) => {$(
        #[derive(SimpleObject)]
        pub struct $name {
            milestone: Milestone,
            goal: Goal,
        }

        impl From<MilestoneInGoal> for $name {
            fn from(m: MilestoneInGoal) -> Self {
                Self {
                    milestone: m.milestone.into(),
                    goal: m.goal.into(),
                }
            }
        }
    )*};
}

milestone_payloads!(
    AddMilestonePayload,
    UpdateMilestonePayload,
    UncompleteMilestonePayload,
);

#[derive(SimpleObject)]
pub struct CompleteMilestonePayload {
    milestone: Milestone,
    goal: Goal,
    /// What completing it paid (nothing when it was done already).
    reward: Reward,
}

#[derive(SimpleObject)]
pub struct DeleteMilestonePayload {
    deleted_milestone_id: Uuid,
    goal: Goal,
}

#[derive(Default)]
pub struct MilestonesMutation;

impl MilestonesMutation {
    async fn set_milestone_done(
        ctx: &Context<'_>,
        input: MilestoneInput,
        done: bool,
    ) -> async_graphql::Result<(MilestoneInGoal, Reward)> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let id = MilestoneId(input.milestone_id);
        let (done, earned) =
            milestones::set_done(db, actor, settings, id, done, ctx.now()?).await?;
        Ok((done, earned.into()))
    }
}

#[Object]
impl MilestonesMutation {
    async fn add_milestone(
        &self,
        ctx: &Context<'_>,
        input: AddMilestoneInput,
    ) -> async_graphql::Result<AddMilestonePayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let fields = MilestoneChanges {
            title: Some(input.title),
            description: Some(input.description),
            sort_order: input.sort_order,
        };
        let goal = GoalId(input.goal_id);
        Ok(
            milestones::add(db, actor, settings, goal, fields, ctx.now()?)
                .await?
                .into(),
        )
    }

    async fn update_milestone(
        &self,
        ctx: &Context<'_>,
        input: UpdateMilestoneInput,
    ) -> async_graphql::Result<UpdateMilestonePayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let fields = MilestoneChanges {
            title: input.title,
            description: change(input.description),
            sort_order: input.sort_order,
        };
        let id = MilestoneId(input.milestone_id);
        Ok(milestones::update(db, actor, settings, id, fields)
            .await?
            .into())
    }

    async fn reorder_milestones(
        &self,
        ctx: &Context<'_>,
        input: ReorderMilestonesInput,
    ) -> async_graphql::Result<ReorderMilestonesPayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let ids = input.milestone_ids.into_iter().map(MilestoneId).collect();
        let goal = milestones::reorder(db, actor, settings, GoalId(input.goal_id), ids).await?;
        Ok(ReorderMilestonesPayload { goal: goal.into() })
    }

    /// Deletes a milestone; what it paid stays paid. The goal's progress follows.
    async fn delete_milestone(
        &self,
        ctx: &Context<'_>,
        input: MilestoneInput,
    ) -> async_graphql::Result<DeleteMilestonePayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let id = MilestoneId(input.milestone_id);
        let goal = milestones::delete(db, actor, settings, id, ctx.now()?).await?;
        Ok(DeleteMilestonePayload {
            deleted_milestone_id: id.0,
            goal: goal.into(),
        })
    }

    /// Marks a milestone done, paying `milestone_done`; the goal's progress follows.
    async fn complete_milestone(
        &self,
        ctx: &Context<'_>,
        input: MilestoneInput,
    ) -> async_graphql::Result<CompleteMilestonePayload> {
        let (done, reward) = Self::set_milestone_done(ctx, input, true).await?;
        Ok(CompleteMilestonePayload {
            milestone: done.milestone.into(),
            goal: done.goal.into(),
            reward,
        })
    }

    /// Marks a milestone not done, taking its reward back.
    async fn uncomplete_milestone(
        &self,
        ctx: &Context<'_>,
        input: MilestoneInput,
    ) -> async_graphql::Result<UncompleteMilestonePayload> {
        Ok(Self::set_milestone_done(ctx, input, false).await?.0.into())
    }
}
