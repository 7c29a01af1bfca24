//! `viewer { today { date plan calendar dueHabits activeFocusSession quests streaks } }`:
//! the app's home screen in one request, on the viewer's local date (zone and day-start
//! hour). Each field reuses the resolver its own area answers with (the calendar's range,
//! `activeFocusSession`, `quests`, `streaks`), and every relation below it resolves through
//! DataLoaders, so the statements grow with the query's depth, never with the number of
//! items, habits or events.
use async_graphql::{Context, Object};

use super::{plans::DailyPlan, queries::CalendarRange, queries::ViewerCalendar};
use crate::domain::{
    habits::HabitOnDay,
    planning::{
        plans::reads,
        today::{self, Day},
    },
};
use crate::graphql::{
    context::ContextExt,
    focus::{FocusSession, queries::ViewerFocus},
    gamification::{Streak, queries::ViewerRewards},
    habits::Habit,
    quests::{Quest, queries::ViewerQuests},
    scalars::Date,
};

/// The viewer's today.
pub struct Today(Day);

#[Object]
impl Today {
    /// The viewer's local date.
    async fn date(&self) -> Date {
        Date(self.0.date)
    }

    /// Today's plan (empty when none is stored).
    async fn plan(&self, ctx: &Context<'_>) -> async_graphql::Result<DailyPlan> {
        let plan =
            reads::daily_plan(ctx.reader()?, ctx.actor()?, Some(self.0.date), ctx.now()?).await?;
        Ok(plan.into())
    }

    /// The occurrences overlapping today, from the day-start hour to the next day's.
    async fn calendar(&self, ctx: &Context<'_>) -> async_graphql::Result<CalendarRange> {
        ViewerCalendar.calendar(ctx, self.0.from, self.0.to).await
    }

    /// The viewer's active habits scheduled today, in their order (done or not: see
    /// `dueToday`, `completedToday`).
    async fn due_habits(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Habit>> {
        let found = today::due_habits(ctx.reader()?, ctx.actor()?, self.0.date).await?;
        Ok(found
            .into_iter()
            .map(|habit| {
                HabitOnDay {
                    habit,
                    today: self.0.date,
                }
                .into()
            })
            .collect())
    }

    async fn active_focus_session(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<FocusSession>> {
        ViewerFocus.active_focus_session(ctx).await
    }

    /// The quests as `viewer.quests` lists them.
    async fn quests(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Quest>> {
        ViewerQuests.quests(ctx, None).await
    }

    async fn streaks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Streak>> {
        ViewerRewards.streaks(ctx).await
    }
}

/// `viewer { today }`.
pub struct ViewerToday;

#[Object]
impl ViewerToday {
    /// The home screen: today's date, plan, calendar, due habits, focus session, quests
    /// and streaks.
    async fn today(&self, ctx: &Context<'_>) -> async_graphql::Result<Today> {
        Ok(Today(
            today::today(ctx.reader()?, ctx.actor()?, ctx.now()?).await?,
        ))
    }
}
