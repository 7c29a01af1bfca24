//! The focus timer over GraphQL, along `domain/focus`: the `FocusSession` type here; the
//! viewer's reads in `queries`, the timer's moves in `mutations`, live sync in
//! `subscriptions`, music libraries in `libraries` and `tracks`.
pub mod libraries;
pub mod loaders;
pub mod mutations;
pub mod queries;
pub mod subscriptions;
pub mod tracks;

use std::sync::Arc;

use async_graphql::{Context, Enum, Object};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::clock::utc;
use crate::domain::{
    AppError, AppResult,
    focus::{self, FocusBroker, Snapshot},
    gamification::rewards,
};
use crate::graphql::{context::ContextExt, scalars::Version};

/// The app's focus broker, from the schema's data.
pub(crate) fn broker<'c>(ctx: &Context<'c>) -> AppResult<&'c FocusBroker> {
    ctx.data_opt()
        .ok_or_else(|| AppError::Internal("the focus broker is missing from the context".into()))
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "FocusMode")]
pub enum Mode {
    Work,
    ShortBreak,
    LongBreak,
}

impl From<Mode> for rewards::FocusMode {
    fn from(mode: Mode) -> Self {
        match mode {
            Mode::Work => Self::Work,
            Mode::ShortBreak => Self::ShortBreak,
            Mode::LongBreak => Self::LongBreak,
        }
    }
}

impl From<rewards::FocusMode> for Mode {
    fn from(mode: rewards::FocusMode) -> Self {
        match mode {
            rewards::FocusMode::Work => Self::Work,
            rewards::FocusMode::ShortBreak => Self::ShortBreak,
            rewards::FocusMode::LongBreak => Self::LongBreak,
        }
    }
}

/// Where a session stands. An expired session is `ABANDONED`; `lastChange` says `EXPIRED`.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "FocusSessionStatus")]
pub enum Status {
    Active,
    Completed,
    Abandoned,
}

impl From<focus::Status> for Status {
    fn from(status: focus::Status) -> Self {
        match status {
            focus::Status::Active => Self::Active,
            focus::Status::Completed => Self::Completed,
            focus::Status::Abandoned => Self::Abandoned,
        }
    }
}

impl From<Status> for focus::Status {
    fn from(status: Status) -> Self {
        match status {
            Status::Active => Self::Active,
            Status::Completed => Self::Completed,
            Status::Abandoned => Self::Abandoned,
        }
    }
}

/// The last thing that happened to a session: what a subscription event reports.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum FocusChange {
    Started,
    Paused,
    Resumed,
    Completed,
    Abandoned,
    /// Not completed by `expiresAt`: abandoned by the server, without reward.
    Expired,
}

impl From<focus::Change> for FocusChange {
    fn from(change: focus::Change) -> Self {
        match change {
            focus::Change::Started => Self::Started,
            focus::Change::Paused => Self::Paused,
            focus::Change::Resumed => Self::Resumed,
            focus::Change::Completed => Self::Completed,
            focus::Change::Abandoned => Self::Abandoned,
            focus::Change::Expired => Self::Expired,
        }
    }
}

/// A focus timer session. The server owns the clock: `remainingSeconds` is computed when
/// the response is made, from the session's start, pauses and resumes.
pub struct FocusSession(Arc<Snapshot>);

impl From<Snapshot> for FocusSession {
    fn from(snapshot: Snapshot) -> Self {
        Self(Arc::new(snapshot))
    }
}

#[Object]
impl FocusSession {
    async fn id(&self) -> Uuid {
        self.0.id()
    }

    async fn mode(&self) -> Mode {
        self.0.mode().into()
    }

    async fn status(&self) -> Status {
        self.0.status().into()
    }

    /// The planned duration.
    async fn duration_seconds(&self) -> i32 {
        self.0.session.duration_seconds
    }

    /// Seconds left now, by the server's clock (frozen while paused and once ended).
    async fn remaining_seconds(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        Ok(self.0.remaining_seconds(ctx.now()?))
    }

    /// Seconds focused so far: the duration less what remains.
    async fn focused_seconds(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        Ok(self.0.focused_seconds(ctx.now()?))
    }

    async fn is_paused(&self) -> bool {
        self.0.is_paused()
    }

    async fn started_at(&self) -> DateTime<Utc> {
        self.0.started_at()
    }

    /// When the current pause began; null unless paused.
    async fn paused_at(&self) -> Option<DateTime<Utc>> {
        self.0.paused_at()
    }

    /// When the timer reaches zero if nothing changes; null while paused and once ended.
    async fn ends_at(&self) -> Option<DateTime<Utc>> {
        self.0.ends_at()
    }

    /// Ten minutes past the planned end (moved out on every resume): a session not completed
    /// by then is abandoned by the server, without reward.
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at()
    }

    async fn completed_at(&self) -> Option<DateTime<Utc>> {
        self.0.session.completed_at.as_ref().map(utc)
    }

    async fn abandoned_at(&self) -> Option<DateTime<Utc>> {
        self.0.session.abandoned_at.as_ref().map(utc)
    }

    /// The timestamp of the session's latest change in microseconds, as a `Version` string
    /// of digits: it only grows, so a device can tell which of two states is newer, and
    /// what it missed.
    async fn version(&self) -> Version {
        Version(self.0.version())
    }

    async fn last_change(&self) -> FocusChange {
        self.0.last_change().into()
    }

    async fn xp_awarded(&self) -> i32 {
        self.0.session.xp_awarded
    }

    async fn coins_awarded(&self) -> i32 {
        self.0.session.coins_awarded
    }

    async fn task_id(&self) -> Option<Uuid> {
        self.0.session.task_id
    }

    async fn task_title(&self) -> Option<&str> {
        self.0.session.task_title.as_deref()
    }
}
