//! PostgreSQL's half of the focus broker: a change's transaction sends `NOTIFY focus_changes`
//! with its `Signal` (delivered at commit, never on rollback); every instance's live
//! listener (`domain::live_listener`) hands it to the broker, which reads and fans out the
//! session. After a lost connection the broker resends every subscribed user's latest
//! session, since notifications sent meanwhile are gone.
use super::broker::{FocusBroker, Signal, Wake};
use crate::domain::{AppError, AppResult, live};

/// The NOTIFY channel of focus changes.
pub const CHANNEL: &str = "focus_changes";

/// Queues `signal` in the caller's transaction.
pub(super) async fn notify(conn: &impl sea_orm::ConnectionTrait, signal: &Signal) -> AppResult<()> {
    let payload = serde_json::to_string(signal).map_err(AppError::internal)?;
    live::notify(conn, CHANNEL, payload).await
}

impl live::Feed for FocusBroker {
    fn channel(&self) -> &'static str {
        CHANNEL
    }

    fn deliver(&self, payload: &str) {
        match serde_json::from_str::<Signal>(payload) {
            Ok(signal) => self.wake(Wake::Changed(signal)),
            Err(err) => tracing::warn!(error = %err, "an unreadable focus notification"),
        }
    }

    fn resync(&self) {
        self.wake(Wake::Resync);
    }
}
