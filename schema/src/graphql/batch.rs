//! A request's batching of one relation, in the request's own task: the first resolver to
//! ask opens a batch and yields once, so every sibling polled in the same pass adds its keys,
//! then one `Loader::load` call answers them all. async-graphql's `DataLoader` does the same
//! through a spawned task that first sleeps 1 ms on futures-timer's own thread; this sends
//! the same statements without that task, that wait, or the wake-ups between threads.
use std::{
    collections::HashMap,
    hash::Hash,
    sync::{Arc, Mutex},
};

use async_graphql::dataloader::Loader;
use futures_util::future::{BoxFuture, FutureExt, Shared};
use tokio::sync::oneshot;

type Answer<K, L> = Result<Arc<HashMap<K, <L as Loader<K>>::Value>>, <L as Loader<K>>::Error>;

/// Batches the keys of one polling pass into one load of `L`. No cache: one open
/// WebSocket never serves stale rows.
pub struct Batch<K, L: Loader<K>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
{
    loader: Arc<L>,
    open: Arc<Mutex<Option<Open<K, L>>>>,
}

/// The batch still taking keys, and the one load that will answer it.
struct Open<K, L: Loader<K>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
{
    keys: Vec<K>,
    answer: Shared<BoxFuture<'static, Answer<K, L>>>,
}

impl<K, L> Batch<K, L>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    L: Loader<K>,
    L::Error: Sync,
{
    pub fn new(loader: L) -> Self {
        Self {
            loader: Arc::new(loader),
            open: Arc::new(Mutex::new(None)),
        }
    }

    /// The value of `key`, when there is one.
    pub async fn load_one(&self, key: K) -> Result<Option<L::Value>, L::Error> {
        let answer = self.join([key.clone()]).await?;
        Ok(answer.get(&key).cloned())
    }

    /// The values of the `keys` that have one.
    pub async fn load_many(
        &self,
        keys: impl IntoIterator<Item = K>,
    ) -> Result<HashMap<K, L::Value>, L::Error> {
        let keys: Vec<K> = keys.into_iter().collect();
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let answer = self.join(keys.iter().cloned()).await?;
        Ok(keys
            .into_iter()
            .filter_map(|k| answer.get(&k).cloned().map(|v| (k, v)))
            .collect())
    }

    /// Adds `keys` to the open batch, or opens one, and waits for its answer. Whoever
    /// opens it yields once before starting the load, so the siblings polled in the same
    /// pass join first; if it is dropped meanwhile, the load starts all the same.
    async fn join(&self, keys: impl IntoIterator<Item = K>) -> Answer<K, L> {
        let (answer, opened) = {
            let mut open = self
                .open
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let mut opened = None;
            let batch = open.get_or_insert_with(|| {
                let (start, started) = oneshot::channel();
                opened = Some(start);
                Open {
                    keys: Vec::new(),
                    answer: self.answer(started).boxed().shared(),
                }
            });
            batch.keys.extend(keys);
            (batch.answer.clone(), opened)
        };
        if let Some(start) = opened {
            tokio::task::yield_now().await;
            start.send(()).ok();
        }
        answer.await
    }

    /// The load of a batch: once its opener says so, it closes the batch (later keys open
    /// the next) and loads its keys. It holds the open slot weakly: the slot holds this
    /// future until it starts, and a request dropped before then (a client that went away)
    /// must free both, and the loader with them (a query's loader holds its snapshot's
    /// connection).
    fn answer(
        &self,
        started: oneshot::Receiver<()>,
    ) -> impl Future<Output = Answer<K, L>> + Send + 'static {
        let (loader, open) = (self.loader.clone(), Arc::downgrade(&self.open));
        async move {
            started.await.ok();
            let taken = open.upgrade().and_then(|open| {
                open.lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .take()
            });
            let mut keys = taken.map(|batch| batch.keys).unwrap_or_default();
            dedup(&mut keys);
            loader.load(&keys).await.map(Arc::new)
        }
    }
}

/// Drops repeated keys, keeping the first of each.
fn dedup<K: Hash + Eq + Clone>(keys: &mut Vec<K>) {
    let mut seen = std::collections::HashSet::with_capacity(keys.len());
    keys.retain(|k| seen.insert(k.clone()));
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use futures_util::future::join_all;

    use super::*;

    /// Doubles its keys, counting its calls.
    #[derive(Default)]
    struct Doubling(Arc<AtomicUsize>);

    impl Loader<u32> for Doubling {
        type Value = u32;
        type Error = Arc<String>;

        async fn load(&self, keys: &[u32]) -> Result<HashMap<u32, u32>, Self::Error> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Ok(keys.iter().map(|k| (*k, k * 2)).collect())
        }
    }

    #[tokio::test]
    async fn siblings_of_one_pass_share_one_load_and_later_keys_open_the_next() {
        let calls = Arc::new(AtomicUsize::new(0));
        let batch = Batch::new(Doubling(calls.clone()));
        let found = join_all((0..40).map(|k| batch.load_one(k % 20))).await;
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(found[25], Ok(Some(10)));
        let many = batch.load_many([3, 4, 3]).await.unwrap();
        assert_eq!(many, HashMap::from([(3, 6), (4, 8)]));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_batch_whose_opener_is_dropped_still_answers_the_others() {
        let calls = Arc::new(AtomicUsize::new(0));
        let batch = Batch::new(Doubling(calls.clone()));
        let mut opener = Box::pin(batch.load_one(1));
        assert!(futures_util::poll!(opener.as_mut()).is_pending());
        let follower = batch.load_one(2);
        drop(opener);
        assert_eq!(follower.await, Ok(Some(4)));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_batch_dropped_before_its_load_starts_frees_its_loader() {
        let calls = Arc::new(AtomicUsize::new(0));
        let batch = Batch::new(Doubling(calls.clone()));
        let loader = Arc::downgrade(&batch.loader);
        let mut opener = Box::pin(batch.load_one(1));
        assert!(futures_util::poll!(opener.as_mut()).is_pending());
        drop(opener);
        drop(batch);
        assert!(
            loader.upgrade().is_none(),
            "nothing keeps the loader (and what it holds) alive"
        );
        assert_eq!(calls.load(Ordering::SeqCst), 0);
    }
}
