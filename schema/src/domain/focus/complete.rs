//! Completing a session: refused while more than 5 s remain (CONFLICT,
//! FOCUS_TIME_REMAINING), paid through the reward engine for the minutes actually focused,
//! once: the ledger key `focus:<session id>` makes a retried payment a no-op, and completing
//! a completed session again returns it with `repeated` and pays nothing.
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::json;
use uuid::Uuid;

use super::{
    broker::FocusBroker,
    lifecycle::transition,
    timer::{self, Move, Snapshot},
};
use crate::domain::{
    Actor, AppResult, UserId,
    auth::AuthSettings,
    gamification::{Action, Award, EventType, record_action, rewards},
};

/// A completion: the session as it stands, and whether it had been completed before.
#[derive(Debug, Clone)]
pub struct Completed {
    pub snapshot: Snapshot,
    pub repeated: bool,
    /// Achievements this completion unlocked.
    pub achievements: Vec<String>,
}

pub async fn complete(
    db: &DatabaseConnection,
    broker: &FocusBroker,
    actor: &Actor,
    settings: &AuthSettings,
    session: Option<Uuid>,
    now: DateTime<Utc>,
) -> AppResult<Completed> {
    let moved = transition(db, broker, actor, settings, session, Move::Complete, now).await?;
    Ok(Completed {
        repeated: !moved.changed,
        achievements: moved.unlocked,
        snapshot: moved.snapshot,
    })
}

/// What a completion paid.
#[derive(Debug, Clone)]
pub(super) struct Paid {
    pub xp: i32,
    pub coins: i32,
    pub achievements: Vec<String>,
}

/// Pays the completion of `session` after `focused_seconds`, in the caller's transaction.
pub(super) async fn pay(
    conn: &impl ConnectionTrait,
    user: UserId,
    session: &Snapshot,
    focused_seconds: i32,
    at: DateTime<Utc>,
) -> AppResult<Paid> {
    let mode = session.mode();
    let minutes = timer::focused_minutes(focused_seconds);
    let award = Award {
        event_type: "focus".into(),
        event_id: Some(session.id()),
        reason: Some(format!("{} session", mode.as_str())),
        idempotency_key: Some(format!("focus:{}", session.id())),
        ..rewards::focus(mode, minutes)
    };
    let action = Action {
        event_type: EventType::FocusComplete,
        category: Some(mode.as_str().to_owned()),
        metadata: Some(json!({
            "session_id": session.id(),
            "focused_seconds": focused_seconds,
            "minutes": minutes,
        })),
        award,
    };
    let recorded = record_action(conn, user, action, at).await?;
    Ok(Paid {
        xp: recorded.awarded.entry.xp,
        coins: recorded.awarded.entry.coins,
        achievements: recorded.achievements,
    })
}
