//! Keeping a connection whose transaction state is unknown out of the pool, and telling
//! readiness whether the database still takes writes.
//!
//! Why the pool check: when SQLite fails a `COMMIT` with an I/O error (a full disk) it may
//! roll the transaction back itself, or keep it open. sqlx lowers its transaction depth only
//! after a *successful* `COMMIT`/`ROLLBACK`, so such a connection went back to the pool
//! believing it was still inside a transaction; every later transaction on it became a
//! `SAVEPOINT` whose "commit" released the savepoint inside a transaction that never ended,
//! and acknowledged writes were lost. So every connection is checked on its way back to
//! the pool, after any rollback its dropped transaction queued, and closed unless both sqlx
//! and the database agree that no transaction is open.
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbErr,
    sqlx::{self, Connection, PgConnection, Row, SqliteConnection, pool::PoolConnectionMetadata},
};
use tokio::sync::Mutex;

/// `after_release` for SQLite: `BEGIN` fails if SQLite is inside a transaction (autocommit
/// off) whatever sqlx believes; its `ROLLBACK` ends the probe; then sqlx must agree.
pub(super) fn sqlite_after_release<'c>(
    conn: &'c mut SqliteConnection,
    _: PoolConnectionMetadata,
) -> BoxFuture<'c, Result<bool, sqlx::Error>> {
    Box::pin(async move {
        if let Err(error) = sqlx::raw_sql("BEGIN").execute(&mut *conn).await {
            tracing::warn!(%error, "closing a SQLite connection left inside a transaction");
            return Ok(false);
        }
        if let Err(error) = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await {
            tracing::warn!(%error, "closing a SQLite connection that cannot end a transaction");
            return Ok(false);
        }
        Ok(agrees(conn.is_in_transaction()))
    })
}

/// `after_release` for PostgreSQL: outside a transaction `now()` is this statement's own
/// start; inside one it is the transaction's (and a failed transaction refuses the query).
pub(super) fn postgres_after_release<'c>(
    conn: &'c mut PgConnection,
    _: PoolConnectionMetadata,
) -> BoxFuture<'c, Result<bool, sqlx::Error>> {
    Box::pin(async move {
        // The simple protocol (`raw_sql`): one message, so the statement starts the
        // implicit transaction; over the extended protocol the two times differ.
        let outside = sqlx::raw_sql("SELECT now() = statement_timestamp()")
            .fetch_one(&mut *conn)
            .await
            .and_then(|row| row.try_get::<bool, _>(0));
        match outside {
            Ok(true) => Ok(agrees(conn.is_in_transaction())),
            Ok(false) => {
                tracing::warn!("closing a PostgreSQL connection left inside a transaction");
                Ok(false)
            }
            Err(error) => {
                tracing::warn!(%error, "closing a PostgreSQL connection that failed its check");
                Ok(false)
            }
        }
    })
}

/// The database is outside a transaction; sqlx must think so too.
fn agrees(sqlx_in_transaction: bool) -> bool {
    if sqlx_in_transaction {
        tracing::warn!("closing a connection sqlx believes is inside a transaction");
    }
    !sqlx_in_transaction
}

/// How long one readiness answer about writes is reused.
const PROBE_REUSE: Duration = Duration::from_secs(1);
/// How long the write probe may take before readiness calls the database unwritable.
const PROBE_PATIENCE: Duration = Duration::from_secs(5);

/// Whether a write commits, learnt by committing one (`write_probe`'s single row), at most
/// once a second however often readiness is asked.
#[derive(Default)]
pub struct WriteProbe {
    last: Mutex<Option<(Instant, Result<(), String>)>>,
}

impl WriteProbe {
    /// `Ok` when a write committed within the last second, else why not.
    pub async fn check(&self, db: &DatabaseConnection) -> Result<(), String> {
        let mut last = self.last.lock().await;
        if let Some((at, outcome)) = last.as_ref()
            && at.elapsed() < PROBE_REUSE
        {
            return outcome.clone();
        }
        let outcome = match tokio::time::timeout(PROBE_PATIENCE, write_once(db)).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(err)) => Err(err.to_string()),
            Err(_) => Err(format!(
                "a one-row write did not commit within {} s",
                PROBE_PATIENCE.as_secs()
            )),
        };
        if let Err(reason) = &outcome {
            tracing::warn!(%reason, "the database does not take writes");
        }
        *last = Some((Instant::now(), outcome.clone()));
        outcome
    }
}

async fn write_once(db: &DatabaseConnection) -> Result<(), DbErr> {
    let txn = schema::domain::db::begin_write(db).await?;
    txn.execute_unprepared(
        "INSERT INTO write_probe (id, checks) VALUES (1, 1) \
         ON CONFLICT (id) DO UPDATE SET checks = write_probe.checks + 1",
    )
    .await?;
    txn.commit().await
}
