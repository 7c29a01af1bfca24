//! The viewer's reads: one event, and the occurrences overlapping `[from, to)` (at most 366
//! days, at most 2,000 occurrences, ordered by start), with overrides applied and
//! cancellations left out.
use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz as Zone;
use entity::calendar_events;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use super::{
    EventId, EventView, ExceptionMeta, OccurrenceId,
    store::{exceptions_of, member, owned_series},
    timing::{Window, duration_of, frame_of, overlaps, rule_of, spans, start_of},
};
use crate::domain::{Actor, AppError, AppResult, UserId, auth::AuthSettings, clock::utc};

pub const MAX_WINDOW_DAYS: i64 = 366;
pub const MAX_OCCURRENCES: usize = 2_000;

/// One occurrence: its id, the row whose fields it shows (the series, or its override),
/// its start and end (an all-day one's dates at 00:00 UTC), and whether it is an exception.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub id: OccurrenceId,
    pub row: calendar_events::Model,
    pub start: DateTime<Utc>,
    pub end: Option<DateTime<Utc>>,
    pub exception: bool,
}

impl Occurrence {
    /// An override as the occurrence it replaces.
    pub fn of_exception(id: OccurrenceId, row: calendar_events::Model) -> Self {
        Self {
            id,
            start: start_of(&row),
            end: row.end_time.as_ref().map(utc),
            row,
            exception: true,
        }
    }
}

/// What a range read found.
#[derive(Debug, Clone)]
pub struct CalendarRange {
    pub occurrences: Vec<Occurrence>,
    /// More occurrences overlap the window than were returned.
    pub truncated: bool,
    pub viewer_zone: Zone,
}

pub async fn find(
    db: &impl ConnectionTrait,
    actor: &Actor,
    settings: &AuthSettings,
    id: EventId,
) -> AppResult<EventView> {
    let (user, zone) = member(db, actor, settings).await?;
    Ok(EventView {
        event: owned_series(db, user, id, false).await?,
        viewer_zone: zone,
    })
}

pub async fn calendar(
    db: &impl ConnectionTrait,
    actor: &Actor,
    settings: &AuthSettings,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<CalendarRange> {
    let (user, zone) = member(db, actor, settings).await?;
    if to <= from {
        return Err(AppError::bad_input("to", "must be after from"));
    }
    if to - from > TimeDelta::days(MAX_WINDOW_DAYS) {
        return Err(AppError::bad_input("to", "a window spans at most 366 days"));
    }
    let window = Window {
        from,
        to,
        viewer: zone,
    };
    let (occurrences, truncated) = occurrences_in(db, user, &window).await?;
    Ok(CalendarRange {
        occurrences,
        truncated,
        viewer_zone: zone,
    })
}

/// The series that may overlap `window`: started before its end (a day's slack for
/// all-day dates), and not over more than a longest event before its start.
async fn candidates(
    conn: &impl ConnectionTrait,
    user: UserId,
    window: &Window,
) -> AppResult<Vec<calendar_events::Model>> {
    use calendar_events::Column;
    let reach = window.from - TimeDelta::days(super::input::MAX_DAYS + 2);
    Ok(calendar_events::Entity::find()
        .filter(Column::UserId.eq(user.0))
        .filter(Column::ParentEventId.is_null())
        .filter(Column::StartTime.lt(window.to + TimeDelta::days(1)))
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(Column::RecurrenceRule.is_not_null())
                        .add(
                            Condition::any()
                                .add(Column::RecurrenceEnd.is_null())
                                .add(Column::RecurrenceEnd.gte(reach.date_naive())),
                        ),
                )
                .add(Column::StartTime.gte(reach)),
        )
        .all(conn)
        .await?)
}

/// The occurrences of the user's events overlapping `window`, ordered by start.
pub async fn occurrences_in(
    conn: &impl ConnectionTrait,
    user: UserId,
    window: &Window,
) -> AppResult<(Vec<Occurrence>, bool)> {
    let series = candidates(conn, user, window).await?;
    let ids: Vec<_> = series.iter().map(|s| s.id).collect();
    let mut exceptions = exceptions_of(conn, &ids).await?;
    let mut found = Vec::new();
    let mut truncated = false;
    for row in series {
        let rule = rule_of(&row)?;
        let (spans, more) = spans(&row, rule.as_ref(), window, MAX_OCCURRENCES + 1);
        truncated |= more;
        let own = exceptions.remove(&row.id).unwrap_or_default();
        let replaced: HashMap<_, _> = own
            .iter()
            .filter_map(|e| Some((ExceptionMeta::of(e).original_start?, e)))
            .collect();
        for span in spans {
            if replaced.contains_key(&span.original) {
                continue;
            }
            found.push(Occurrence {
                id: OccurrenceId {
                    series: row.id,
                    original_start: span.original,
                },
                row: row.clone(),
                start: span.start,
                end: span.end,
                exception: false,
            });
        }
        for (original, exception) in replaced {
            let meta = ExceptionMeta::of(exception);
            let frame = frame_of(exception);
            let start = start_of(exception);
            if meta.cancelled || !overlaps(frame, start, duration_of(exception), window) {
                continue;
            }
            let id = OccurrenceId {
                series: row.id,
                original_start: original,
            };
            found.push(Occurrence::of_exception(id, exception.clone()));
        }
    }
    found.sort_by_key(|o| (o.start, o.id.series, o.id.original_start));
    if found.len() > MAX_OCCURRENCES {
        found.truncate(MAX_OCCURRENCES);
        truncated = true;
    }
    Ok((found, truncated))
}
