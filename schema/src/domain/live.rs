//! Live feeds from committed changes to this instance's subscribers, shared by the areas.
//! A change travels with its transaction: on PostgreSQL as a NOTIFY that PostgreSQL
//! delivers to every instance at commit (never on rollback), received by one LISTEN
//! connection per instance (`live_listener`) and routed by channel to its `Feed`; on SQLite (one
//! instance) each feed delivers in-process once the commit is done.
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::domain::AppResult;

/// A feed that receives its channel's notifications from the listener.
pub trait Feed: Send + Sync + 'static {
    /// The NOTIFY channel it listens on.
    fn channel(&self) -> &'static str;

    /// One notification's payload, as the change's transaction sent it.
    fn deliver(&self, payload: &str);

    /// Notifications may have been lost (the connection was lost and is back): catch up.
    fn resync(&self);

    /// The connection is lost and not back yet: notifications sent meanwhile are gone.
    fn lost(&self) {}
}

/// Queues `payload` on `channel` in the caller's PostgreSQL transaction, delivered to every
/// instance's listener when it commits.
pub async fn notify(conn: &impl ConnectionTrait, channel: &str, payload: String) -> AppResult<()> {
    conn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [channel.into(), payload.into()],
    ))
    .await?;
    Ok(())
}
