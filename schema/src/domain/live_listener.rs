//! PostgreSQL's half of the live feeds: every instance LISTENs on one dedicated connection
//! of its own (sqlx's `PgListener`, outside the request pool) to every feed's channel, and
//! hands each notification to the feed of its channel. When that connection is lost the
//! listener reconnects, with a growing pause between attempts, and asks every feed to catch
//! up, since notifications sent meanwhile are gone.
use std::{sync::Arc, time::Duration};

use sea_orm::{
    DatabaseConnection, DbBackend,
    sqlx::{
        self,
        postgres::{PgListener, PgPoolOptions},
    },
};
use tokio::{sync::watch, task::JoinHandle};

use super::live::Feed;

/// The listener's `application_name`, as `pg_stat_activity` shows it.
pub const LISTENER_NAME: &str = "live_listener";

const FIRST_RETRY: Duration = Duration::from_millis(100);
const LAST_RETRY: Duration = Duration::from_secs(10);

/// Whether the listener is connected and listening.
#[derive(Debug, Clone)]
pub struct Listening(watch::Receiver<bool>);

impl Listening {
    /// Waits up to `within` until the listener listens. False if it did not.
    pub async fn wait(&self, within: Duration) -> bool {
        let mut listening = self.0.clone();
        tokio::time::timeout(within, listening.wait_for(|on| *on))
            .await
            .is_ok_and(|seen| seen.is_ok())
    }
}

/// Starts listening for `feeds` over `db`'s pool until the app stops, when it is
/// PostgreSQL's; SQLite has one instance and nothing to listen to (always listening).
pub fn spawn(
    db: &DatabaseConnection,
    feeds: Vec<Arc<dyn Feed>>,
) -> (Listening, Option<JoinHandle<()>>) {
    if db.get_database_backend() != DbBackend::Postgres {
        return (Listening(watch::channel(true).1), None);
    }
    let options = db
        .get_postgres_connection_pool()
        .connect_options()
        .as_ref()
        .clone()
        .application_name(LISTENER_NAME);
    // One connection of its own, so listening never takes one from requests.
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_lazy_with(options);
    let (listening, seen) = watch::channel(false);
    let task = tokio::spawn(listen(pool, feeds, listening));
    (Listening(seen), Some(task))
}

async fn listen(pool: sqlx::PgPool, feeds: Vec<Arc<dyn Feed>>, listening: watch::Sender<bool>) {
    let mut retry = FIRST_RETRY;
    loop {
        let lost = listen_once(&pool, &feeds, &listening, &mut retry).await;
        listening.send_replace(false);
        feeds.iter().for_each(|f| f.lost());
        match lost {
            Err(sqlx::Error::PoolClosed) => return,
            Err(err) => tracing::warn!(error = %err, ?retry, "live listener lost; reconnecting"),
            Ok(()) => {}
        }
        tokio::time::sleep(retry).await;
        retry = (retry * 2).min(LAST_RETRY);
    }
}

/// One connection's life: LISTEN, let every feed catch up (what was sent while nobody
/// listened is gone), then route notifications until the connection fails.
async fn listen_once(
    pool: &sqlx::PgPool,
    feeds: &[Arc<dyn Feed>],
    listening: &watch::Sender<bool>,
    retry: &mut Duration,
) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    // A lost connection comes back as `Ok(None)` once sqlx has reconnected and listens again.
    listener.eager_reconnect(true);
    listener
        .listen_all(feeds.iter().map(|f| f.channel()))
        .await?;
    *retry = FIRST_RETRY;
    listening.send_replace(true);
    feeds.iter().for_each(|f| f.resync());
    loop {
        match listener.try_recv().await? {
            Some(notification) => {
                let channel = notification.channel();
                match feeds.iter().find(|f| f.channel() == channel) {
                    Some(feed) => feed.deliver(notification.payload()),
                    None => tracing::warn!(channel, "a notification on no feed's channel"),
                }
            }
            None => {
                tracing::warn!("live listener reconnected; feeds catch up");
                feeds.iter().for_each(|f| f.resync());
            }
        }
    }
}
