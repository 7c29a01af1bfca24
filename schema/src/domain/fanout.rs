//! Per-user fan-out of one instance: each subscribed user has a broadcast channel that
//! lives while someone listens; the last subscriber to leave removes it.
use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard},
};

use tokio::sync::broadcast;
use uuid::Uuid;

use crate::domain::UserId;

/// How many items a subscriber may fall behind before it is told it lagged.
const SUBSCRIBER_BACKLOG: usize = 64;

/// The users subscribed on this instance, each with their channel of `T`.
pub struct Fanout<T> {
    users: Arc<Mutex<HashMap<Uuid, broadcast::Sender<Arc<T>>>>>,
}

impl<T> Clone for Fanout<T> {
    fn clone(&self) -> Self {
        Self {
            users: self.users.clone(),
        }
    }
}

impl<T> Default for Fanout<T> {
    fn default() -> Self {
        Self {
            users: Arc::default(),
        }
    }
}

impl<T> Fanout<T> {
    /// Starts receiving what is sent to `user` on this instance.
    pub fn subscribe(&self, user: UserId) -> Subscription<T> {
        let receiver = self
            .users()
            .entry(user.0)
            .or_insert_with(|| broadcast::channel(SUBSCRIBER_BACKLOG).0)
            .subscribe();
        Subscription {
            receiver: Some(receiver),
            user: user.0,
            fanout: self.clone(),
        }
    }

    /// How many subscriptions of `user` this instance holds.
    pub fn subscribers(&self, user: UserId) -> usize {
        self.users()
            .get(&user.0)
            .map_or(0, broadcast::Sender::receiver_count)
    }

    /// Whether anyone is subscribed on this instance.
    pub fn is_empty(&self) -> bool {
        self.users().is_empty()
    }

    /// The sender of `user`'s channel, when someone listens.
    pub fn sender(&self, user: Uuid) -> Option<broadcast::Sender<Arc<T>>> {
        self.users().get(&user).cloned()
    }

    /// Every subscribed user with their sender.
    pub fn senders(&self) -> Vec<(Uuid, broadcast::Sender<Arc<T>>)> {
        self.users()
            .iter()
            .map(|(user, sender)| (*user, sender.clone()))
            .collect()
    }

    /// Sends `item` to `user`'s subscribers here; nobody listening is fine.
    pub fn send(&self, user: Uuid, item: T) {
        if let Some(sender) = self.sender(user) {
            sender.send(Arc::new(item)).ok();
        }
    }

    fn users(&self) -> MutexGuard<'_, HashMap<Uuid, broadcast::Sender<Arc<T>>>> {
        // The map stays consistent whatever panicked while holding it.
        self.users
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// One subscriber's feed; dropping it unsubscribes.
pub struct Subscription<T> {
    receiver: Option<broadcast::Receiver<Arc<T>>>,
    user: Uuid,
    fanout: Fanout<T>,
}

/// A subscriber fell too far behind and missed items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lagged;

impl<T> Subscription<T> {
    /// The next item; `Err(Lagged)` when some were missed. Never ends while the app runs.
    pub async fn next(&mut self) -> Result<Arc<T>, Lagged> {
        let Some(receiver) = self.receiver.as_mut() else {
            return std::future::pending().await;
        };
        match receiver.recv().await {
            Ok(item) => Ok(item),
            Err(broadcast::error::RecvError::Lagged(_)) => Err(Lagged),
            // The sender lives in the map while this receiver does.
            Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
        }
    }
}

impl<T> Drop for Subscription<T> {
    fn drop(&mut self) {
        // Drop the receiver first, so the last subscriber to leave sees a count of zero.
        self.receiver = None;
        let mut users = self.fanout.users();
        if users
            .get(&self.user)
            .is_some_and(|sender| sender.receiver_count() == 0)
        {
            users.remove(&self.user);
        }
    }
}
