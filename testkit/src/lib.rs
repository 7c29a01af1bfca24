//! Test databases shared by every suite: `TestDatabase::fresh` gives a test a migrated
//! database of its own (a temporary SQLite file copied from a migrated template file, or a
//! PostgreSQL database cloned from a migrated template database), and `db_test!` runs a
//! scenario on both backends. Without `TEST_POSTGRES_URL` the PostgreSQL half is ignored
//! with a reason, so `cargo test` reports how many did not run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod database;
mod templates;

pub use database::{Backend, TestDatabase, postgres_url};

/// Whether this build runs the PostgreSQL half (see `build.rs`).
pub const POSTGRES_TESTS: bool = cfg!(postgres_tests);

/// Emits a test function that runs on PostgreSQL: as it is when this build runs the
/// PostgreSQL half, else `#[ignore]`d with the reason (decided here, in testkit's build).
#[cfg(postgres_tests)]
#[doc(hidden)]
#[macro_export]
macro_rules! postgres_half {
    ($($item:tt)*) => { $($item)* };
}

/// Emits a test function that runs on PostgreSQL: as it is when this build runs the
/// PostgreSQL half, else `#[ignore]`d with the reason (decided here, in testkit's build).
#[cfg(not(postgres_tests))]
#[doc(hidden)]
#[macro_export]
macro_rules! postgres_half {
    (#[$test:meta] $($item:tt)*) => {
        #[$test]
        #[ignore = "PostgreSQL half: set TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run it"]
        $($item)*
    };
}

/// Defines a scenario over a fresh migrated database once and runs it as two tests,
/// `<name>::on_sqlite` and `<name>::on_postgres`. The PostgreSQL half is `#[ignore]`d
/// (with its reason) when `TEST_POSTGRES_URL` was unset at build time.
#[macro_export]
macro_rules! db_test {
    ($(#[$meta:meta])* async fn $name:ident($db:ident: TestDatabase $(,)?) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn scenario($db: $crate::TestDatabase) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                scenario($crate::TestDatabase::fresh($crate::Backend::Sqlite).await).await
            }

            $crate::postgres_half! {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_postgres() {
                    scenario($crate::TestDatabase::fresh($crate::Backend::Postgres).await).await
                }
            }
        }
    };
}
