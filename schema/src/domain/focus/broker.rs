//! This instance's hub of focus events, held in the app state (never a global). A change
//! commits and sends a small `Signal` (ids and a version, never the row): on SQLite straight
//! to this instance's dispatcher once committed; on PostgreSQL as a NOTIFY inside the
//! transaction, which PostgreSQL delivers to every instance's listener (`relay`) at commit,
//! never on rollback. The dispatcher reads the session once per signal, and only when this
//! instance has subscribers for its user, then fans the snapshot out to all of them.
use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard},
};

use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend};
use serde::{Deserialize, Serialize};
use tokio::{
    sync::{broadcast, mpsc, watch},
    task::JoinHandle,
};
use uuid::Uuid;

use super::{notify_bridge, store, timer::Snapshot};
use crate::domain::{AppResult, UserId};

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

/// How many snapshots a subscriber may fall behind before it reads the latest itself.
const SUBSCRIBER_BACKLOG: usize = 64;

#[derive(Clone)]
pub struct FocusBroker {
    inner: Arc<Inner>,
}

struct Inner {
    db: DatabaseConnection,
    users: Mutex<HashMap<Uuid, broadcast::Sender<Arc<Snapshot>>>>,
    wake: mpsc::UnboundedSender<Wake>,
    /// On PostgreSQL, whether the listener is connected and listening.
    listening: watch::Sender<bool>,
}

/// The broker's background tasks: the dispatcher and, on PostgreSQL, the listener.
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
                users: Mutex::default(),
                wake,
                listening: watch::channel(false).0,
            }),
        };
        let mut tasks = vec![tokio::spawn(broker.clone().dispatch(woken))];
        if broker.inner.db.get_database_backend() == DbBackend::Postgres {
            tasks.push(tokio::spawn(notify_bridge::listen(broker.clone())));
        }
        (broker, BrokerTasks(tasks))
    }

    pub(super) fn db(&self) -> &DatabaseConnection {
        &self.inner.db
    }

    pub(super) fn set_listening(&self, listening: bool) {
        self.inner.listening.send_replace(listening);
    }

    /// Waits up to `within` until events from other instances arrive: at once on SQLite
    /// (one instance), on PostgreSQL once the listener listens. False if it did not.
    pub async fn wait_until_listening(&self, within: std::time::Duration) -> bool {
        if self.inner.db.get_database_backend() != DbBackend::Postgres {
            return true;
        }
        let mut listening = self.inner.listening.subscribe();
        tokio::time::timeout(within, listening.wait_for(|on| *on))
            .await
            .is_ok_and(|seen| seen.is_ok())
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
    pub fn subscribe(&self, user: UserId) -> Subscription {
        let receiver = self
            .users()
            .entry(user.0)
            .or_insert_with(|| broadcast::channel(SUBSCRIBER_BACKLOG).0)
            .subscribe();
        Subscription {
            receiver: Some(receiver),
            user: user.0,
            broker: self.clone(),
        }
    }

    /// How many subscriptions of `user` this instance holds.
    pub fn subscribers(&self, user: UserId) -> usize {
        self.users()
            .get(&user.0)
            .map_or(0, broadcast::Sender::receiver_count)
    }

    fn users(&self) -> MutexGuard<'_, HashMap<Uuid, broadcast::Sender<Arc<Snapshot>>>> {
        // The map stays consistent whatever panicked while holding it.
        self.inner
            .users
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn sender(&self, user: Uuid) -> Option<broadcast::Sender<Arc<Snapshot>>> {
        self.users().get(&user).cloned()
    }

    async fn dispatch(self, mut woken: mpsc::UnboundedReceiver<Wake>) {
        while let Some(wake) = woken.recv().await {
            let found = match wake {
                Wake::Changed(signal) => {
                    let Some(sender) = self.sender(signal.user) else {
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
        let users: Vec<_> = self
            .users()
            .iter()
            .map(|(user, sender)| (*user, sender.clone()))
            .collect();
        let mut found = Vec::new();
        for (user, sender) in users {
            if let Some(snapshot) = store::latest(self.db(), UserId(user)).await? {
                found.push((sender, snapshot));
            }
        }
        Ok(found)
    }
}

/// One subscriber's feed of snapshots; dropping it unsubscribes.
pub struct Subscription {
    receiver: Option<broadcast::Receiver<Arc<Snapshot>>>,
    user: Uuid,
    broker: FocusBroker,
}

/// A subscriber fell too far behind and missed snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lagged;

impl Subscription {
    /// The next snapshot; `Err(Lagged)` when some were missed. Never ends while the app runs.
    pub async fn next(&mut self) -> Result<Arc<Snapshot>, Lagged> {
        let Some(receiver) = self.receiver.as_mut() else {
            return std::future::pending().await;
        };
        match receiver.recv().await {
            Ok(snapshot) => Ok(snapshot),
            Err(broadcast::error::RecvError::Lagged(_)) => Err(Lagged),
            // The sender lives in the broker's map while this receiver does.
            Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        // Drop the receiver first, so the last subscriber to leave sees a count of zero.
        self.receiver = None;
        let mut users = self.broker.users();
        if users
            .get(&self.user)
            .is_some_and(|sender| sender.receiver_count() == 0)
        {
            users.remove(&self.user);
        }
    }
}

impl std::fmt::Debug for FocusBroker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FocusBroker").finish_non_exhaustive()
    }
}
