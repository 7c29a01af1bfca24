//! Background jobs of one instance. Each is safe when every instance runs it.
use std::{sync::Arc, time::Duration};

use schema::domain::{
    auth::{Identity, sweeper},
    clock::SharedClock,
    focus::{FocusBroker, expiry},
    gamification::reward_events,
};
use sea_orm::DatabaseConnection;
use tokio::task::JoinHandle;

/// How often expired sessions, links and OAuth states, and undrained reward events, are
/// swept.
const SWEEP_EVERY: Duration = Duration::from_secs(10 * 60);

/// Starts the sweeper (identity tables, then the reward outbox); abort the handle to stop
/// it.
pub fn spawn_sweeper(
    db: DatabaseConnection,
    identity: Arc<Identity>,
    clock: SharedClock,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks =
            tokio::time::interval_at(tokio::time::Instant::now() + SWEEP_EVERY, SWEEP_EVERY);
        loop {
            ticks.tick().await;
            match sweeper::sweep(&db, &identity, clock.now()).await {
                Ok(swept) => tracing::info!(?swept, "identity sweep"),
                Err(err) => tracing::warn!(error = %err, cause = ?err, "identity sweep failed"),
            }
            if let Err(err) = reward_events::prune(&db, clock.now()).await {
                tracing::warn!(error = %err, cause = ?err, "reward outbox prune failed");
            }
        }
    })
}

/// Starts the focus expiry job: it abandons sessions nobody completed in time, without
/// reward, and announces each to the user's devices. Every instance may run it: the
/// claim is one conditional UPDATE, so each session expires once.
pub fn spawn_focus_expiry(
    db: DatabaseConnection,
    broker: FocusBroker,
    clock: SharedClock,
    every: Duration,
) -> JoinHandle<()> {
    // A zero period would make the interval panic.
    let every = every.max(Duration::from_secs(1));
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        loop {
            ticks.tick().await;
            match expiry::expire_overdue(&db, &broker, clock.now()).await {
                Ok(0) => {}
                Ok(expired) => tracing::info!(expired, "focus sessions expired"),
                Err(err) => tracing::warn!(error = %err, cause = ?err, "focus expiry failed"),
            }
        }
    })
}
