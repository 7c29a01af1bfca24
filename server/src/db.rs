//! Connecting to the configured backend, tuned for it, with every statement counted.
mod checkout;
mod health;

use std::{path::Path, sync::Arc, time::Duration};

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
    sqlx::{
        postgres::PgSslMode,
        sqlite::{SqliteJournalMode, SqliteSynchronous},
    },
};

use crate::metrics::Metrics;

pub use health::WriteProbe;

/// Opens a pool on `url`. For SQLite it creates the file's folder, switches to WAL and
/// waits on a busy database rather than failing (up to the busy timeout), so concurrent
/// writers queue; PostgreSQL cancels a statement past the statement timeout. On both, a
/// connection goes back to the pool only when no transaction is open on it (see `health`),
/// and a PostgreSQL one is tested before use only when in doubt (see `checkout`). A
/// PostgreSQL URL on this machine's loopback that names no `sslmode` talks without TLS
/// (see [`plain_on_loopback`]).
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
    let plain = plain_on_loopback(url);
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
        .map_sqlx_postgres_opts(move |pg| {
            let pg = pg.options([("statement_timeout", &statement_timeout)]);
            if plain {
                pg.ssl_mode(PgSslMode::Disable)
            } else {
                pg
            }
        })
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

/// Whether a PostgreSQL `url` reaches the database over this machine's loopback (or a
/// Unix socket) without naming `sslmode`. sqlx's default there is `prefer`, which
/// encrypts with a certificate it never checks; on loopback that protects nothing (who
/// can read it can read the server's memory) and costs every round trip a TLS record
/// each way, about a tenth of a small read's CPU. A URL that names `sslmode` keeps it.
fn plain_on_loopback(url: &str) -> bool {
    let Ok(parsed) = url::Url::parse(url) else {
        return false;
    };
    let postgres = matches!(parsed.scheme(), "postgres" | "postgresql");
    let names_ssl = parsed.query_pairs().any(|(key, _)| key == "sslmode");
    let loopback = match parsed.host() {
        None => true,
        // A non-special scheme's host stays text, an address included.
        Some(url::Host::Domain(name)) => {
            name == "localhost"
                || name
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
    };
    postgres && loopback && !names_ssl
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

    #[test]
    fn only_a_loopback_postgres_url_without_sslmode_goes_without_tls() {
        assert!(plain_on_loopback("postgres://postgres@127.0.0.1:5432/test"));
        assert!(plain_on_loopback("postgresql://app@localhost/app"));
        assert!(plain_on_loopback("postgres://app@[::1]/app"));
        assert!(!plain_on_loopback(
            "postgres://app@127.0.0.1/app?sslmode=require"
        ));
        assert!(!plain_on_loopback("postgres://app@db.internal/app"));
        assert!(!plain_on_loopback("postgres://app@10.0.0.5/app"));
        assert!(!plain_on_loopback("sqlite://./data/app.db?mode=rwc"));
    }
}
