//! What the sign-in check read, remembered for a few seconds per session so a request does
//! not spend a round trip on who is asking; PostgreSQL only, while the live listener
//! listens. It forgets a user when what the check reads changes: on every instance through
//! `NOTIFY actor_changes` (migration 0023's triggers, whatever wrote the row), and on this
//! one before the answer leaves, where this instance changes it (a session revoked, the
//! profile, the terms and age gates, the day settings, an approval). Nothing else forgets:
//! completing a habit leaves the sign-in as it was. An entry lives at most [`LIFE`], which
//! bounds what a lost listener connection can miss. SQLite (one instance, the check
//! in-process) never fills it.
use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard},
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use entity::users;
use uuid::Uuid;

use super::preferences::Preferences;
use crate::domain::{SessionId, UserId, live::Feed};

/// The NOTIFY channel of changes to what the sign-in check reads (migration 0023).
pub const CHANNEL: &str = "actor_changes";

/// How long an entry is trusted without a notification.
pub const LIFE: Duration = Duration::from_secs(10);

/// Entries kept at most; past it the cache starts over (one sign-in read per session).
const CAPACITY: usize = 20_000;

/// The cache, shared by every clone.
#[derive(Clone, Default)]
pub struct SignInCache(Arc<Mutex<State>>);

#[derive(Default)]
struct State {
    /// Whether notifications reach this instance (the listener listens).
    trusted: bool,
    /// Moves on every forgetting, so a read that began before it is not remembered.
    epoch: u64,
    sessions: HashMap<SessionId, Entry>,
}

struct Entry {
    user: UserId,
    row: users::Model,
    preferences: Preferences,
    session_expires_at: DateTime<Utc>,
    read_at: Instant,
}

/// Taken before a sign-in read: remembering its answer holds only if nothing was forgotten
/// meanwhile (the read may predate the change).
#[derive(Debug, Clone, Copy)]
pub struct Ticket(Option<u64>);

impl SignInCache {
    fn state(&self) -> MutexGuard<'_, State> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The user's row and settings for a live `session` of `user`, when remembered.
    pub fn get(
        &self,
        user: UserId,
        session: SessionId,
        now: DateTime<Utc>,
    ) -> Option<(users::Model, Preferences)> {
        let state = self.state();
        // Untrusted, the cache is empty: losing the listener clears it, and nothing is
        // remembered until it listens again.
        let entry = state.sessions.get(&session).filter(|entry| {
            entry.user == user && entry.session_expires_at > now && entry.read_at.elapsed() < LIFE
        })?;
        Some((entry.row.clone(), entry.preferences))
    }

    /// Taken before reading the session from the database.
    pub fn ticket(&self) -> Ticket {
        let state = self.state();
        Ticket(state.trusted.then_some(state.epoch))
    }

    /// Remembers what a sign-in read found, unless something was forgotten since `ticket`.
    pub fn remember(
        &self,
        ticket: Ticket,
        session: SessionId,
        row: &users::Model,
        preferences: Preferences,
        session_expires_at: DateTime<Utc>,
    ) {
        let mut state = self.state();
        if !state.trusted || ticket.0 != Some(state.epoch) {
            return;
        }
        if state.sessions.len() >= CAPACITY {
            state.sessions.clear();
        }
        state.sessions.insert(
            session,
            Entry {
                user: UserId(row.id),
                row: row.clone(),
                preferences,
                session_expires_at,
                read_at: Instant::now(),
            },
        );
    }

    /// The activity stamp this instance just wrote, in its copies of the user's row (the
    /// database tells nobody of a change to the stamp alone).
    pub fn touched(&self, user: UserId, at: DateTime<Utc>) {
        let mut state = self.state();
        for entry in state
            .sessions
            .values_mut()
            .filter(|entry| entry.user == user)
        {
            entry.row.last_activity_at = Some(at.into());
        }
    }

    /// Forgets every session of `user`: their row, a session or a setting changed.
    pub fn forget_user(&self, user: UserId) {
        let mut state = self.state();
        state.epoch += 1;
        state.sessions.retain(|_, entry| entry.user != user);
    }

    /// Forgets these sessions: they were revoked.
    pub fn forget_sessions(&self, sessions: &[Uuid]) {
        let mut state = self.state();
        state.epoch += 1;
        for session in sessions {
            state.sessions.remove(&SessionId(*session));
        }
    }

    fn start_over(&self, trusted: bool) {
        let mut state = self.state();
        state.epoch += 1;
        state.trusted = trusted;
        state.sessions.clear();
    }
}

impl Feed for SignInCache {
    fn channel(&self) -> &'static str {
        CHANNEL
    }

    fn deliver(&self, payload: &str) {
        match payload.parse::<Uuid>() {
            Ok(user) => self.forget_user(UserId(user)),
            // Not a user id: forget everyone rather than guess.
            Err(_) => self.start_over(true),
        }
    }

    /// Listening (again): what was sent while nobody listened is gone, so start over.
    fn resync(&self) {
        self.start_over(true);
    }

    fn lost(&self) {
        self.start_over(false);
    }
}

impl std::fmt::Debug for SignInCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInCache").finish_non_exhaustive()
    }
}
