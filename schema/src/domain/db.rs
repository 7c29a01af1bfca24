//! The small differences between the two backends, hidden behind one function each.
use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};

/// Opens a transaction that will write. On SQLite it takes the write lock up front
/// (`BEGIN IMMEDIATE`), so concurrent writers queue on the busy timeout instead of failing
/// mid-transaction; PostgreSQL ignores the option. Begun in a task of its own (see
/// [`uncancelled`]).
pub async fn begin_write<C>(db: &C) -> Result<DatabaseTransaction, DbErr>
where
    C: TransactionTrait<Transaction = DatabaseTransaction> + Clone + Send + 'static,
{
    let db = db.clone();
    uncancelled(async move {
        db.begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await
    })
    .await
}

/// Runs a transaction's `BEGIN` to its end whatever happens to the caller. sqlx 0.9 counts
/// a PostgreSQL transaction as open only once `BEGIN` has answered: a caller dropped during
/// that round trip (a client that went away) leaves the session inside a transaction that
/// sqlx believes is not there, and the pool hands it on; the next borrower's statements run
/// inside it, and what they write is lost with it (sqlx issue 4393). In a task of its own
/// the `BEGIN` always completes; a transaction nobody waits for any more is then dropped,
/// so rolled back, before its connection goes back to the pool.
pub async fn uncancelled<F>(begin: F) -> Result<DatabaseTransaction, DbErr>
where
    F: Future<Output = Result<DatabaseTransaction, DbErr>> + Send + 'static,
{
    tokio::spawn(begin)
        .await
        .map_err(|err| DbErr::Custom(format!("beginning a transaction failed: {err}")))?
}

/// What a read that may write on the way (settling stale state it finds) goes through: the
/// pool, or a query's reader, whose transactions run on the pool.
pub trait ReadWrite:
    ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction> + Clone + Send + 'static
{
}

impl<C> ReadWrite for C where
    C: ConnectionTrait
        + TransactionTrait<Transaction = DatabaseTransaction>
        + Clone
        + Send
        + 'static
{
}
