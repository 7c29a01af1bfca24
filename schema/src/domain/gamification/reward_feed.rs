//! This instance's hub of reward events for their live subscribers, held in the app state.
//! PostgreSQL: the live listener hands it every instance's events as they commit. SQLite:
//! once a request is over (`after_request`), it drains the outbox (only while someone here
//! listens) and fans each event out to its user's subscribers.
use std::sync::Arc;

use entity::reward_events;
use futures_util::{Stream, stream};
use sea_orm::{ColumnTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter, QueryOrder};
use tokio::{sync::mpsc, task::JoinHandle};

use super::reward_events::{CHANNEL, RewardEvent, UNDRAINED_LIFE};
use crate::domain::{
    Actor, AppResult, UserId,
    fanout::{Fanout, Subscription},
    live,
};

#[derive(Clone)]
pub struct RewardFeed {
    inner: Arc<Inner>,
}

struct Inner {
    db: DatabaseConnection,
    users: Fanout<RewardEvent>,
    /// SQLite: wakes the drain after a request.
    drain: mpsc::UnboundedSender<()>,
}

impl RewardFeed {
    /// Builds the feed over `db` and, on SQLite, starts its drain (call inside the runtime).
    pub fn spawn(db: DatabaseConnection) -> (Self, JoinHandle<()>) {
        let (drain, woken) = mpsc::unbounded_channel();
        let feed = Self {
            inner: Arc::new(Inner {
                db,
                users: Fanout::default(),
                drain,
            }),
        };
        let task = tokio::spawn(feed.clone().drain_when_woken(woken));
        (feed, task)
    }

    /// The signed-in user's reward events from now on, from every device and instance.
    pub fn events(&self, actor: &Actor) -> AppResult<impl Stream<Item = Arc<RewardEvent>> + use<>> {
        let subscription = self.inner.users.subscribe(actor.require_user()?);
        Ok(stream::unfold(
            subscription,
            |mut subscription| async move {
                loop {
                    // A subscriber that fell behind skips what it missed: toasts, not a record.
                    if let Ok(event) = subscription.next().await {
                        return Some((event, subscription));
                    }
                }
            },
        ))
    }

    /// Starts receiving `user`'s events on this instance.
    pub fn subscribe(&self, user: UserId) -> Subscription<RewardEvent> {
        self.inner.users.subscribe(user)
    }

    /// How many subscriptions of `user` this instance holds.
    pub fn subscribers(&self, user: UserId) -> usize {
        self.inner.users.subscribers(user)
    }

    /// A request is over: on SQLite, the events it committed go out now.
    pub fn after_request(&self) {
        let sqlite = self.inner.db.get_database_backend() == DbBackend::Sqlite;
        if sqlite && !self.inner.users.is_empty() {
            // Closed only when the drain is gone, i.e. at shutdown.
            self.inner.drain.send(()).ok();
        }
    }

    async fn drain_when_woken(self, mut woken: mpsc::UnboundedReceiver<()>) {
        while woken.recv().await.is_some() {
            // One drain answers every wake queued meanwhile.
            while woken.try_recv().is_ok() {}
            if let Err(err) = self.drain().await {
                tracing::warn!(error = %err, "reward events not delivered");
            }
        }
    }

    /// Delivers and deletes every committed event of the outbox.
    async fn drain(&self) -> AppResult<()> {
        let db = &self.inner.db;
        let rows = reward_events::Entity::find()
            .order_by_asc(reward_events::Column::CreatedAt)
            .order_by_asc(reward_events::Column::Id)
            .all(db)
            .await?;
        if rows.is_empty() {
            return Ok(());
        }
        reward_events::Entity::delete_many()
            .filter(reward_events::Column::Id.is_in(rows.iter().map(|r| r.id)))
            .exec(db)
            .await?;
        // Rows the periodic prune has not reached yet had nobody to show them to in time.
        let newest = rows.iter().map(|r| r.created_at).max();
        rows.iter()
            .filter(|r| newest.is_some_and(|n| r.created_at >= n - UNDRAINED_LIFE))
            .for_each(|row| self.deliver_payload(&row.payload));
        Ok(())
    }

    fn deliver_payload(&self, payload: &str) {
        match serde_json::from_str::<RewardEvent>(payload) {
            Ok(event) => self.inner.users.send(event.user, event),
            Err(err) => tracing::warn!(error = %err, "an unreadable reward event"),
        }
    }
}

impl live::Feed for RewardFeed {
    fn channel(&self) -> &'static str {
        CHANNEL
    }

    fn deliver(&self, payload: &str) {
        self.deliver_payload(payload);
    }

    fn resync(&self) {
        // Events sent while the listener was away are gone; the ledger keeps what they paid.
    }
}

impl std::fmt::Debug for RewardFeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RewardFeed").finish_non_exhaustive()
    }
}
