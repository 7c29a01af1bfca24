//! Connecting to the configured backend, tuned for it, with every statement counted.
mod checkout;
mod health;

use std::{path::Path, sync::Arc, time::Duration};

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
};

use crate::metrics::Metrics;

pub use health::WriteProbe;

/// Opens a pool on `url`. For SQLite it creates the file's folder, switches to WAL and
/// waits on a busy database rather than failing (up to the busy timeout), so concurrent
/// writers queue; PostgreSQL cancels a statement past the statement timeout. On both, a
/// connection goes back to the pool only when no transaction is open on it (see `health`),
/// and a PostgreSQL one is tested before use only when in doubt (see `checkout`).
pub async fn connect(
    url: &str,
    max_connections: u32,
    timeouts: crate::config::Timeouts,
    metrics: Arc<Metrics>,
) -> anyhow::Result<DatabaseConnection> {
    let statement_timeout = format!("{}s", timeouts.db_statement.as_secs());
    if let Some(folder) = sqlite_folder(url) {
        std::fs::create_dir_all(folder)?;
    }
    let doubt = checkout::Doubt::new();
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(max_connections)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(move |sqlite| {
            sqlite
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(timeouts.sqlite_busy)
                .foreign_keys(true)
        })
        .map_sqlx_postgres_opts(move |pg| pg.options([("statement_timeout", &statement_timeout)]))
        .map_sqlx_sqlite_pool_opts(|pool| pool.after_release(health::sqlite_after_release))
        .map_sqlx_postgres_pool_opts({
            let doubt = doubt.clone();
            move |pool| {
                pool.after_release(health::postgres_after_release)
                    .test_before_acquire(false)
                    .before_acquire(checkout::postgres_before_acquire(doubt.clone()))
            }
        });
    let mut db = Database::connect(options).await?;
    db.set_metric_callback(move |info| {
        metrics.record_statement(info.elapsed, info.failed);
        if info.failed {
            doubt.statement_failed();
        }
        tracing::trace!(target: "sql", elapsed = ?info.elapsed, failed = info.failed, "{}", info.statement.sql);
    });
    Ok(db)
}

/// The folder a `sqlite://` URL's file lives in, when it names a file.
fn sqlite_folder(url: &str) -> Option<&Path> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
}

/// Checks the database answers, for `/readyz`: why not, if it does not. A statement, not
/// a bare ping, so that its failure puts the pool's connections in doubt (`checkout`).
pub async fn ping(db: &DatabaseConnection) -> Result<(), String> {
    let select_one = Statement::from_string(db.get_database_backend(), "SELECT 1");
    db.query_one_raw(select_one)
        .await
        .map(drop)
        .map_err(|err| err.to_string())
}

/// The name of the backend, for logs.
pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DbBackend::Postgres => "postgres",
        DbBackend::Sqlite => "sqlite",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_sqlite_url_names_the_data_folder() {
        assert_eq!(
            sqlite_folder("sqlite://./data/app.db?mode=rwc"),
            Some(Path::new("./data"))
        );
        assert_eq!(sqlite_folder("sqlite::memory:"), None);
        assert_eq!(sqlite_folder("postgres://localhost/app"), None);
    }
}
