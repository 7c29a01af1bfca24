//! Parsed documents kept by their text: an app sends the same few operations over and
//! over, and parsing one costs about a twentieth of a small read. Only documents that
//! parse are kept (a syntax error is parsed again, for its message), at most
//! [`CAPACITY`] of them, none longer than [`LONGEST`], least recently used out first.
use std::{
    num::NonZeroUsize,
    sync::{Arc, Mutex},
};

use async_graphql::parser::{parse_query, types::ExecutableDocument};
use lru::LruCache;

const CAPACITY: usize = 512;

/// Longer documents are parsed every time (they are rare, and each would crowd out many).
const LONGEST: usize = 16 * 1024;

pub struct ParsedDocuments(Mutex<LruCache<String, Arc<ExecutableDocument>>>);

impl Default for ParsedDocuments {
    fn default() -> Self {
        Self(Mutex::new(LruCache::new(
            NonZeroUsize::new(CAPACITY).unwrap_or(NonZeroUsize::MIN),
        )))
    }
}

impl ParsedDocuments {
    /// `query` parsed, from the cache when it holds it; `None` when it does not parse.
    pub fn parse(&self, query: &str) -> Option<Arc<ExecutableDocument>> {
        if let Some(document) = self.lock().get(query) {
            return Some(document.clone());
        }
        let document = Arc::new(parse_query(query).ok()?);
        if query.len() <= LONGEST {
            self.lock().put(query.to_owned(), document.clone());
        }
        Some(document)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<String, Arc<ExecutableDocument>>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
