//! `DailyPlan` and `PlanItem`: a day's plan as the viewer reads it. An item's `ref`
//! resolves live through DataLoaders to the viewer's habit (as of their today), goal,
//! milestone or calendar occurrence; a target deleted since reads as null, the item stays.
use async_graphql::{Context, Enum, Object, Union};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::CalendarOccurrence;
use crate::domain::{
    UserId,
    auth::preferences::Preferences,
    habits::HabitOnDay,
    planning::{
        calendar::{
            ExceptionMeta, OccurrenceId,
            reads::Occurrence,
            timing::{duration_of, occurs_at, rule_of, start_of},
        },
        plans::{self, ItemRef, PlanView, items::format_time},
    },
};
use crate::graphql::{
    context::ContextExt,
    goals::{Goal, Milestone},
    habits::Habit,
    loaders::owned_error,
    scalars::Date,
};

/// What a plan item is.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum PlanItemKind {
    Task,
    Habit,
    Goal,
    Milestone,
    Focus,
    Event,
    Break,
}

impl From<PlanItemKind> for plans::ItemKind {
    fn from(k: PlanItemKind) -> Self {
        match k {
            PlanItemKind::Task => Self::Task,
            PlanItemKind::Habit => Self::Habit,
            PlanItemKind::Goal => Self::Goal,
            PlanItemKind::Milestone => Self::Milestone,
            PlanItemKind::Focus => Self::Focus,
            PlanItemKind::Event => Self::Event,
            PlanItemKind::Break => Self::Break,
        }
    }
}

impl From<plans::ItemKind> for PlanItemKind {
    fn from(k: plans::ItemKind) -> Self {
        use plans::ItemKind as K;
        match k {
            K::Task => Self::Task,
            K::Habit => Self::Habit,
            K::Goal => Self::Goal,
            K::Milestone => Self::Milestone,
            K::Focus => Self::Focus,
            K::Event => Self::Event,
            K::Break => Self::Break,
        }
    }
}

/// What a plan item links to, live.
// Built once per item and handed straight to the executor: boxing the occurrence would
// only add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Union)]
pub enum PlanItemTarget {
    Habit(Habit),
    Goal(Goal),
    Milestone(Milestone),
    Occurrence(CalendarOccurrence),
}

/// A day's plan: one per local date; a date without one reads as an empty plan.
pub struct DailyPlan(pub PlanView);

impl From<PlanView> for DailyPlan {
    fn from(plan: PlanView) -> Self {
        Self(plan)
    }
}

#[Object]
impl DailyPlan {
    /// Null while the date has no stored plan.
    async fn id(&self) -> Option<Uuid> {
        self.0.id
    }

    /// The viewer's local date.
    async fn date(&self) -> Date {
        Date(self.0.date)
    }

    /// In their order (`position` 0, 1, …); at most 100.
    async fn items(&self) -> Vec<PlanItem> {
        self.0
            .items
            .iter()
            .enumerate()
            .map(|(position, item)| PlanItem::new(item.clone(), position, &self.0))
            .collect()
    }

    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }

    /// Changes with every change of the plan: send it as `expectedVersion` to make a
    /// change only if nobody changed the plan since (else CONFLICT `PLAN_CHANGED`).
    async fn version(&self) -> &str {
        &self.0.version
    }

    async fn done_count(&self) -> usize {
        self.0.items.iter().filter(|i| i.done).count()
    }

    /// The minutes of all items with a duration.
    async fn planned_minutes(&self) -> i32 {
        self.0.items.iter().filter_map(|i| i.duration_minutes).sum()
    }

    async fn updated_at(&self) -> Option<DateTime<Utc>> {
        self.0.updated_at
    }
}

/// One item of a day's plan.
pub struct PlanItem {
    item: plans::PlanItem,
    position: usize,
    date: NaiveDate,
    prefs: Preferences,
}

impl PlanItem {
    pub fn new(item: plans::PlanItem, position: usize, plan: &PlanView) -> Self {
        Self {
            item,
            position,
            date: plan.date,
            prefs: plan.prefs,
        }
    }

    /// The item as `plan` now holds it (its position there).
    pub fn in_plan(plan: &PlanView, id: Uuid) -> Option<Self> {
        plan.item(id)
            .map(|(position, item)| Self::new(item.clone(), position, plan))
    }
}

#[Object]
impl PlanItem {
    async fn id(&self) -> Uuid {
        self.item.id
    }

    async fn kind(&self) -> PlanItemKind {
        self.item.kind.into()
    }

    async fn title(&self) -> &str {
        &self.item.title
    }

    /// A local wall-clock time `HH:MM` on the plan's date.
    async fn start_time(&self) -> Option<String> {
        self.item.start_time.map(format_time)
    }

    /// The instant `startTime` is on the plan's date in the viewer's zone (a time before
    /// their day-start hour is the next calendar morning).
    async fn starts_at(&self) -> Option<DateTime<Utc>> {
        plans::starts_at(&self.prefs, self.date, self.item.start_time?)
    }

    async fn duration_minutes(&self) -> Option<i32> {
        self.item.duration_minutes
    }

    async fn done(&self) -> bool {
        self.item.done
    }

    async fn done_at(&self) -> Option<DateTime<Utc>> {
        self.item.done_at
    }

    /// Its place in the plan, from 0.
    async fn position(&self) -> usize {
        self.position
    }

    /// The date it was carried over from, when it was.
    async fn carried_from(&self) -> Option<Date> {
        self.item.carried_from.map(Date)
    }

    /// The template it was copied from, when it was.
    async fn template_id(&self) -> Option<Uuid> {
        self.item.source.map(|s| s.template)
    }

    /// The viewer's habit, goal, milestone or calendar occurrence it links to, live; null
    /// when it links to nothing or the target is gone.
    #[graphql(name = "ref")]
    async fn item_ref(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PlanItemTarget>> {
        let Some(target) = self.item.item_ref else {
            return Ok(None);
        };
        let viewer = ctx.actor()?.require_user()?;
        let loaders = ctx.loaders()?;
        Ok(match target {
            ItemRef::Habit(id) => {
                let found = loaders.habits().load_one(id).await.map_err(owned_error)?;
                let today = self.prefs.local_date(ctx.now()?);
                found
                    .filter(|h| h.user_id == viewer.0)
                    .map(|habit| PlanItemTarget::Habit(HabitOnDay { habit, today }.into()))
            }
            ItemRef::Goal(id) => {
                let found = loaders.goals().load_one(id).await.map_err(owned_error)?;
                found
                    .filter(|g| g.user_id == viewer.0)
                    .map(|g| PlanItemTarget::Goal(g.into()))
            }
            ItemRef::Milestone(id) => {
                let found = loaders
                    .milestones_by_id()
                    .load_one(id)
                    .await
                    .map_err(owned_error)?;
                let Some(milestone) = found else {
                    return Ok(None);
                };
                let goal = loaders
                    .goals()
                    .load_one(milestone.goal_id)
                    .await
                    .map_err(owned_error)?;
                goal.filter(|g| g.user_id == viewer.0)
                    .map(|_| PlanItemTarget::Milestone(milestone.into()))
            }
            ItemRef::Occurrence(id) => occurrence(ctx, viewer, id, self.prefs)
                .await?
                .map(PlanItemTarget::Occurrence),
        })
    }
}

/// The occurrence `id` of one of the viewer's events as it stands (an override applied);
/// none when the series is gone, cancelled there, or no longer occurs then.
async fn occurrence(
    ctx: &Context<'_>,
    viewer: UserId,
    id: OccurrenceId,
    prefs: Preferences,
) -> async_graphql::Result<Option<CalendarOccurrence>> {
    let loaders = ctx.loaders()?;
    let series = loaders
        .calendar_events()
        .load_one(id.series)
        .await
        .map_err(owned_error)?
        .filter(|s| s.user_id == viewer.0 && s.parent_event_id.is_none());
    let Some(series) = series else {
        return Ok(None);
    };
    let exceptions = loaders
        .calendar_exceptions()
        .load_one(series.id)
        .await
        .map_err(owned_error)?
        .unwrap_or_default();
    let exception = exceptions
        .into_iter()
        .find(|row| ExceptionMeta::of(row).original_start == Some(id.original_start));
    if let Some(row) = exception {
        if ExceptionMeta::of(&row).cancelled {
            return Ok(None);
        }
        let occurrence = Occurrence::of_exception(id, row);
        return Ok(Some(CalendarOccurrence::new(occurrence, prefs.time_zone)));
    }
    let occurs = match rule_of(&series)? {
        None => start_of(&series) == id.original_start,
        Some(rule) => occurs_at(&series, Some(&rule), id.original_start),
    };
    if !occurs {
        return Ok(None);
    }
    let end = series
        .end_time
        .map(|_| id.original_start + duration_of(&series));
    let occurrence = Occurrence {
        id,
        start: id.original_start,
        end,
        row: series,
        exception: false,
    };
    Ok(Some(CalendarOccurrence::new(occurrence, prefs.time_zone)))
}
