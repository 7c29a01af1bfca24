//! Habits over GraphQL, along `domain/habits`: the objects here; `viewer { habits habit
//! habitHeatmap }` in `queries`, the habit mutations in `mutations`.
//! A `Habit` carries its owner's local today, which `dueToday`, `completedToday`,
//! `progressThisPeriod` and a live `currentStreak` are measured against; its relations
//! resolve through DataLoaders.
pub mod loaders;
pub mod mutations;
pub mod queries;

use std::sync::Arc;

use async_graphql::{Context, Enum, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{habit_completions, habits};
use uuid::Uuid;

use crate::domain::clock::utc;
use crate::domain::habits::{
    HabitOnDay,
    reads::{self, DateRange},
    schedule::Frequency,
    schedule_of,
    streak::{Counts, Today},
};
use crate::graphql::{context::ContextExt, loaders::owned_error, scalars::Date};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum HabitFrequency {
    /// Every day is a period.
    Daily,
    /// Every ISO week (Monday to Sunday) is a period.
    Weekly,
    /// Each weekday in `customDays` is a period; other days are none.
    Custom,
}

impl From<HabitFrequency> for Frequency {
    fn from(f: HabitFrequency) -> Self {
        match f {
            HabitFrequency::Daily => Self::Daily,
            HabitFrequency::Weekly => Self::Weekly,
            HabitFrequency::Custom => Self::Custom,
        }
    }
}

impl From<Frequency> for HabitFrequency {
    fn from(f: Frequency) -> Self {
        match f {
            Frequency::Daily => Self::Daily,
            Frequency::Weekly => Self::Weekly,
            Frequency::Custom => Self::Custom,
        }
    }
}

/// A habit the viewer keeps.
pub struct Habit {
    row: habits::Model,
    today: NaiveDate,
    /// Its completions per date, when the call that answers already read them.
    known: Option<Arc<Counts>>,
}

impl From<HabitOnDay> for Habit {
    fn from(h: HabitOnDay) -> Self {
        Self {
            row: h.habit,
            today: h.today,
            known: None,
        }
    }
}

impl Habit {
    /// The habit with its completions per date as the call that answers read them (a
    /// write's history, or a page's recent counts).
    pub fn with_counts(h: HabitOnDay, counts: Counts) -> Self {
        Self {
            known: Some(Arc::new(counts)),
            ..h.into()
        }
    }
}

/// The fields of a `Habit` measured on the viewer's today from its recent completions.
const MEASURED_TODAY: [&str; 4] = [
    "currentStreak",
    "dueToday",
    "completedToday",
    "progressThisPeriod",
];

/// Whether a connection of habits, as `connection` looks ahead, selects a field measured
/// on today (its edges' nodes or its nodes): then the page reads recent counts along.
fn reads_today(connection: &async_graphql::Lookahead<'_>) -> bool {
    let edges = connection.field("edges").field("node");
    let nodes = connection.field("nodes");
    MEASURED_TODAY
        .iter()
        .any(|field| edges.field(field).exists() || nodes.field(field).exists())
}

impl Habit {
    /// The habit on the viewer's today, from its recent completions (batched).
    async fn on_today(&self, ctx: &Context<'_>) -> async_graphql::Result<Today> {
        if let Some(known) = &self.known {
            return Ok(self.today_of(known));
        }
        let since = reads::recent_since(self.today);
        let recent = ctx
            .loaders()?
            .recent_counts()
            .load_one((self.row.id, since))
            .await
            .map_err(owned_error)?
            .unwrap_or_default();
        Ok(self.today_of(&recent))
    }

    fn today_of(&self, counts: &Counts) -> Today {
        Today::of(
            schedule_of(&self.row),
            self.row.target_count,
            self.row.current_streak,
            counts,
            self.today,
        )
    }
}

#[Object]
impl Habit {
    async fn id(&self) -> Uuid {
        self.row.id
    }

    async fn name(&self) -> &str {
        &self.row.name
    }

    async fn description(&self) -> Option<&str> {
        self.row.description.as_deref()
    }

    async fn frequency(&self) -> HabitFrequency {
        schedule_of(&self.row).frequency().into()
    }

    /// Completions each period asks for.
    async fn target_count(&self) -> i32 {
        self.row.target_count
    }

    /// The weekdays of a CUSTOM habit, 0 = Sunday … 6 = Saturday; null otherwise.
    async fn custom_days(&self) -> Option<Vec<i32>> {
        schedule_of(&self.row).custom_days().map(|d| d.to_vec())
    }

    async fn icon(&self) -> Option<&str> {
        self.row.icon.as_deref()
    }

    /// Hex, `#rgb` or `#rrggbb`.
    async fn color(&self) -> Option<&str> {
        self.row.color.as_deref()
    }

    /// False once archived: an archived habit takes no completions.
    async fn is_active(&self) -> bool {
        self.row.is_active
    }

    /// Periods met in a row up to the current or the last closed period; 0 once a period
    /// ended unmet (unscheduled days of a CUSTOM habit never break it).
    async fn current_streak(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        Ok(self.on_today(ctx).await?.current_streak)
    }

    async fn longest_streak(&self) -> i32 {
        self.row.longest_streak
    }

    async fn last_completed_at(&self) -> Option<DateTime<Utc>> {
        self.row.last_completed_at.as_ref().map(utc)
    }

    /// The viewer's order (ascending).
    async fn sort_order(&self) -> i32 {
        self.row.sort_order
    }

    async fn created_at(&self) -> DateTime<Utc> {
        utc(&self.row.created_at)
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        utc(&self.row.updated_at)
    }

    /// Completions dated `from`–`to` (both included, local dates), oldest first; by
    /// default the last 30 days up to today; at most 366 days.
    async fn completions(
        &self,
        ctx: &Context<'_>,
        from: Option<Date>,
        to: Option<Date>,
    ) -> async_graphql::Result<Vec<HabitCompletion>> {
        let range = DateRange::parse(from.map(|d| d.0), to.map(|d| d.0), self.today, 30)?;
        let rows = ctx
            .loaders()?
            .completions()
            .load_one((self.row.id, range))
            .await
            .map_err(owned_error)?
            .unwrap_or_default();
        Ok(rows.into_iter().map(HabitCompletion::from).collect())
    }

    /// Scheduled today and its period's target not reached yet (false once archived).
    async fn due_today(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(self.row.is_active && self.on_today(ctx).await?.due)
    }

    /// At least one completion is dated today.
    async fn completed_today(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(self.on_today(ctx).await?.completed)
    }

    /// Completions so far in the period holding today: today's, or this ISO week's.
    async fn progress_this_period(&self, ctx: &Context<'_>) -> async_graphql::Result<u32> {
        Ok(self.on_today(ctx).await?.progress)
    }
}

/// One logged completion of a habit.
#[derive(SimpleObject)]
pub struct HabitCompletion {
    id: Uuid,
    habit_id: Uuid,
    /// When it was logged.
    completed_at: DateTime<Utc>,
    /// The viewer's local date it counts for.
    completed_date: Date,
    notes: Option<String>,
}

impl From<habit_completions::Model> for HabitCompletion {
    fn from(row: habit_completions::Model) -> Self {
        Self {
            id: row.id,
            habit_id: row.habit_id,
            completed_at: utc(&row.completed_at),
            completed_date: Date(row.completed_date),
            notes: row.notes,
        }
    }
}

/// Completions on one local date.
#[derive(SimpleObject)]
pub struct HeatmapDay {
    date: Date,
    count: u32,
}
