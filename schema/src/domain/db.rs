//! The small differences between the two backends, hidden behind one function each.
use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};

/// Opens a transaction that will write. On SQLite it takes the write lock up front
/// (`BEGIN IMMEDIATE`), so concurrent writers queue on the busy timeout instead of failing
/// mid-transaction; PostgreSQL ignores the option.
pub async fn begin_write<C: TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// What a read that may write on the way (settling stale state it finds) goes through: the
/// pool, or a query's reader, whose transactions run on the pool.
pub trait ReadWrite: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction> {}

impl<C: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>> ReadWrite for C {}
