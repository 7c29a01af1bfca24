//! `CalendarOccurrence`: one occurrence of an event as a range read shows it.
use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};
use chrono_tz::Tz as Zone;
use uuid::Uuid;

use super::{EventType, Fields, midnight};
use crate::domain::planning::calendar::{self, reads::Occurrence};
use crate::graphql::{goals::Goal, habits::Habit, scalars::Date};

/// One occurrence of an event, with an override's changes applied.
pub struct CalendarOccurrence {
    occurrence: Occurrence,
    zone: Zone,
}

impl CalendarOccurrence {
    pub fn new(occurrence: Occurrence, zone: Zone) -> Self {
        Self { occurrence, zone }
    }

    fn fields(&self) -> Fields<'_> {
        Fields {
            row: &self.occurrence.row,
            start: self.occurrence.start,
            end: self.occurrence.end,
            zone: self.zone,
        }
    }
}

#[Object]
impl CalendarOccurrence {
    /// Stable: the series' id and the original start.
    async fn occurrence_id(&self) -> String {
        self.occurrence.id.to_string()
    }

    async fn series_id(&self) -> Uuid {
        self.occurrence.id.series
    }

    /// The start this occurrence has in the series, before any override.
    async fn original_start(&self) -> DateTime<Utc> {
        let original = self.occurrence.id.original_start;
        if self.occurrence.row.all_day {
            midnight(original.date_naive(), self.zone)
        } else {
            original
        }
    }

    /// True when an override changed it.
    async fn is_exception(&self) -> bool {
        self.occurrence.exception
    }

    async fn title(&self) -> &str {
        &self.occurrence.row.title
    }

    async fn description(&self) -> Option<&str> {
        self.occurrence.row.description.as_deref()
    }

    async fn event_type(&self) -> EventType {
        calendar::EventType::stored(&self.occurrence.row.event_type).into()
    }

    async fn start(&self) -> DateTime<Utc> {
        self.fields().start()
    }

    async fn end(&self) -> Option<DateTime<Utc>> {
        self.fields().end()
    }

    async fn start_date(&self) -> Option<Date> {
        let f = self.fields();
        f.date(Some(f.start))
    }

    async fn end_date(&self) -> Option<Date> {
        let f = self.fields();
        f.date(f.end)
    }

    async fn all_day(&self) -> bool {
        self.occurrence.row.all_day
    }

    async fn timezone(&self) -> Option<&str> {
        self.occurrence.row.timezone.as_deref()
    }

    async fn location(&self) -> Option<&str> {
        self.occurrence.row.location.as_deref()
    }

    async fn color(&self) -> Option<&str> {
        self.occurrence.row.color.as_deref()
    }

    async fn reminder_minutes(&self) -> Option<i32> {
        self.occurrence.row.reminder_minutes
    }

    async fn habit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Habit>> {
        self.fields().habit(ctx).await
    }

    async fn goal(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Goal>> {
        self.fields().goal(ctx).await
    }
}
