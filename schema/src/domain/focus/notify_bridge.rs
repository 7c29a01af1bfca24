//! PostgreSQL's half of the broker: a change's transaction sends `NOTIFY focus_changes`
//! with its `Signal` (delivered at commit, never on rollback), and every instance LISTENs on
//! a dedicated connection of its own (sqlx's `PgListener`, outside the request pool).
//! When that connection is lost the listener reconnects, with a growing pause between
//! attempts, and asks the dispatcher to resend every subscribed user's latest session,
//! since notifications sent meanwhile are gone.
use std::time::Duration;

use sea_orm::{
    ConnectionTrait, DbBackend, Statement,
    sqlx::{
        self,
        postgres::{PgListener, PgPoolOptions},
    },
};

use super::broker::{FocusBroker, Signal, Wake};
use crate::domain::{AppError, AppResult};

/// The NOTIFY channel of focus changes.
pub const CHANNEL: &str = "focus_changes";

/// The listener's `application_name`, as `pg_stat_activity` shows it.
pub const LISTENER_NAME: &str = "focus_listener";

/// Queues `signal` in the caller's transaction.
pub(super) async fn notify(conn: &impl ConnectionTrait, signal: &Signal) -> AppResult<()> {
    let payload = serde_json::to_string(signal).map_err(AppError::internal)?;
    conn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [CHANNEL.into(), payload.into()],
    ))
    .await?;
    Ok(())
}

const FIRST_RETRY: Duration = Duration::from_millis(100);
const LAST_RETRY: Duration = Duration::from_secs(10);

/// Listens until the app stops, reconnecting whenever the connection is lost. Spawned only
/// over a PostgreSQL pool (`FocusBroker::spawn` checks).
pub(super) async fn listen(broker: FocusBroker) {
    let options = broker
        .db()
        .get_postgres_connection_pool()
        .connect_options()
        .as_ref()
        .clone()
        .application_name(LISTENER_NAME);
    // One connection of its own, so listening never takes one from requests.
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_lazy_with(options);
    let mut retry = FIRST_RETRY;
    loop {
        let lost = listen_once(&broker, &pool, &mut retry).await;
        broker.set_listening(false);
        match lost {
            Err(sqlx::Error::PoolClosed) => return,
            Err(err) => tracing::warn!(error = %err, ?retry, "focus listener lost; reconnecting"),
            Ok(()) => {}
        }
        tokio::time::sleep(retry).await;
        retry = (retry * 2).min(LAST_RETRY);
    }
}

/// One connection's life: LISTEN, resync (what was sent while nobody listened is gone),
/// then relay signals until the connection fails.
async fn listen_once(
    broker: &FocusBroker,
    pool: &sqlx::PgPool,
    retry: &mut Duration,
) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    // A lost connection comes back as `Ok(None)` once sqlx has reconnected and listens again.
    listener.eager_reconnect(true);
    listener.listen(CHANNEL).await?;
    *retry = FIRST_RETRY;
    broker.set_listening(true);
    broker.wake(Wake::Resync);
    loop {
        match listener.try_recv().await? {
            Some(notification) => match serde_json::from_str::<Signal>(notification.payload()) {
                Ok(signal) => broker.wake(Wake::Changed(signal)),
                Err(err) => tracing::warn!(error = %err, "an unreadable focus notification"),
            },
            None => {
                tracing::warn!("focus listener reconnected; resending the latest sessions");
                broker.wake(Wake::Resync);
            }
        }
    }
}
