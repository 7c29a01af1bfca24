//! The habit mutations: keeping habits (create, update, archive, delete, reorder) and
//! logging them (`completeHabit`, `undoHabitCompletion`). Each resolver parses its input,
//! calls one domain function and converts the result.
use async_graphql::{Context, InputObject, MaybeUndefined, Object, SimpleObject};
use uuid::Uuid;

use super::{Habit, HabitCompletion, HabitFrequency};
use crate::graphql::gamification::reward::Reward;
use crate::{
    domain::habits::{
        CompletionId, HabitId, completions,
        input::{HabitChanges, NewCompletion, NewHabit},
        keeping,
    },
    graphql::{context::ContextExt, input::change, scalars::Date},
};

#[derive(InputObject)]
pub struct CreateHabitInput {
    /// 1–100 characters.
    name: String,
    description: Option<String>,
    #[graphql(default_with = "HabitFrequency::Daily")]
    frequency: HabitFrequency,
    /// Completions each period asks for, 1–100.
    #[graphql(default = 1)]
    target_count: i32,
    /// Required for CUSTOM (0 = Sunday … 6 = Saturday), refused otherwise.
    custom_days: Option<Vec<i32>>,
    icon: Option<String>,
    /// Hex, `#rgb` or `#rrggbb`.
    color: Option<String>,
    /// After the viewer's other habits when omitted.
    sort_order: Option<i32>,
}

#[derive(SimpleObject)]
pub struct CreateHabitPayload {
    habit: Habit,
}

#[derive(InputObject)]
pub struct UpdateHabitInput {
    habit_id: Uuid,
    name: Option<String>,
    /// Omit to keep, null to clear.
    description: MaybeUndefined<String>,
    /// Changing the schedule or the target recounts the streak under the new one.
    frequency: Option<HabitFrequency>,
    target_count: Option<i32>,
    /// A CUSTOM habit keeps its days unless new ones are sent.
    custom_days: MaybeUndefined<Vec<i32>>,
    icon: MaybeUndefined<String>,
    color: MaybeUndefined<String>,
    sort_order: Option<i32>,
}

#[derive(SimpleObject)]
pub struct UpdateHabitPayload {
    habit: Habit,
}

#[derive(InputObject)]
pub struct HabitInput {
    habit_id: Uuid,
}

#[derive(SimpleObject)]
pub struct ArchiveHabitPayload {
    habit: Habit,
}

#[derive(SimpleObject)]
pub struct UnarchiveHabitPayload {
    habit: Habit,
}

#[derive(SimpleObject)]
pub struct DeleteHabitPayload {
    deleted_habit_id: Uuid,
}

#[derive(InputObject)]
pub struct ReorderHabitsInput {
    /// The viewer's habits in their new order (`sortOrder` 0, 1, …); others keep theirs.
    habit_ids: Vec<Uuid>,
}

#[derive(SimpleObject)]
pub struct ReorderHabitsPayload {
    habits: Vec<Habit>,
}

#[derive(InputObject)]
pub struct CompleteHabitInput {
    habit_id: Uuid,
    /// The local date it counts for: today (the default) or yesterday.
    date: Option<Date>,
    notes: Option<String>,
    /// One per submission: a retry with the same key returns the first completion and
    /// pays nothing more.
    idempotency_key: Option<String>,
}

#[derive(SimpleObject)]
pub struct CompleteHabitPayload {
    completion: HabitCompletion,
    habit: Habit,
    /// True when the key was used before: nothing new was logged or paid.
    repeated: bool,
    /// What the completion earned (for a repeat, what the first call paid).
    reward: Reward,
}

#[derive(InputObject)]
pub struct UndoHabitCompletionInput {
    completion_id: Uuid,
}

#[derive(SimpleObject)]
pub struct UndoHabitCompletionPayload {
    undone_completion_id: Uuid,
    habit: Habit,
}

impl From<CreateHabitInput> for NewHabit {
    fn from(input: CreateHabitInput) -> Self {
        Self {
            name: input.name,
            description: input.description,
            frequency: input.frequency.into(),
            target_count: input.target_count,
            custom_days: input.custom_days,
            icon: input.icon,
            color: input.color,
            sort_order: input.sort_order,
        }
    }
}

impl From<UpdateHabitInput> for HabitChanges {
    fn from(input: UpdateHabitInput) -> Self {
        Self {
            name: input.name,
            description: change(input.description),
            frequency: input.frequency.map(Into::into),
            custom_days: change(input.custom_days),
            target_count: input.target_count,
            icon: change(input.icon),
            color: change(input.color),
            sort_order: input.sort_order,
        }
    }
}

#[derive(Default)]
pub struct HabitsMutation;

#[Object]
impl HabitsMutation {
    async fn create_habit(
        &self,
        ctx: &Context<'_>,
        input: CreateHabitInput,
    ) -> async_graphql::Result<CreateHabitPayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let habit = keeping::create(db, actor, settings, input.into(), ctx.now()?).await?;
        Ok(CreateHabitPayload {
            habit: habit.into(),
        })
    }

    async fn update_habit(
        &self,
        ctx: &Context<'_>,
        input: UpdateHabitInput,
    ) -> async_graphql::Result<UpdateHabitPayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let id = HabitId(input.habit_id);
        let habit = keeping::update(db, actor, settings, id, input.into(), ctx.now()?).await?;
        Ok(UpdateHabitPayload {
            habit: habit.into(),
        })
    }

    /// Archives a habit: it leaves `habits(filter: {active: true})` and takes no
    /// completions; its history stays.
    async fn archive_habit(
        &self,
        ctx: &Context<'_>,
        input: HabitInput,
    ) -> async_graphql::Result<ArchiveHabitPayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let id = HabitId(input.habit_id);
        let habit = keeping::set_active(db, actor, settings, id, false, ctx.now()?).await?;
        Ok(ArchiveHabitPayload {
            habit: habit.into(),
        })
    }

    async fn unarchive_habit(
        &self,
        ctx: &Context<'_>,
        input: HabitInput,
    ) -> async_graphql::Result<UnarchiveHabitPayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let id = HabitId(input.habit_id);
        let habit = keeping::set_active(db, actor, settings, id, true, ctx.now()?).await?;
        Ok(UnarchiveHabitPayload {
            habit: habit.into(),
        })
    }

    /// Deletes a habit and its completions; what they paid stays paid.
    async fn delete_habit(
        &self,
        ctx: &Context<'_>,
        input: HabitInput,
    ) -> async_graphql::Result<DeleteHabitPayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let id = keeping::delete(db, actor, settings, HabitId(input.habit_id), ctx.now()?).await?;
        Ok(DeleteHabitPayload {
            deleted_habit_id: id.0,
        })
    }

    async fn reorder_habits(
        &self,
        ctx: &Context<'_>,
        input: ReorderHabitsInput,
    ) -> async_graphql::Result<ReorderHabitsPayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let ids = input.habit_ids.into_iter().map(HabitId).collect();
        let habits = keeping::reorder(db, actor, settings, ids, ctx.now()?).await?;
        Ok(ReorderHabitsPayload {
            habits: habits.into_iter().map(Habit::from).collect(),
        })
    }

    /// Logs a habit done for today or yesterday. Past the period's target: CONFLICT
    /// (HABIT_TARGET_REACHED); an archived habit: CONFLICT (HABIT_ARCHIVED); a key whose
    /// completion was undone: CONFLICT (IDEMPOTENCY_KEY_REUSED).
    async fn complete_habit(
        &self,
        ctx: &Context<'_>,
        input: CompleteHabitInput,
    ) -> async_graphql::Result<CompleteHabitPayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let completion = NewCompletion {
            date: input.date.map(|d| d.0),
            notes: input.notes,
            idempotency_key: input.idempotency_key,
        };
        let id = HabitId(input.habit_id);
        let done = completions::complete(db, actor, settings, id, completion, ctx.now()?).await?;
        let habit = match done.counts {
            Some(counts) => Habit::with_counts(done.habit, counts),
            None => done.habit.into(),
        };
        Ok(CompleteHabitPayload {
            completion: done.completion.into(),
            habit,
            repeated: done.repeated,
            reward: done.earned.into(),
        })
    }

    /// Takes a completion back with what it paid (and a streak bonus it no longer
    /// earns); the streaks are recounted.
    async fn undo_habit_completion(
        &self,
        ctx: &Context<'_>,
        input: UndoHabitCompletionInput,
    ) -> async_graphql::Result<UndoHabitCompletionPayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let id = CompletionId(input.completion_id);
        let undone = completions::undo(db, actor, settings, id, ctx.now()?).await?;
        Ok(UndoHabitCompletionPayload {
            undone_completion_id: id.0,
            habit: Habit::with_counts(undone.habit, undone.counts),
        })
    }
}
