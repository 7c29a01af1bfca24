//! Starting a session and moving it: pause, resume, abandon (completing, which pays, is
//! `complete`). Each move checks the gates first, opens one write transaction, locks the
//! session and lets `timer::step` decide (`decide`), writes, and commits through the
//! broker, which announces the change to the user's devices after the commit (`announce`).
use chrono::{DateTime, Duration, Utc};
use entity::{focus_pause_state, focus_sessions};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, QueryFilter, Set, SqlErr,
    sea_query::{Expr, OnConflict},
};
use uuid::Uuid;

use super::{
    broker::{FocusBroker, Signal},
    expiry, store,
    timer::{self, Move, Snapshot, Status, Step},
};
use crate::domain::{
    Actor, AppError, AppResult, Reason, UserId,
    auth::{AuthSettings, gates::require_member_id},
    db::begin_write,
    gamification::rewards::FocusMode,
    text,
};

/// A session to start.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub mode: FocusMode,
    pub duration_seconds: i32,
    /// The planning task it is for; not checked against any table (the spec keeps no key).
    pub task_id: Option<Uuid>,
    pub task_title: Option<String>,
}

/// The longest task title kept.
const MAX_TASK_TITLE: usize = 500;

/// Starts a session. A second active session is CONFLICT (FOCUS_SESSION_ACTIVE), also when
/// two starts race: the partial unique index refuses the second. An active session already
/// past its expiry is expired first, as the job would.
pub async fn start(
    db: &DatabaseConnection,
    broker: &FocusBroker,
    actor: &Actor,
    settings: &AuthSettings,
    new: NewSession,
    now: DateTime<Utc>,
) -> AppResult<Snapshot> {
    let user = require_member_id(db, actor, settings).await?;
    let duration = timer::check_duration(new.duration_seconds)?;
    let task_title = text::optional("taskTitle", new.task_title, MAX_TASK_TITLE)?;
    let txn = begin_write(db).await?;
    let mut after = store::latest_version_locked(&txn, user).await?;
    let mut signals = expiry::claim(&txn, Some(user), timer::change_instant(now, after)).await?;
    after = signals.iter().map(|s| s.version).max().or(after);
    let at = timer::change_instant(now, after);
    let id = Uuid::now_v7();
    focus_sessions::ActiveModel {
        id: Set(id),
        user_id: Set(user.0),
        mode: Set(new.mode.as_str().to_owned()),
        duration_seconds: Set(duration),
        started_at: Set(at.into()),
        completed_at: Set(None),
        abandoned_at: Set(None),
        expires_at: Set(Some(
            timer::expiry(at + Duration::seconds(i64::from(duration))).into(),
        )),
        status: Set(Status::Active.as_str().to_owned()),
        xp_awarded: Set(0),
        coins_awarded: Set(0),
        task_id: Set(new.task_id),
        task_title: Set(task_title),
        created_at: Set(at.into()),
    }
    .insert(&txn)
    .await
    .map_err(already_active)?;
    let snapshot = reread(&txn, id).await?;
    signals.push(Signal::of(&snapshot));
    broker.commit(txn, &signals).await?;
    Ok(snapshot)
}

fn already_active(err: DbErr) -> AppError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => AppError::conflict(
            Reason::FocusSessionActive,
            "a focus session is already running; complete or abandon it first",
        ),
        _ => err.into(),
    }
}

/// Pauses `session` (default: the active one); pausing a paused session changes nothing.
pub async fn pause(
    db: &DatabaseConnection,
    broker: &FocusBroker,
    actor: &Actor,
    settings: &AuthSettings,
    session: Option<Uuid>,
    now: DateTime<Utc>,
) -> AppResult<Snapshot> {
    let moved = transition(db, broker, actor, settings, session, Move::Pause, now).await?;
    Ok(moved.snapshot)
}

/// Resumes `session`; resuming a running session changes nothing.
pub async fn resume(
    db: &DatabaseConnection,
    broker: &FocusBroker,
    actor: &Actor,
    settings: &AuthSettings,
    session: Option<Uuid>,
    now: DateTime<Utc>,
) -> AppResult<Snapshot> {
    let moved = transition(db, broker, actor, settings, session, Move::Resume, now).await?;
    Ok(moved.snapshot)
}

/// Abandons `session`, without reward; abandoning it again changes nothing.
pub async fn abandon(
    db: &DatabaseConnection,
    broker: &FocusBroker,
    actor: &Actor,
    settings: &AuthSettings,
    session: Option<Uuid>,
    now: DateTime<Utc>,
) -> AppResult<Snapshot> {
    let moved = transition(db, broker, actor, settings, session, Move::Abandon, now).await?;
    Ok(moved.snapshot)
}

/// What a move did.
#[derive(Debug, Clone)]
pub struct Moved {
    pub snapshot: Snapshot,
    /// False when the session already was where the move leads (nothing written).
    pub changed: bool,
}

/// A move decided inside its open write transaction: the session before it, the instant
/// the change is stamped with, and what `timer::step` said to do.
pub(super) struct Decided<T> {
    pub txn: T,
    pub user: UserId,
    pub before: Snapshot,
    pub at: DateTime<Utc>,
    pub step: Step,
}

/// Checks the gates, opens the write transaction, locks the target session (default: the
/// active one) and lets `timer::step` decide `mv`. Every move starts here.
pub(super) async fn decide(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    session: Option<Uuid>,
    mv: Move,
    now: DateTime<Utc>,
) -> AppResult<Decided<DatabaseTransaction>> {
    let user = require_member_id(db, actor, settings).await?;
    let txn = begin_write(db).await?;
    let before = store::target(&txn, user, session).await?;
    let at = timer::change_instant(now, Some(before.version()));
    let step = match timer::step(&before, mv, at) {
        Ok(step) => step,
        Err(refusal) => {
            // Roll back before answering: a dropped transaction's rollback waits for the
            // pool, holding the session's row lock past the answer, and the expiry job
            // (SKIP LOCKED) would pass over the session meanwhile.
            txn.rollback().await?;
            return Err(refusal);
        }
    };
    Ok(Decided {
        txn,
        user,
        before,
        at,
        step,
    })
}

/// Rereads the session a move wrote and commits through the broker, which announces the
/// change to the user's devices after the commit.
pub(super) async fn announce(
    txn: DatabaseTransaction,
    broker: &FocusBroker,
    session: Uuid,
) -> AppResult<Snapshot> {
    let snapshot = reread(&txn, session).await?;
    broker.commit(txn, &[Signal::of(&snapshot)]).await?;
    Ok(snapshot)
}

/// One move other than completing (pause, resume, abandon), in one transaction.
async fn transition(
    db: &DatabaseConnection,
    broker: &FocusBroker,
    actor: &Actor,
    settings: &AuthSettings,
    session: Option<Uuid>,
    mv: Move,
    now: DateTime<Utc>,
) -> AppResult<Moved> {
    let decided = decide(db, actor, settings, session, mv, now).await?;
    let id = decided.before.id();
    if decided.step == Step::Unchanged {
        return Ok(Moved {
            snapshot: decided.before,
            changed: false,
        });
    }
    apply(&decided.txn, decided.user, id, decided.step, decided.at).await?;
    Ok(Moved {
        snapshot: announce(decided.txn, broker, id).await?,
        changed: true,
    })
}

async fn apply(
    conn: &impl ConnectionTrait,
    user: UserId,
    id: Uuid,
    step: Step,
    at: DateTime<Utc>,
) -> AppResult<()> {
    let session = focus_sessions::Entity::update_many()
        .filter(focus_sessions::Column::Id.eq(id))
        .filter(focus_sessions::Column::Status.eq(Status::Active.as_str()));
    match step {
        // A completion pays first: `complete::complete` owns that path.
        Step::Unchanged | Step::Complete { .. } => {}
        Step::Pause { remaining } => paused(conn, user, id, remaining, at).await?,
        Step::Resume { expires_at } => {
            focus_pause_state::Entity::update_many()
                .col_expr(focus_pause_state::Column::IsPaused, Expr::value(false))
                .col_expr(focus_pause_state::Column::ResumedAt, Expr::value(at))
                .col_expr(focus_pause_state::Column::UpdatedAt, Expr::value(at))
                .filter(focus_pause_state::Column::SessionId.eq(id))
                .exec(conn)
                .await?;
            session
                .col_expr(focus_sessions::Column::ExpiresAt, Expr::value(expires_at))
                .exec(conn)
                .await?;
        }
        Step::Abandon => {
            session
                .col_expr(
                    focus_sessions::Column::Status,
                    Expr::value(Status::Abandoned.as_str()),
                )
                .col_expr(focus_sessions::Column::AbandonedAt, Expr::value(at))
                .exec(conn)
                .await?;
        }
    }
    Ok(())
}

/// Records a pause: the one pause-state row of the session, created on its first pause.
async fn paused(
    conn: &impl ConnectionTrait,
    user: UserId,
    session: Uuid,
    remaining: i32,
    at: DateTime<Utc>,
) -> AppResult<()> {
    focus_pause_state::Entity::insert(focus_pause_state::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.0),
        session_id: Set(session),
        is_paused: Set(true),
        time_remaining_seconds: Set(Some(remaining)),
        paused_at: Set(Some(at.into())),
        resumed_at: Set(None),
        created_at: Set(at.into()),
        updated_at: Set(at.into()),
    })
    .on_conflict(
        OnConflict::column(focus_pause_state::Column::SessionId)
            .update_columns([
                focus_pause_state::Column::IsPaused,
                focus_pause_state::Column::TimeRemainingSeconds,
                focus_pause_state::Column::PausedAt,
                focus_pause_state::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

async fn reread(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<Snapshot> {
    store::snapshot(conn, id)
        .await?
        .ok_or_else(|| AppError::Internal("a focus session vanished inside its transaction".into()))
}
