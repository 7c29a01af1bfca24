//! `viewer { habits habit habitHeatmap }`: the viewer's habits, one habit, its heatmap.
use async_graphql::{Context, InputObject, Object};
use uuid::Uuid;

use super::{Habit, HeatmapDay};
use crate::domain::habits::{
    HabitId, HabitOnDay,
    reads::{self, HabitFilter},
};
use crate::graphql::{
    connection::{AppConnection, listing, page_request},
    context::ContextExt,
    scalars::Date,
};

#[derive(InputObject, Default)]
pub struct HabitFilterInput {
    /// True: live habits only; false: archived ones only.
    active: Option<bool>,
}

/// `viewer { habits habit habitHeatmap }`.
pub struct ViewerHabits;

#[Object]
impl ViewerHabits {
    /// The viewer's habits in their order (`sortOrder`, then oldest first).
    async fn habits(
        &self,
        ctx: &Context<'_>,
        filter: Option<HabitFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<AppConnection<Habit>> {
        let request = page_request(ctx, first, after.as_deref(), last, before.as_deref())?;
        let filter = HabitFilter {
            active: filter.unwrap_or_default().active,
        };
        let db = ctx.reader()?;
        let recent = super::reads_today(&ctx.look_ahead());
        let listed = reads::list(db, ctx.actor()?, filter, request, recent, ctx.now()?).await?;
        let (today, mut recent) = (listed.today, listed.recent);
        Ok(listing(db, listed.listing, |habit| {
            let counts = recent
                .as_mut()
                .map(|r| r.remove(&habit.id).unwrap_or_default());
            let on_day = HabitOnDay { habit, today };
            match counts {
                Some(counts) => Habit::with_counts(on_day, counts),
                None => Habit::from(on_day),
            }
        }))
    }

    /// One of the viewer's habits (NOT_FOUND for anyone else's).
    async fn habit(&self, ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<Habit> {
        Ok(
            reads::find(ctx.reader()?, ctx.actor()?, HabitId(id), ctx.now()?)
                .await?
                .into(),
        )
    }

    /// Completions per local date of one habit, dates without any left out, oldest
    /// first; by default the last 365 days up to today; at most 366 days.
    async fn habit_heatmap(
        &self,
        ctx: &Context<'_>,
        habit_id: Uuid,
        from: Option<Date>,
        to: Option<Date>,
    ) -> async_graphql::Result<Vec<HeatmapDay>> {
        let days = reads::heatmap(
            ctx.reader()?,
            ctx.actor()?,
            HabitId(habit_id),
            from.map(|d| d.0),
            to.map(|d| d.0),
            ctx.now()?,
        )
        .await?;
        Ok(days
            .into_iter()
            .map(|(date, count)| HeatmapDay {
                date: Date(date),
                count,
            })
            .collect())
    }
}
