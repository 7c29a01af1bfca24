//! When a PostgreSQL connection is asked whether it still answers before the pool hands it
//! out (a `Sync` round trip, which sqlx would otherwise send on every check-out, and so
//! beside every statement): after it sat idle for a while, or while the pool has lately
//! seen a statement fail. A restarted or cut-off database leaves every pooled connection
//! dead; the first failure (a request's, or readiness's own `SELECT 1`) makes the pool test
//! the rest, so they are dropped and replaced instead of failing one request each. A busy
//! pool whose statements succeed skips the round trip.
use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use futures_util::future::BoxFuture;
use sea_orm::sqlx::{self, Connection, PgConnection, pool::PoolConnectionMetadata};

/// A connection idle this long is tested before use.
const IDLE: Duration = Duration::from_secs(1);
/// For this long after a failed statement, every check-out is tested.
const AFTER_FAILURE: Duration = Duration::from_secs(10);

/// When the pool last saw a statement fail.
#[derive(Debug)]
pub(super) struct Doubt {
    start: Instant,
    /// Milliseconds from `start` to the last failure, plus one; 0 while none.
    last_failure: AtomicU64,
}

impl Doubt {
    pub(super) fn new() -> Arc<Self> {
        Arc::new(Self {
            start: Instant::now(),
            last_failure: AtomicU64::new(0),
        })
    }

    pub(super) fn statement_failed(&self) {
        self.last_failure
            .store(self.millis_now() + 1, Ordering::Relaxed);
    }

    fn recent(&self) -> bool {
        match self.last_failure.load(Ordering::Relaxed) {
            0 => false,
            last => self.millis_now() + 1 - last < AFTER_FAILURE.as_millis() as u64,
        }
    }

    fn millis_now(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX - 1)
    }
}

/// `before_acquire` for PostgreSQL: pings a connection when it is in doubt (a failed ping
/// closes it, and the pool tries another).
pub(super) fn postgres_before_acquire(
    doubt: Arc<Doubt>,
) -> impl for<'c> Fn(
    &'c mut PgConnection,
    PoolConnectionMetadata,
) -> BoxFuture<'c, Result<bool, sqlx::Error>>
+ Send
+ Sync
+ 'static {
    move |conn, meta| {
        let test = meta.idle_for >= IDLE || doubt.recent();
        Box::pin(async move {
            if test {
                conn.ping().await?;
            }
            Ok(true)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_leaves_the_pool_in_doubt_for_a_while() {
        let doubt = Doubt::new();
        assert!(!doubt.recent());
        doubt.statement_failed();
        assert!(doubt.recent());
    }
}
