//! Sessions revoked, announced after commit so open WebSockets of those sessions close.
use tokio::sync::broadcast;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Revocations {
    sender: broadcast::Sender<Uuid>,
}

impl Default for Revocations {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(1_024).0,
        }
    }
}

impl Revocations {
    /// Announces that these sessions no longer hold. Call after the revoking commit.
    pub fn publish(&self, sessions: impl IntoIterator<Item = Uuid>) {
        for session in sessions {
            // No listener is fine: nothing is open for that session.
            self.sender.send(session).ok();
        }
    }

    /// Resolves once `session` is revoked.
    pub async fn revoked(&self, session: Uuid) {
        let mut receiver = self.sender.subscribe();
        loop {
            match receiver.recv().await {
                Ok(id) if id == session => return,
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => {
                    std::future::pending::<()>().await;
                }
            }
        }
    }
}
