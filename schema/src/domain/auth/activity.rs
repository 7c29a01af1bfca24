//! Keeping `last_activity_at` current (users and sessions) without a write per request.
//! Best effort: the request it rides on never fails because of it. On PostgreSQL both rows
//! are stamped in one statement (one round trip, one commit); SQLite sends one each.
use std::{collections::HashMap, sync::Mutex};

use chrono::{DateTime, Duration, Utc};
use entity::{sessions, users};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter,
    Statement, sea_query::Expr,
};

use crate::domain::{SessionId, UserId};

/// Keeps `last_activity_at` current without a write on every request: at most one write
/// per user per interval, per instance.
#[derive(Debug, Default)]
pub struct ActivityThrottle {
    last_written: Mutex<HashMap<UserId, DateTime<Utc>>>,
}

impl ActivityThrottle {
    const INTERVAL_MINUTES: i64 = 5;

    /// Records activity when due. A failed write (a read-only or full database, a lost
    /// connection) is logged and otherwise ignored; the next try comes an interval later.
    /// True when it wrote `now`.
    pub async fn touch(
        &self,
        db: &DatabaseConnection,
        user: UserId,
        session: SessionId,
        now: DateTime<Utc>,
    ) -> bool {
        let due = {
            let mut written = self
                .last_written
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let due = written
                .get(&user)
                .is_none_or(|at| now - *at >= Duration::minutes(Self::INTERVAL_MINUTES));
            if due {
                written.insert(user, now);
            }
            due
        };
        if !due {
            return false;
        }
        match stamp(db, user, session, now).await {
            Ok(_) => true,
            Err(error) => {
                tracing::warn!(%error, user = %user.0, "cannot record activity; serving the request anyway");
                false
            }
        }
    }
}

/// Both rows on PostgreSQL: `$1` the instant, `$2` the user, `$3` the session.
const STAMP_BOTH: &str = "WITH stamped_user AS (UPDATE users SET last_activity_at = $1 \
                          WHERE id = $2) UPDATE sessions SET last_activity_at = $1 WHERE id = $3";

/// Writes `now` as the user's and the session's last activity.
async fn stamp(
    db: &DatabaseConnection,
    user: UserId,
    session: SessionId,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        let values = [now.into(), user.0.into(), session.0.into()];
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            STAMP_BOTH,
            values,
        ))
        .await?;
        return Ok(());
    }
    users::Entity::update_many()
        .col_expr(users::Column::LastActivityAt, Expr::value(now))
        .filter(users::Column::Id.eq(user.0))
        .exec(db)
        .await?;
    sessions::Entity::update_many()
        .col_expr(sessions::Column::LastActivityAt, Expr::value(now))
        .filter(sessions::Column::Id.eq(session.0))
        .exec(db)
        .await?;
    Ok(())
}
