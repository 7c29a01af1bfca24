//! Background jobs of one instance. Each is safe when every instance runs it.
use std::{sync::Arc, time::Duration};

use schema::domain::{
    auth::{Identity, sweeper},
    clock::SharedClock,
};
use sea_orm::DatabaseConnection;
use tokio::task::JoinHandle;

/// How often expired sessions, links and OAuth states are swept.
const SWEEP_EVERY: Duration = Duration::from_secs(10 * 60);

/// Starts the identity sweeper; abort the handle to stop it.
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
        }
    })
}
