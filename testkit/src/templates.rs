//! Migrated templates the test databases are copied from, named by a hash of the
//! migrations' source so a changed migration gets a new template: a SQLite file that each
//! test copies, a PostgreSQL database that each test clones. Each is built once per test
//! process; concurrent test processes never race (a rename on SQLite, a lock on PostgreSQL).
use std::{
    hash::Hasher,
    path::{Path, PathBuf},
};

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, sqlx::sqlite::SqliteJournalMode,
};
use tokio::sync::OnceCell;
use uuid::Uuid;

/// The migrated SQLite file every SQLite test database is a copy of, in the temp folder. A
/// copy costs a file copy where migrating costs every migration's statements.
pub(crate) async fn sqlite_template() -> PathBuf {
    static TEMPLATE: OnceCell<PathBuf> = OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let path = std::env::temp_dir().join(format!(
                "apptest-template-{:016x}.db",
                migrations_fingerprint()
            ));
            if !path.exists() {
                build_sqlite_template(&path).await;
            }
            path
        })
        .await
        .clone()
}

/// Migrates a file of a name of its own, then renames it into place: a rename is atomic,
/// so a process that finds the template finds it whole, and two processes building it at
/// once each publish a complete one. The file is in rollback-journal mode and closed, so it
/// is all in one file (no `-wal` beside it) as a freshly migrated one was; what is set per
/// connection (WAL, foreign keys) the server still sets on its copy when it connects.
async fn build_sqlite_template(path: &Path) {
    let mut building = path.as_os_str().to_owned();
    building.push(format!(".building-{}", Uuid::new_v4().simple()));
    let building = PathBuf::from(building);
    let mut options = ConnectOptions::new(format!("sqlite://{}?mode=rwc", building.display()));
    options
        .max_connections(1)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|sqlite| sqlite.journal_mode(SqliteJournalMode::Delete));
    let db = Database::connect(options)
        .await
        .expect("create the SQLite template");
    Migrator::up(&db, None)
        .await
        .expect("migrate the SQLite template");
    db.close().await.expect("close the SQLite template");
    std::fs::rename(&building, path).expect("publish the SQLite template");
    // Templates of other migrations are garbage on a CI machine; elsewhere another checkout
    // (a branch, a worktree) may be copying one right now, so they are left alone.
    if std::env::var("CI").is_err() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let finished = name.starts_with("apptest-template-") && name.ends_with(".db");
        if finished && entry.path() != path {
            std::fs::remove_file(entry.path()).ok();
        }
    }
}

/// The migrated template every PostgreSQL test database is cloned from, built under an
/// advisory lock.
pub(crate) async fn postgres_template(admin_url: &str) -> String {
    static TEMPLATE: OnceCell<String> = OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("apptest_tmpl_{:016x}", migrations_fingerprint());
            let admin = connect_single(admin_url).await;
            admin
                .execute_unprepared("SELECT pg_advisory_lock(72001)")
                .await
                .expect("take the template lock");
            let exists = admin
                .query_one_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Postgres,
                    format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"),
                ))
                .await
                .expect("look for the template")
                .is_some();
            if !exists {
                build_postgres_template(&admin, admin_url, &name).await;
            }
            admin
                .execute_unprepared("SELECT pg_advisory_unlock(72001)")
                .await
                .ok();
            admin.close().await.ok();
            name
        })
        .await
        .clone()
}

async fn build_postgres_template(admin: &DatabaseConnection, admin_url: &str, name: &str) {
    let building = format!("{name}_building");
    admin
        .execute_unprepared(&format!(
            r#"DROP DATABASE IF EXISTS "{building}" WITH (FORCE)"#
        ))
        .await
        .expect("clear a half-built template");
    admin
        .execute_unprepared(&format!(r#"CREATE DATABASE "{building}""#))
        .await
        .expect("create the template database");
    let db = connect_single(&with_database(admin_url, &building)).await;
    Migrator::up(&db, None)
        .await
        .expect("migrate the template database");
    db.close().await.expect("disconnect from the template");
    admin
        .execute_unprepared(&format!(
            r#"ALTER DATABASE "{building}" RENAME TO "{name}""#
        ))
        .await
        .expect("publish the template");
    // Templates of other migrations are garbage on a CI machine; elsewhere another checkout
    // (a branch, a worktree) may be cloning from one right now, so they are left alone.
    if std::env::var("CI").is_err() {
        return;
    }
    let stale = admin
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            format!(
                "SELECT datname FROM pg_database WHERE datname LIKE 'apptest_tmpl_%' AND datname <> '{name}'"
            ),
        ))
        .await
        .unwrap_or_default();
    for row in stale {
        if let Ok(old) = row.try_get::<String>("", "datname") {
            admin
                .execute_unprepared(&format!(r#"DROP DATABASE IF EXISTS "{old}" WITH (FORCE)"#))
                .await
                .ok();
        }
    }
}

/// A stable hash (FNV-1a) of every migration source file, in name order.
fn migrations_fingerprint() -> u64 {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../migration/src");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .expect("read migration/src")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let mut hash = Fnv1a::default();
    for file in files {
        hash.write(file.file_name().unwrap_or_default().as_encoded_bytes());
        hash.write(&std::fs::read(&file).unwrap_or_default());
    }
    hash.finish()
}

struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv1a {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

pub(crate) async fn connect_single(url: &str) -> DatabaseConnection {
    let mut options = ConnectOptions::new(url);
    options.max_connections(1).sqlx_logging(false);
    Database::connect(options)
        .await
        .unwrap_or_else(|err| panic!("cannot connect to PostgreSQL at TEST_POSTGRES_URL: {err}"))
}

/// `url` with its database name replaced by `name`.
pub(crate) fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
    match query {
        Some(query) => format!("{server}/{name}?{query}"),
        None => format!("{server}/{name}"),
    }
}
