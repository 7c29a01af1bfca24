//! Sessions revoked, announced after commit so open WebSockets of those sessions close
//! and this instance's sign-in cache forgets them before the answer leaves.
use tokio::sync::broadcast;
use uuid::Uuid;

use super::sign_in_cache::SignInCache;

#[derive(Debug, Clone)]
pub struct Revocations {
    sender: broadcast::Sender<Uuid>,
    sign_ins: SignInCache,
}

impl Revocations {
    pub fn new(sign_ins: SignInCache) -> Self {
        Self {
            sender: broadcast::channel(1_024).0,
            sign_ins,
        }
    }

    /// Announces that these sessions no longer hold. Call after the revoking commit.
    pub fn publish(&self, sessions: impl IntoIterator<Item = Uuid>) {
        let sessions: Vec<Uuid> = sessions.into_iter().collect();
        self.sign_ins.forget_sessions(&sessions);
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
