//! Keeping a connection whose transaction state is unknown out of the pool, and telling
//! readiness whether the database still takes writes.
//!
//! Why the pool check: when SQLite fails a `COMMIT` with an I/O error (a full disk) it may
//! roll the transaction back itself, or keep it open. sqlx lowers its transaction depth only
//! after a *successful* `COMMIT`/`ROLLBACK`, so such a connection went back to the pool
//! believing it was still inside a transaction; every later transaction on it became a
//! `SAVEPOINT` whose "commit" released the savepoint inside a transaction that never ended,
//! and acknowledged writes were lost. So every connection is checked on its way back to
//! the pool, after any rollback its dropped transaction queued, and closed unless sqlx
//! believes no transaction is open, and, on SQLite, the database agrees.
//!
//! PostgreSQL needs no question to the database: it cannot be left inside a transaction
//! that sqlx believes ended. A `COMMIT` ends the transaction whatever its outcome (a failed
//! one rolls back), and a failed one leaves sqlx's depth above zero, so that connection is
//! closed here. The one other way sqlx's depth drops, a dropped transaction's queued
//! `ROLLBACK`, is sent by sqlx's own check after this one (an empty `Sync` round trip on
//! every release, which also closes a connection whose `ROLLBACK` or stream failed). No code
//! here sends `BEGIN` outside sqlx's transaction manager. And were a connection ever
//! reused with sqlx believing it *was* inside a transaction, PostgreSQL refuses the
//! `SAVEPOINT` sqlx would send outside one: the write fails loudly instead of being lost
//! as on SQLite, where a `SAVEPOINT` outside a transaction silently opens one.
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbErr,
    sqlx::{self, Connection, PgConnection, SqliteConnection, pool::PoolConnectionMetadata},
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

/// `after_release` for PostgreSQL: sqlx must believe no transaction is open (see the module
/// doc for why that suffices there, without a round trip).
pub(super) fn postgres_after_release<'c>(
    conn: &'c mut PgConnection,
    _: PoolConnectionMetadata,
) -> BoxFuture<'c, Result<bool, sqlx::Error>> {
    Box::pin(std::future::ready(Ok(agrees(conn.is_in_transaction()))))
}

/// sqlx must believe no transaction is open (the database, where asked, said so).
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
