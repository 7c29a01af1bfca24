//! This instance's hub of focus events, held in the app state (never a global). A change
//! commits and sends a small `Signal` (ids and a version, never the row): on SQLite straight
//! to this instance's dispatcher once committed; on PostgreSQL as a NOTIFY inside the
//! transaction, which PostgreSQL delivers to every instance's live listener at commit,
//! never on rollback. The dispatcher reads the session once per signal, and only when this
//! instance has subscribers for its user, then fans the snapshot out to all of them.
use std::sync::Arc;

use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend};
use serde::{Deserialize, Serialize};
use tokio::{
    sync::{broadcast, mpsc},
    task::JoinHandle,
};
use uuid::Uuid;

use super::{notify_bridge, store, timer::Snapshot};
use crate::domain::{
    AppResult, UserId,
    fanout::{Fanout, Subscription},
};

/// Which session of which user changed, and to which version: a NOTIFY payload of about
/// 100 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signal {
    #[serde(rename = "u")]
    pub user: Uuid,
    #[serde(rename = "s")]
    pub session: Uuid,
    #[serde(rename = "v")]
    pub version: i64,
}

impl Signal {
    pub fn of(snapshot: &Snapshot) -> Self {
        Self {
            user: snapshot.session.user_id,
            session: snapshot.id(),
            version: snapshot.version(),
        }
    }
}

/// What wakes the dispatcher.
#[derive(Debug, Clone, Copy)]
pub(super) enum Wake {
    Changed(Signal),
    /// Signals may have been lost (the listener reconnected): send every subscribed user's
    /// latest session again; subscribers drop what they already have.
    Resync,
}

#[derive(Clone)]
pub struct FocusBroker {
    inner: Arc<Inner>,
}

struct Inner {
    db: DatabaseConnection,
    users: Fanout<Snapshot>,
    wake: mpsc::UnboundedSender<Wake>,
}

/// The broker's background task: the dispatcher. On PostgreSQL the live listener (started
/// beside it, `domain::live_listener`) feeds it other instances' changes.
#[derive(Debug)]
pub struct BrokerTasks(Vec<JoinHandle<()>>);

impl BrokerTasks {
    pub fn abort(&self) {
        self.0.iter().for_each(JoinHandle::abort);
    }
}

impl FocusBroker {
    /// Builds the broker over `db` and starts its tasks (call inside the runtime).
    pub fn spawn(db: DatabaseConnection) -> (Self, BrokerTasks) {
        let (wake, woken) = mpsc::unbounded_channel();
        let broker = Self {
            inner: Arc::new(Inner {
                db,
                users: Fanout::default(),
                wake,
            }),
        };
        let tasks = vec![tokio::spawn(broker.clone().dispatch(woken))];
        (broker, BrokerTasks(tasks))
    }

    pub(super) fn db(&self) -> &DatabaseConnection {
        &self.inner.db
    }

    pub(super) fn wake(&self, wake: Wake) {
        // Closed only when the dispatcher is gone, i.e. at shutdown.
        self.inner.wake.send(wake).ok();
    }

    /// Commits `txn` and announces `signals` to every instance, after the commit only.
    pub async fn commit(&self, txn: DatabaseTransaction, signals: &[Signal]) -> AppResult<()> {
        let postgres = txn.get_database_backend() == DbBackend::Postgres;
        if postgres {
            for signal in signals {
                notify_bridge::notify(&txn, signal).await?;
            }
        }
        txn.commit().await?;
        if !postgres {
            for signal in signals {
                self.wake(Wake::Changed(*signal));
            }
        }
        Ok(())
    }

    /// Starts receiving every change of `user`'s sessions on this instance.
    pub fn subscribe(&self, user: UserId) -> Subscription<Snapshot> {
        self.inner.users.subscribe(user)
    }

    /// How many subscriptions of `user` this instance holds.
    pub fn subscribers(&self, user: UserId) -> usize {
        self.inner.users.subscribers(user)
    }

    async fn dispatch(self, mut woken: mpsc::UnboundedReceiver<Wake>) {
        while let Some(wake) = woken.recv().await {
            let found = match wake {
                Wake::Changed(signal) => {
                    let Some(sender) = self.inner.users.sender(signal.user) else {
                        continue;
                    };
                    store::snapshot(self.db(), signal.session)
                        .await
                        .map(|s| s.into_iter().map(|s| (sender.clone(), s)).collect())
                }
                Wake::Resync => self.latest_of_subscribed().await,
            };
            match found {
                Ok(found) => {
                    for (sender, snapshot) in found {
                        // No receiver left is fine: the last subscriber just went.
                        sender.send(Arc::new(snapshot)).ok();
                    }
                }
                Err(err) => tracing::warn!(error = %err, cause = ?err, "focus event not delivered"),
            }
        }
    }

    async fn latest_of_subscribed(
        &self,
    ) -> AppResult<Vec<(broadcast::Sender<Arc<Snapshot>>, Snapshot)>> {
        let mut found = Vec::new();
        for (user, sender) in self.inner.users.senders() {
            if let Some(snapshot) = store::latest(self.db(), UserId(user)).await? {
                found.push((sender, snapshot));
            }
        }
        Ok(found)
    }
}

impl std::fmt::Debug for FocusBroker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FocusBroker").finish_non_exhaustive()
    }
}
