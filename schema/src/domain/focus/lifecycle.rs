//! Starting a session and moving it: pause, resume, complete, abandon. Each entry point
//! checks the gates first, opens one write transaction, locks the session, lets
//! `timer::step` decide, writes, and commits through the broker, which announces the
//! change to the user's devices after the commit.
use chrono::{DateTime, Duration, Utc};
use entity::{focus_pause_state, focus_sessions};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, Set, SqlErr,
    sea_query::{Expr, OnConflict},
};
use uuid::Uuid;

use super::{
    broker::{FocusBroker, Signal},
    complete, expiry, store,
    timer::{self, Move, Snapshot, Status, Step},
};
use crate::domain::{
    Actor, AppError, AppResult, Reason, UserId,
    auth::{AuthSettings, gates::require_member},
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
    let user = UserId(require_member(db, actor, settings).await?.id);
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
    /// Achievements a completion unlocked.
    pub unlocked: Vec<String>,
}

/// One move of one session, in one transaction.
pub(super) async fn transition(
    db: &DatabaseConnection,
    broker: &FocusBroker,
    actor: &Actor,
    settings: &AuthSettings,
    session: Option<Uuid>,
    mv: Move,
    now: DateTime<Utc>,
) -> AppResult<Moved> {
    let user = UserId(require_member(db, actor, settings).await?.id);
    let txn = begin_write(db).await?;
    let before = store::target(&txn, user, session).await?;
    let at = timer::change_instant(now, Some(before.version()));
    let step = timer::step(&before, mv, at)?;
    if step == Step::Unchanged {
        return Ok(Moved {
            snapshot: before,
            changed: false,
            unlocked: Vec::new(),
        });
    }
    let unlocked = apply(&txn, user, &before, step, at).await?;
    let snapshot = reread(&txn, before.id()).await?;
    broker.commit(txn, &[Signal::of(&snapshot)]).await?;
    Ok(Moved {
        snapshot,
        changed: true,
        unlocked,
    })
}

async fn apply(
    conn: &impl ConnectionTrait,
    user: UserId,
    before: &Snapshot,
    step: Step,
    at: DateTime<Utc>,
) -> AppResult<Vec<String>> {
    let id = before.id();
    let session = focus_sessions::Entity::update_many()
        .filter(focus_sessions::Column::Id.eq(id))
        .filter(focus_sessions::Column::Status.eq(Status::Active.as_str()));
    match step {
        Step::Unchanged => {}
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
        Step::Complete { focused_seconds } => {
            let paid = complete::pay(conn, user, before, focused_seconds, at).await?;
            session
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
            return Ok(paid.achievements);
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
    Ok(Vec::new())
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
