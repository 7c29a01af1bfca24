//! `viewer { calendar calendarEvent hasCalendarFeed }`: occurrences in a window, one event,
//! and whether a feed is live.
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{CalendarEvent, CalendarOccurrence};
use crate::domain::planning::calendar::{EventId, feed, reads};
use crate::graphql::context::ContextExt;

/// The occurrences overlapping a window.
#[derive(SimpleObject)]
pub struct CalendarRange {
    /// Ordered by start; at most 2,000.
    occurrences: Vec<CalendarOccurrence>,
    /// More occurrences overlap the window than are listed.
    truncated: bool,
}

/// `viewer { calendar calendarEvent hasCalendarFeed }`.
pub struct ViewerCalendar;

#[Object]
impl ViewerCalendar {
    /// Occurrences overlapping `[from, to)` (at most 366 days), including those that began
    /// before `from`; overrides applied, cancellations left out.
    pub async fn calendar(
        &self,
        ctx: &Context<'_>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> async_graphql::Result<CalendarRange> {
        let settings = &ctx.identity()?.settings;
        let range = reads::calendar(ctx.reader()?, ctx.actor()?, settings, from, to).await?;
        let zone = range.viewer_zone;
        Ok(CalendarRange {
            occurrences: range
                .occurrences
                .into_iter()
                .map(|occurrence| CalendarOccurrence::new(occurrence, zone))
                .collect(),
            truncated: range.truncated,
        })
    }

    /// One of the viewer's events (NOT_FOUND for anyone else's).
    async fn calendar_event(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
    ) -> async_graphql::Result<CalendarEvent> {
        let settings = &ctx.identity()?.settings;
        Ok(
            reads::find(ctx.reader()?, ctx.actor()?, settings, EventId(id))
                .await?
                .into(),
        )
    }

    /// Whether the viewer has a live calendar feed (its URL is shown only when created).
    async fn has_calendar_feed(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let settings = &ctx.identity()?.settings;
        Ok(feed::exists(ctx.reader()?, ctx.actor()?, settings).await?)
    }
}
