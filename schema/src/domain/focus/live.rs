//! A subscriber's stream of the user's session changes. It subscribes before it reads the
//! current state, so nothing falls between the two; it passes on only versions newer than
//! what it has sent, so a resync or a repeat never goes out twice; and when it falls
//! behind, it reads the latest state itself instead of replaying what it missed.
use std::sync::Arc;

use futures_util::{Stream, stream};
use sea_orm::DatabaseConnection;

use super::{broker::FocusBroker, store, timer::Snapshot};
use crate::domain::{Actor, AppResult, UserId, fanout::Subscription};

/// Every change of the signed-in user's sessions from now on. With `since` (the last
/// version a device saw; 0 for none), the latest session comes first if it is newer.
///
/// Without `since` nothing is read: every change the broker carries after subscribing goes
/// out. Taking the latest version as the baseline instead would drop a change committed
/// between the subscription and that read, since its version is the one read.
pub async fn changes(
    db: &DatabaseConnection,
    broker: &FocusBroker,
    actor: &Actor,
    since: Option<i64>,
) -> AppResult<impl Stream<Item = Arc<Snapshot>> + Send + use<>> {
    let user = actor.require_user()?;
    let subscription = broker.subscribe(user);
    let (last, first) = match since {
        Some(since) => {
            let latest = store::latest(db, user).await?;
            (since, latest.filter(|s| s.version() > since).map(Arc::new))
        }
        None => (i64::MIN, None),
    };
    let feed = Feed {
        db: db.clone(),
        user,
        subscription,
        last,
        first,
    };
    Ok(stream::unfold(feed, |mut feed| async move {
        let next = feed.next().await;
        Some((next, feed))
    }))
}

struct Feed {
    db: DatabaseConnection,
    user: UserId,
    subscription: Subscription<Snapshot>,
    /// The newest version sent.
    last: i64,
    first: Option<Arc<Snapshot>>,
}

impl Feed {
    async fn next(&mut self) -> Arc<Snapshot> {
        if let Some(first) = self.first.take() {
            self.last = first.version();
            return first;
        }
        loop {
            let candidate = match self.subscription.next().await {
                Ok(snapshot) => Some(snapshot),
                Err(_lagged) => match store::latest(&self.db, self.user).await {
                    Ok(latest) => latest.map(Arc::new),
                    Err(err) => {
                        tracing::warn!(error = %err, "a lagging focus subscriber could not catch up");
                        None
                    }
                },
            };
            if let Some(snapshot) = candidate.filter(|s| s.version() > self.last) {
                self.last = snapshot.version();
                return snapshot;
            }
        }
    }
}
