//! A fresh, migrated database per test: a temporary SQLite file copied from a migrated
//! template, or a PostgreSQL database cloned from one, each in milliseconds. Dropped when
//! the test ends, pass or fail.
use std::{
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
};

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
use uuid::Uuid;

use crate::templates::{connect_single, postgres_template, sqlite_template, with_database};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// `TEST_POSTGRES_URL`, e.g. `postgres://postgres@127.0.0.1:5432/test`. When unset the
/// PostgreSQL half of every test is ignored (the runner says how many); under CI that is a
/// failure.
pub fn postgres_url() -> Option<String> {
    let url = std::env::var("TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() && std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") {
        panic!("TEST_POSTGRES_URL must be set in CI: the PostgreSQL half may not be skipped");
    }
    url
}

/// A migrated database of its own, and the URL the app under test connects with.
pub struct TestDatabase {
    pub backend: Backend,
    pub url: String,
    pub db: DatabaseConnection,
    statements: Arc<AtomicU64>,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Database { admin_url: String, name: String },
}

impl TestDatabase {
    pub async fn fresh(backend: Backend) -> Self {
        let (url, cleanup) = match backend {
            Backend::Sqlite => {
                let path =
                    std::env::temp_dir().join(format!("apptest-{}.db", Uuid::new_v4().simple()));
                std::fs::copy(sqlite_template().await, &path).expect("copy the SQLite template");
                let url = format!("sqlite://{}?mode=rwc", path.display());
                (url, Cleanup::File(path))
            }
            Backend::Postgres => {
                let admin_url = postgres_url().expect("TEST_POSTGRES_URL is unset");
                let template = postgres_template(&admin_url).await;
                let name = format!("apptest_db_{}", Uuid::new_v4().simple());
                let admin = connect_single(&admin_url).await;
                admin
                    .execute_unprepared(&format!(
                        r#"CREATE DATABASE "{name}" TEMPLATE "{template}""#
                    ))
                    .await
                    .expect("clone the template database");
                admin.close().await.ok();
                (
                    with_database(&admin_url, &name),
                    Cleanup::Database { admin_url, name },
                )
            }
        };
        let statements = Arc::new(AtomicU64::new(0));
        let mut db = Database::connect(ConnectOptions::new(&url).sqlx_logging(false).to_owned())
            .await
            .expect("connect to the test database");
        let counter = statements.clone();
        db.set_metric_callback(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        statements.store(0, Ordering::SeqCst);
        Self {
            backend,
            url,
            db,
            statements,
            cleanup,
        }
    }

    /// The PostgreSQL database's name, for tests that act on it from outside.
    pub fn postgres_name(&self) -> Option<&str> {
        match &self.cleanup {
            Cleanup::Database { name, .. } => Some(name),
            Cleanup::File(_) => None,
        }
    }

    /// Whether `needle` is stored anywhere in the database: every row of every table on
    /// PostgreSQL, every byte of the database files on SQLite.
    pub async fn contains_text(&self, needle: &str) -> bool {
        match &self.cleanup {
            Cleanup::File(path) => ["", "-wal"].iter().any(|suffix| {
                let mut file = path.clone().into_os_string();
                file.push(suffix);
                std::fs::read(file).is_ok_and(|bytes| {
                    bytes
                        .windows(needle.len())
                        .any(|window| window == needle.as_bytes())
                })
            }),
            Cleanup::Database { .. } => {
                let tables = self
                    .db
                    .query_all_raw(sea_orm::Statement::from_string(
                        sea_orm::DbBackend::Postgres,
                        "SELECT table_name FROM information_schema.tables \
                         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
                    ))
                    .await
                    .expect("list tables");
                for table in tables {
                    let table: String = table.try_get("", "table_name").expect("a table name");
                    let hits = self
                        .db
                        .query_one_raw(sea_orm::Statement::from_sql_and_values(
                            sea_orm::DbBackend::Postgres,
                            format!(
                                r#"SELECT count(*) AS hits FROM "{table}" t WHERE row_to_json(t)::text LIKE '%' || $1 || '%'"#
                            ),
                            [needle.into()],
                        ))
                        .await
                        .expect("search a table")
                        .and_then(|row| row.try_get::<i64>("", "hits").ok())
                        .unwrap_or_default();
                    if hits > 0 {
                        return true;
                    }
                }
                false
            }
        }
    }

    /// Statements this test's own connection (`self.db`) has run since it was created.
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::SeqCst)
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut file = path.clone().into_os_string();
                    file.push(suffix);
                    std::fs::remove_file(file).ok();
                }
            }
            Cleanup::Database { admin_url, name } => {
                // Drop runs inside the test's runtime, which cannot be blocked on: drop the
                // database from a thread with a runtime of its own.
                let (admin_url, name) = (admin_url.clone(), name.clone());
                std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("a runtime to drop the test database");
                    runtime.block_on(async {
                        let admin = connect_single(&admin_url).await;
                        admin
                            .execute_unprepared(&format!(
                                r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#
                            ))
                            .await
                            .ok();
                        admin.close().await.ok();
                    });
                })
                .join()
                .ok();
            }
        }
    }
}
