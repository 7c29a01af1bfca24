//! The goal mutations. Each resolver converts its input, calls one domain function and
//! converts the result; a status change that asks for what already stands changes
//! nothing, so a retry is safe.
use async_graphql::{Context, InputObject, MaybeUndefined, Object, SimpleObject};
use uuid::Uuid;

use super::Goal;
use crate::graphql::gamification::reward::Reward;
use crate::{
    domain::goals::{
        GoalId,
        input::{GoalChanges, NewGoal},
        keeping,
        status::{self, Change},
    },
    graphql::{context::ContextExt, input::change, scalars::Date},
};

#[derive(InputObject)]
pub struct CreateGoalInput {
    /// 1–200 characters.
    title: String,
    description: Option<String>,
    category: Option<String>,
    target_date: Option<Date>,
    /// 0 (none) to 10.
    #[graphql(default)]
    priority: i32,
    /// After the viewer's other goals when omitted.
    sort_order: Option<i32>,
    /// 0–100, by hand (until milestones are added).
    progress: Option<i32>,
}

#[derive(InputObject)]
pub struct UpdateGoalInput {
    goal_id: Uuid,
    title: Option<String>,
    /// Omit to keep, null to clear.
    description: MaybeUndefined<String>,
    category: MaybeUndefined<String>,
    target_date: MaybeUndefined<Date>,
    priority: Option<i32>,
    sort_order: Option<i32>,
    /// Only for a goal without milestones (BAD_USER_INPUT otherwise).
    progress: Option<i32>,
}

#[derive(InputObject)]
pub struct GoalInput {
    goal_id: Uuid,
}

#[derive(InputObject)]
pub struct ReorderGoalsInput {
    /// The viewer's goals in their new order (`sortOrder` 0, 1, …); others keep theirs.
    goal_ids: Vec<Uuid>,
}

/// Payloads that return the goal as it now stands.
macro_rules! goal_payloads {
    ($($name:ident),* $(,)?) => {$(
        #[derive(SimpleObject)]
        pub struct $name {
            goal: Goal,
        }
    )*};
}

goal_payloads!(
    CreateGoalPayload,
    UpdateGoalPayload,
    PauseGoalPayload,
    ResumeGoalPayload,
    UncompleteGoalPayload,
);

#[derive(SimpleObject)]
pub struct CompleteGoalPayload {
    goal: Goal,
    /// What completing it paid (nothing when it was completed already).
    reward: Reward,
}

#[derive(SimpleObject)]
pub struct DeleteGoalPayload {
    deleted_goal_id: Uuid,
}

#[derive(SimpleObject)]
pub struct ReorderGoalsPayload {
    goals: Vec<Goal>,
}

#[derive(Default)]
pub struct GoalsMutation;

impl GoalsMutation {
    async fn change_status(
        ctx: &Context<'_>,
        input: GoalInput,
        change: Change,
    ) -> async_graphql::Result<(Goal, Reward)> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let id = GoalId(input.goal_id);
        let (goal, earned) = status::change(db, actor, settings, id, change, ctx.now()?).await?;
        Ok((goal.into(), earned.into()))
    }
}

#[Object]
impl GoalsMutation {
    async fn create_goal(
        &self,
        ctx: &Context<'_>,
        input: CreateGoalInput,
    ) -> async_graphql::Result<CreateGoalPayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let goal = NewGoal {
            title: input.title,
            description: input.description,
            category: input.category,
            target_date: input.target_date.map(|d| d.0),
            priority: input.priority,
            sort_order: input.sort_order,
            progress: input.progress,
        };
        let goal = keeping::create(db, actor, settings, goal, ctx.now()?).await?;
        Ok(CreateGoalPayload { goal: goal.into() })
    }

    async fn update_goal(
        &self,
        ctx: &Context<'_>,
        input: UpdateGoalInput,
    ) -> async_graphql::Result<UpdateGoalPayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let changes = GoalChanges {
            title: input.title,
            description: change(input.description),
            category: change(input.category),
            target_date: change(input.target_date).map(|d| d.map(|d| d.0)),
            priority: input.priority,
            sort_order: input.sort_order,
            progress: input.progress,
        };
        let id = GoalId(input.goal_id);
        let goal = keeping::update(db, actor, settings, id, changes, ctx.now()?).await?;
        Ok(UpdateGoalPayload { goal: goal.into() })
    }

    /// ACTIVE → PAUSED; a completed goal: CONFLICT (GOAL_COMPLETED).
    async fn pause_goal(
        &self,
        ctx: &Context<'_>,
        input: GoalInput,
    ) -> async_graphql::Result<PauseGoalPayload> {
        let (goal, _) = Self::change_status(ctx, input, Change::Pause).await?;
        Ok(PauseGoalPayload { goal })
    }

    /// PAUSED → ACTIVE; a completed goal: CONFLICT (GOAL_COMPLETED).
    async fn resume_goal(
        &self,
        ctx: &Context<'_>,
        input: GoalInput,
    ) -> async_graphql::Result<ResumeGoalPayload> {
        let (goal, _) = Self::change_status(ctx, input, Change::Resume).await?;
        Ok(ResumeGoalPayload { goal })
    }

    /// → COMPLETED, paying `goal_complete` (once while it stands completed).
    async fn complete_goal(
        &self,
        ctx: &Context<'_>,
        input: GoalInput,
    ) -> async_graphql::Result<CompleteGoalPayload> {
        let (goal, reward) = Self::change_status(ctx, input, Change::Complete).await?;
        Ok(CompleteGoalPayload { goal, reward })
    }

    /// COMPLETED → ACTIVE, taking the completion reward back.
    async fn uncomplete_goal(
        &self,
        ctx: &Context<'_>,
        input: GoalInput,
    ) -> async_graphql::Result<UncompleteGoalPayload> {
        let (goal, _) = Self::change_status(ctx, input, Change::Uncomplete).await?;
        Ok(UncompleteGoalPayload { goal })
    }

    /// Deletes a goal and its milestones; what they paid stays paid.
    async fn delete_goal(
        &self,
        ctx: &Context<'_>,
        input: GoalInput,
    ) -> async_graphql::Result<DeleteGoalPayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let id = keeping::delete(db, actor, settings, GoalId(input.goal_id)).await?;
        Ok(DeleteGoalPayload {
            deleted_goal_id: id.0,
        })
    }

    async fn reorder_goals(
        &self,
        ctx: &Context<'_>,
        input: ReorderGoalsInput,
    ) -> async_graphql::Result<ReorderGoalsPayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let ids = input.goal_ids.into_iter().map(GoalId).collect();
        let goals = keeping::reorder(db, actor, settings, ids, ctx.now()?).await?;
        Ok(ReorderGoalsPayload {
            goals: goals.into_iter().map(Goal::from).collect(),
        })
    }
}
