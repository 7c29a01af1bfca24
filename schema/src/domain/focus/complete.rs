//! Completing a session: refused while more than 5 s remain (CONFLICT,
//! FOCUS_TIME_REMAINING), paid through the reward engine for the minutes actually focused
//! (`rewards::focus_session`), once: the ledger key `focus:<session id>` makes a retried
//! payment a no-op, and completing a completed session again returns it with `repeated`
//! and pays nothing.
use chrono::{DateTime, Utc};
use entity::focus_sessions;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, sea_query::Expr,
};
use serde_json::json;
use uuid::Uuid;

use super::{
    broker::FocusBroker,
    lifecycle::{self, Decided},
    timer::{Move, Snapshot, Status, Step},
};
use crate::domain::{
    Actor, AppResult,
    auth::{AuthSettings, preferences},
    gamification::{Action, Earned, EventType, Recorded, record_action, rewards},
};

/// A completion: the session as it stands, and whether it had been completed before.
#[derive(Debug, Clone)]
pub struct Completed {
    pub snapshot: Snapshot,
    pub repeated: bool,
    /// What the completion paid (for a repeat, what the first completion paid).
    pub earned: Earned,
}

/// Completes `session` (default: the active one) and pays for it, in one transaction.
pub async fn complete(
    db: &DatabaseConnection,
    broker: &FocusBroker,
    actor: &Actor,
    settings: &AuthSettings,
    session: Option<Uuid>,
    now: DateTime<Utc>,
) -> AppResult<Completed> {
    let Decided {
        txn,
        user,
        before,
        at,
        step,
    } = lifecycle::decide(db, actor, settings, session, Move::Complete, now).await?;
    let Step::Complete { focused_seconds } = step else {
        let earned = Earned {
            xp: before.session.xp_awarded,
            coins: before.session.coins_awarded,
            ..Earned::default()
        };
        return Ok(Completed {
            snapshot: before,
            repeated: true,
            earned,
        });
    };
    let prefs = preferences::of_actor(&txn, actor, user).await?;
    let recorded = record_action(&txn, user, &prefs, action(&before, focused_seconds), at).await?;
    mark_completed(&txn, before.id(), &recorded, at).await?;
    Ok(Completed {
        snapshot: lifecycle::announce(txn, broker, before.id()).await?,
        repeated: false,
        earned: Earned::of(&recorded),
    })
}

/// What completing `session` after `focused_seconds` records with the engine.
fn action(session: &Snapshot, focused_seconds: i32) -> Action {
    let mode = session.mode();
    Action {
        event_type: EventType::FocusComplete,
        category: Some(mode.as_str().to_owned()),
        metadata: Some(json!({
            "session_id": session.id(),
            "focused_seconds": focused_seconds,
            "minutes": rewards::focused_minutes(focused_seconds),
        })),
        award: rewards::focus_session(session.id(), mode, focused_seconds),
        habit_date: None,
    }
}

/// Stores the completion with what it paid.
async fn mark_completed(
    conn: &impl ConnectionTrait,
    session: Uuid,
    recorded: &Recorded,
    at: DateTime<Utc>,
) -> AppResult<()> {
    let paid = &recorded.awarded.entry;
    focus_sessions::Entity::update_many()
        .filter(focus_sessions::Column::Id.eq(session))
        .filter(focus_sessions::Column::Status.eq(Status::Active.as_str()))
        .col_expr(
            focus_sessions::Column::Status,
            Expr::value(Status::Completed.as_str()),
        )
        .col_expr(focus_sessions::Column::CompletedAt, Expr::value(at))
        .col_expr(focus_sessions::Column::XpAwarded, Expr::value(paid.xp))
        .col_expr(
            focus_sessions::Column::CoinsAwarded,
            Expr::value(paid.coins),
        )
        .exec(conn)
        .await?;
    Ok(())
}
