//! The timer's rules as pure functions of a session row and its pause state (DESIGN.md
//! § Focus timer), with no column of our own: running and never paused, remaining =
//! duration − (now − started_at); paused, the stored `time_remaining_seconds`; running after
//! a resume, `time_remaining_seconds` − (now − resumed_at). `expires_at` is the planned end
//! plus ten minutes, moved out on every resume (a pause does not move it: a session paused
//! longer than its remaining time plus ten minutes expires).
//!
//! A change's `version` is its timestamp in microseconds: the latest of the session's
//! change instants. A change is stamped at least a microsecond after the last one, so the
//! version grows even when the clock stands still or another instance's clock lags.
use chrono::{DateTime, Duration, Utc};
use entity::{focus_pause_state, focus_sessions};
use uuid::Uuid;

use crate::domain::clock::utc;
use crate::domain::{AppError, AppResult, Reason, gamification::rewards::FocusMode};

pub const MIN_DURATION_SECONDS: i32 = 60;
pub const MAX_DURATION_SECONDS: i32 = 4 * 60 * 60;
/// How long past its planned end a session may still be completed before it expires.
pub const EXPIRY_GRACE: Duration = Duration::minutes(10);
/// Completing is refused while more than this is left.
pub const COMPLETION_SLACK_SECONDS: i32 = 5;

/// The database spelling of a mode (`focus_sessions.mode`).
impl FocusMode {
    pub const ALL: [Self; 3] = [Self::Work, Self::ShortBreak, Self::LongBreak];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Work => "work",
            Self::ShortBreak => "short_break",
            Self::LongBreak => "long_break",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == name)
    }
}

/// `focus_sessions.status`. An expired session is stored as `abandoned` (the spec's three
/// values); `Change::Expired` tells it apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Active,
    Completed,
    Abandoned,
}

impl Status {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Completed => "completed",
            Self::Abandoned => "abandoned",
        }
    }

    fn parse(name: &str) -> Self {
        match name {
            "active" => Self::Active,
            "completed" => Self::Completed,
            _ => Self::Abandoned,
        }
    }
}

/// The last thing that happened to a session, read from its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Started,
    Paused,
    Resumed,
    Completed,
    Abandoned,
    Expired,
}

/// A session as stored: its row and its pause state, if it was ever paused.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub session: focus_sessions::Model,
    pub pause: Option<focus_pause_state::Model>,
}

/// Whole seconds from `from` to `to`, never negative.
fn elapsed(from: DateTime<Utc>, to: DateTime<Utc>) -> i32 {
    i32::try_from((to - from).num_seconds().max(0)).unwrap_or(i32::MAX)
}

impl Snapshot {
    pub fn id(&self) -> Uuid {
        self.session.id
    }

    pub fn status(&self) -> Status {
        Status::parse(&self.session.status)
    }

    pub fn mode(&self) -> FocusMode {
        FocusMode::parse(&self.session.mode).unwrap_or(FocusMode::Work)
    }

    pub fn started_at(&self) -> DateTime<Utc> {
        utc(&self.session.started_at)
    }

    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.session.expires_at.as_ref().map(utc)
    }

    /// When the session was completed or abandoned.
    pub fn ended_at(&self) -> Option<DateTime<Utc>> {
        self.session
            .completed_at
            .as_ref()
            .or(self.session.abandoned_at.as_ref())
            .map(utc)
    }

    pub fn is_paused(&self) -> bool {
        self.status() == Status::Active && self.pause.as_ref().is_some_and(|p| p.is_paused)
    }

    /// When the current pause began, while paused.
    pub fn paused_at(&self) -> Option<DateTime<Utc>> {
        let pause = self.pause.as_ref().filter(|_| self.is_paused())?;
        pause.paused_at.as_ref().map(utc)
    }

    /// The seconds left at `now` (frozen at the end once the session ended).
    pub fn remaining_seconds(&self, now: DateTime<Utc>) -> i32 {
        let now = self.ended_at().unwrap_or(now);
        let duration = self.session.duration_seconds;
        let left = match &self.pause {
            Some(p) if p.is_paused => p.time_remaining_seconds.unwrap_or(duration),
            Some(focus_pause_state::Model {
                time_remaining_seconds: Some(left),
                resumed_at: Some(resumed_at),
                ..
            }) => left - elapsed(utc(resumed_at), now),
            _ => duration - elapsed(self.started_at(), now),
        };
        left.clamp(0, duration.max(0))
    }

    /// The seconds actually focused by `now`: the duration less what is left.
    pub fn focused_seconds(&self, now: DateTime<Utc>) -> i32 {
        self.session.duration_seconds - self.remaining_seconds(now)
    }

    /// When the timer reaches zero if nothing changes; none while paused or once ended.
    pub fn ends_at(&self) -> Option<DateTime<Utc>> {
        if self.status() != Status::Active || self.is_paused() {
            return None;
        }
        let duration = |seconds: i32| Duration::seconds(i64::from(seconds));
        Some(match &self.pause {
            Some(focus_pause_state::Model {
                time_remaining_seconds: Some(left),
                resumed_at: Some(resumed_at),
                ..
            }) => utc(resumed_at) + duration(*left),
            _ => self.started_at() + duration(self.session.duration_seconds),
        })
    }

    /// The version of the session's latest change: its timestamp in microseconds.
    pub fn version(&self) -> i64 {
        let pause = self.pause.as_ref();
        [
            Some(&self.session.started_at),
            self.session.completed_at.as_ref(),
            self.session.abandoned_at.as_ref(),
            pause.and_then(|p| p.paused_at.as_ref()),
            pause.and_then(|p| p.resumed_at.as_ref()),
        ]
        .into_iter()
        .flatten()
        .map(DateTime::timestamp_micros)
        .max()
        .unwrap_or_default()
    }

    pub fn last_change(&self) -> Change {
        match self.status() {
            Status::Completed => Change::Completed,
            Status::Abandoned => match (self.ended_at(), self.expires_at()) {
                (Some(ended), Some(expires)) if ended >= expires => Change::Expired,
                _ => Change::Abandoned,
            },
            Status::Active => match &self.pause {
                Some(p) if p.is_paused => Change::Paused,
                Some(p) if p.resumed_at.is_some() => Change::Resumed,
                _ => Change::Started,
            },
        }
    }
}

/// The instant a change is stamped with: now, or a microsecond past `after` (the version
/// before it) if the clock has not moved past it.
pub fn change_instant(now: DateTime<Utc>, after: Option<i64>) -> DateTime<Utc> {
    let floor = after
        .and_then(|v| DateTime::from_timestamp_micros(v.saturating_add(1)))
        .unwrap_or(now);
    now.max(floor)
}

/// When a session planned to end at `end` expires.
pub fn expiry(end: DateTime<Utc>) -> DateTime<Utc> {
    end + EXPIRY_GRACE
}

/// A planned duration, checked.
pub fn check_duration(seconds: i32) -> AppResult<i32> {
    if (MIN_DURATION_SECONDS..=MAX_DURATION_SECONDS).contains(&seconds) {
        Ok(seconds)
    } else {
        Err(AppError::bad_input(
            "durationSeconds",
            format!("from {MIN_DURATION_SECONDS} s to {MAX_DURATION_SECONDS} s (4 h)"),
        ))
    }
}

/// What a client asks of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Pause,
    Resume,
    Complete,
    Abandon,
}

/// What a move does to the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The session already is where the move leads (pausing a paused session, completing a
    /// completed one again): nothing to write, no event.
    Unchanged,
    Pause {
        remaining: i32,
    },
    Resume {
        expires_at: DateTime<Utc>,
    },
    Complete {
        focused_seconds: i32,
    },
    Abandon,
}

/// Decides what `mv` at `at` does to the session, or why it is refused.
pub fn step(snapshot: &Snapshot, mv: Move, at: DateTime<Utc>) -> AppResult<Step> {
    let ended = || AppError::conflict(Reason::FocusSessionEnded, "this focus session has ended");
    match (snapshot.status(), mv) {
        (Status::Completed, Move::Complete) | (Status::Abandoned, Move::Abandon) => {
            return Ok(Step::Unchanged);
        }
        (Status::Completed | Status::Abandoned, _) => return Err(ended()),
        (Status::Active, Move::Abandon) => return Ok(Step::Abandon),
        (Status::Active, _) => {}
    }
    if snapshot.expires_at().is_some_and(|expires| at >= expires) {
        return Err(AppError::conflict(
            Reason::FocusSessionExpired,
            "this focus session expired",
        ));
    }
    let remaining = snapshot.remaining_seconds(at);
    Ok(match mv {
        Move::Pause if snapshot.is_paused() => Step::Unchanged,
        Move::Pause => Step::Pause { remaining },
        Move::Resume if !snapshot.is_paused() => Step::Unchanged,
        Move::Resume => Step::Resume {
            expires_at: expiry(at + Duration::seconds(i64::from(remaining))),
        },
        Move::Complete if remaining > COMPLETION_SLACK_SECONDS => {
            return Err(AppError::conflict(
                Reason::FocusTimeRemaining,
                format!(
                    "{remaining} s remain; a session completes within \
                     {COMPLETION_SLACK_SECONDS} s of its end"
                ),
            ));
        }
        Move::Complete => Step::Complete {
            focused_seconds: snapshot.session.duration_seconds - remaining,
        },
        Move::Abandon => Step::Abandon,
    })
}

#[cfg(test)]
#[path = "timer_tests.rs"]
mod tests;
