//! What a request reads through. A query reads through one read-only transaction, opened
//! at its first statement and ended when the request ends: one snapshot for the whole
//! answer (a page, its `totalCount` and its rows' relations agree, as one statement's
//! would), on one connection checked out once; over HTTP and WebSocket alike. Mutations
//! and subscriptions read through the pool: a mutation's payload must see what it just
//! wrote, and a subscription lives too long to hold a transaction open.
//!
//! On PostgreSQL the transaction is `REPEATABLE READ READ ONLY` (one snapshot for every
//! statement; `READ COMMITTED` would take one per statement). On SQLite a deferred
//! `BEGIN` does the same: in WAL mode its snapshot is fixed at its first read. Nothing
//! is committed: the transaction is dropped with the request, and the `ROLLBACK` that
//! queues goes out with the check the pool makes on every returned connection anyway, so
//! ending it costs no round trip of its own.
use std::{future::Future, pin::Pin, sync::Arc};

use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    ExecResult, IsolationLevel, QueryResult, Statement, TransactionError, TransactionOptions,
    TransactionTrait,
};
use tokio::sync::Mutex;

use crate::domain::db::uncancelled;

/// The pool, or a query's snapshot over it (cheap to clone: the loaders share it).
#[derive(Clone)]
pub struct Reader(Arc<Source>);

enum Source {
    Pool(DatabaseConnection),
    Snapshot {
        pool: DatabaseConnection,
        /// The open transaction; statements in flight hold their own handle, so ending
        /// it (a write on the way, below) never waits on them.
        open: Mutex<Option<Arc<DatabaseTransaction>>>,
    },
}

/// Where one statement goes.
enum Through<'a> {
    Pool(&'a DatabaseConnection),
    Snapshot(Arc<DatabaseTransaction>),
}

/// Runs one `ConnectionTrait` call where the reader sends the next statement.
macro_rules! through {
    ($reader:expr, $call:ident($($arg:expr),*)) => {
        match $reader.through().await? {
            Through::Pool(db) => db.$call($($arg),*).await,
            Through::Snapshot(txn) => txn.$call($($arg),*).await,
        }
    };
}

impl Reader {
    /// Every statement on its own pooled connection.
    pub fn pool(db: &DatabaseConnection) -> Self {
        Self(Arc::new(Source::Pool(db.clone())))
    }

    /// One read-only transaction, begun by the first statement.
    pub fn snapshot(db: &DatabaseConnection) -> Self {
        Self(Arc::new(Source::Snapshot {
            pool: db.clone(),
            open: Mutex::new(None),
        }))
    }

    /// A new snapshot over the same pool (a WebSocket query's, beside its socket's pool).
    pub fn snapshot_beside(&self) -> Self {
        Self::snapshot(self.pool_ref())
    }

    /// Whether statements share one snapshot (the request is a query).
    pub fn is_snapshot(&self) -> bool {
        matches!(*self.0, Source::Snapshot { .. })
    }

    /// Where the next statement goes, beginning the snapshot if none is open.
    async fn through(&self) -> Result<Through<'_>, DbErr> {
        match &*self.0 {
            Source::Pool(db) => Ok(Through::Pool(db)),
            Source::Snapshot { pool, open } => {
                let mut open = open.lock().await;
                if let Some(txn) = open.as_ref() {
                    return Ok(Through::Snapshot(txn.clone()));
                }
                let txn = Arc::new(begin_snapshot(pool).await?);
                *open = Some(txn.clone());
                Ok(Through::Snapshot(txn))
            }
        }
    }

    /// The pool, for a write on the way (a read that settles stale state first). A query's
    /// snapshot ends here, before the write takes a connection of its own, so that what
    /// the request reads next (in a new snapshot) includes what it wrote, and no request
    /// waits on the pool while holding a connection of it.
    async fn for_write(&self) -> &DatabaseConnection {
        match &*self.0 {
            Source::Pool(db) => db,
            Source::Snapshot { pool, open } => {
                open.lock().await.take();
                pool
            }
        }
    }

    fn pool_ref(&self) -> &DatabaseConnection {
        match &*self.0 {
            Source::Pool(db) | Source::Snapshot { pool: db, .. } => db,
        }
    }
}

/// Begins the snapshot, in a task of its own (`db::uncancelled`: a query whose client went
/// away must not leave its `BEGIN` half-done on a pooled connection).
async fn begin_snapshot(pool: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let pool = pool.clone();
    uncancelled(async move {
        match pool.get_database_backend() {
            DbBackend::Postgres => {
                pool.begin_with_config(
                    Some(IsolationLevel::RepeatableRead),
                    Some(AccessMode::ReadOnly),
                )
                .await
            }
            _ => pool.begin().await,
        }
    })
    .await
}

#[async_trait::async_trait]
impl ConnectionTrait for Reader {
    fn get_database_backend(&self) -> DbBackend {
        self.pool_ref().get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        through!(self, execute_raw(stmt))
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        through!(self, execute_unprepared(sql))
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        through!(self, query_one_raw(stmt))
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        through!(self, query_all_raw(stmt))
    }
}

/// A transaction begun on a reader is a write on the way: it runs on the pool (see
/// [`Reader::for_write`]).
#[async_trait::async_trait]
impl TransactionTrait for Reader {
    type Transaction = DatabaseTransaction;

    async fn begin(&self) -> Result<DatabaseTransaction, DbErr> {
        self.for_write().await.begin().await
    }

    async fn begin_with_config(
        &self,
        isolation_level: Option<IsolationLevel>,
        access_mode: Option<AccessMode>,
    ) -> Result<DatabaseTransaction, DbErr> {
        self.for_write()
            .await
            .begin_with_config(isolation_level, access_mode)
            .await
    }

    async fn begin_with_options(
        &self,
        options: TransactionOptions,
    ) -> Result<DatabaseTransaction, DbErr> {
        self.for_write().await.begin_with_options(options).await
    }

    async fn transaction<F, T, E>(&self, callback: F) -> Result<T, TransactionError<E>>
    where
        F: for<'c> FnOnce(
                &'c DatabaseTransaction,
            ) -> Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'c>>
            + Send,
        T: Send,
        E: std::fmt::Display + std::fmt::Debug + Send,
    {
        self.for_write().await.transaction(callback).await
    }

    async fn transaction_with_config<F, T, E>(
        &self,
        callback: F,
        isolation_level: Option<IsolationLevel>,
        access_mode: Option<AccessMode>,
    ) -> Result<T, TransactionError<E>>
    where
        F: for<'c> FnOnce(
                &'c DatabaseTransaction,
            ) -> Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'c>>
            + Send,
        T: Send,
        E: std::fmt::Display + std::fmt::Debug + Send,
    {
        self.for_write()
            .await
            .transaction_with_config(callback, isolation_level, access_mode)
            .await
    }
}
