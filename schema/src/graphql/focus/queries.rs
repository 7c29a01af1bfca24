//! The viewer's focus reads: `activeFocusSession`, `focusSessions` (a connection with
//! filters) and `focusStats` (on the user's calendar).
use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::{FocusSession, Status};
use crate::domain::focus::{Snapshot, reads, stats};
use crate::graphql::{
    connection::{AppConnection, listing, page_request},
    context::ContextExt,
    scalars::Date,
};

#[derive(InputObject, Default)]
pub struct FocusSessionFilter {
    status: Option<Status>,
    /// Started at or after (inclusive).
    from: Option<DateTime<Utc>>,
    /// Started before (exclusive).
    to: Option<DateTime<Utc>>,
}

/// Focus on the user's calendar: completed work sessions (breaks are not focus).
#[derive(SimpleObject)]
pub struct FocusStats {
    from: Date,
    to: Date,
    total_focus_seconds: i64,
    sessions_completed: i64,
    /// Every day of the range, in order, days without focus included.
    by_day: Vec<FocusDay>,
}

#[derive(SimpleObject)]
pub struct FocusDay {
    /// A local date in the user's time zone (a day starts at their day-start hour).
    date: Date,
    focus_seconds: i64,
}

impl From<stats::FocusStats> for FocusStats {
    fn from(s: stats::FocusStats) -> Self {
        Self {
            from: Date(s.from),
            to: Date(s.to),
            total_focus_seconds: s.total_focus_seconds,
            sessions_completed: s.sessions_completed,
            by_day: s
                .by_day
                .into_iter()
                .map(|(date, focus_seconds)| FocusDay {
                    date: Date(date),
                    focus_seconds,
                })
                .collect(),
        }
    }
}

/// `viewer { activeFocusSession focusSessions focusStats }`.
pub struct ViewerFocus;

#[Object]
impl ViewerFocus {
    /// The session running or paused now, if any.
    pub async fn active_focus_session(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<FocusSession>> {
        let found = reads::active(ctx.reader()?, ctx.actor()?).await?;
        Ok(found.map(FocusSession::from))
    }

    /// Every session, newest first.
    async fn focus_sessions(
        &self,
        ctx: &Context<'_>,
        filter: Option<FocusSessionFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<AppConnection<FocusSession>> {
        let request = page_request(ctx, first, after.as_deref(), last, before.as_deref())?;
        let filter = filter.unwrap_or_default();
        let filter = reads::SessionFilter {
            status: filter.status.map(Into::into),
            from: filter.from,
            to: filter.to,
        };
        let db = ctx.reader()?;
        let found = reads::list(db, ctx.actor()?, filter, request).await?;
        let mut pauses = reads::pauses_of(db, found.page.items.iter().map(|(_, s)| s.id)).await?;
        Ok(listing(db, found, |session| {
            FocusSession::from(Snapshot {
                pause: pauses.remove(&session.id),
                session,
            })
        }))
    }

    /// Focus from `from` to `to` (local dates, both included; at most 366 days). By
    /// default the last seven days, today included.
    async fn focus_stats(
        &self,
        ctx: &Context<'_>,
        from: Option<Date>,
        to: Option<Date>,
    ) -> async_graphql::Result<FocusStats> {
        let found = stats::stats(
            ctx.reader()?,
            ctx.actor()?,
            from.map(|d| d.0),
            to.map(|d| d.0),
            ctx.now()?,
        )
        .await?;
        Ok(found.into())
    }
}
