//! Shutdown as the app sees it: once draining, readiness answers 503 and every WebSocket
//! closes with 1001 Going Away; the listener counts the sockets still open.
use std::sync::Arc;

use tokio::sync::watch;

/// Cloned into every handler that must know the server is going away.
#[derive(Clone)]
pub struct Drain {
    going_away: watch::Receiver<bool>,
    sender: Arc<watch::Sender<bool>>,
    /// One clone per open WebSocket (see `socket_guard`).
    sockets: Arc<()>,
}

impl Default for Drain {
    fn default() -> Self {
        let (sender, going_away) = watch::channel(false);
        Self {
            going_away,
            sender: Arc::new(sender),
            sockets: Arc::new(()),
        }
    }
}

impl Drain {
    /// Starts draining: readiness turns 503, WebSockets are told to close.
    pub fn begin(&self) {
        self.sender.send_replace(true);
    }

    pub fn is_draining(&self) -> bool {
        *self.going_away.borrow()
    }

    /// Resolves once draining begins (at once if it has).
    pub async fn going_away(mut self) {
        if self
            .going_away
            .wait_for(|draining| *draining)
            .await
            .is_err()
        {
            std::future::pending::<()>().await;
        }
    }

    /// Held by an open WebSocket for as long as it is open.
    pub fn socket_guard(&self) -> Arc<()> {
        self.sockets.clone()
    }

    /// WebSockets still open.
    pub fn open_sockets(&self) -> usize {
        Arc::strong_count(&self.sockets).saturating_sub(self.holders())
    }

    /// Clones of `Drain` itself hold the count too; they are not sockets.
    fn holders(&self) -> usize {
        Arc::strong_count(&self.sender)
    }
}
