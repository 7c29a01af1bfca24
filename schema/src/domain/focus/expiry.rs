//! Sessions nobody completed by `expires_at` are abandoned, without reward, by a job every
//! instance runs. One conditional `UPDATE … WHERE status = 'active' AND id IN (SELECT …
//! expires_at <= now FOR UPDATE SKIP LOCKED) RETURNING` claims each row: on PostgreSQL
//! another instance skips what this one holds (no waiting, no deadlock) and the status
//! check drops what it already took; SQLite has one writer at a time. So each expiry is
//! written and announced exactly once.
//! They are stored as `abandoned` (the spec's status values) and read as `EXPIRED` changes
//! (abandoned at or after their expiry).
use chrono::{DateTime, Utc};
use entity::focus_sessions;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
    QueryTrait,
    sea_query::{Expr, LockBehavior, LockType},
};

use super::{
    broker::{FocusBroker, Signal},
    timer::Status,
};
use crate::domain::{AppResult, UserId, db::begin_write};

/// Abandons every overdue session (of `user`, if given) at `at`, in the caller's
/// transaction; the signals to announce once it commits.
pub(super) async fn claim(
    conn: &impl ConnectionTrait,
    user: Option<UserId>,
    at: DateTime<Utc>,
) -> AppResult<Vec<Signal>> {
    let active = focus_sessions::Column::Status.eq(Status::Active.as_str());
    let mut overdue = focus_sessions::Entity::find()
        .select_only()
        .column(focus_sessions::Column::Id)
        .filter(active.clone())
        .filter(focus_sessions::Column::ExpiresAt.lte(at));
    if let Some(user) = user {
        overdue = overdue.filter(focus_sessions::Column::UserId.eq(user.0));
    }
    let overdue = overdue
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .into_query();
    let claimed = focus_sessions::Entity::update_many()
        .col_expr(
            focus_sessions::Column::Status,
            Expr::value(Status::Abandoned.as_str()),
        )
        .col_expr(focus_sessions::Column::AbandonedAt, Expr::value(at))
        .filter(active)
        .filter(focus_sessions::Column::Id.in_subquery(overdue))
        .exec_with_returning(conn)
        .await?;
    Ok(claimed
        .into_iter()
        .map(|session| Signal {
            user: session.user_id,
            session: session.id,
            version: at.timestamp_micros(),
        })
        .collect())
}

/// The job's run: expires what is overdue at `now` and announces it. Returns how many.
pub async fn expire_overdue(
    db: &DatabaseConnection,
    broker: &FocusBroker,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let txn = begin_write(db).await?;
    let signals = claim(&txn, None, now).await?;
    broker.commit(txn, &signals).await?;
    Ok(signals.len())
}
