//! The black-box test harness: `TestApp::spawn()` runs the real app on port 0 over its own
//! fresh database, SQLite or PostgreSQL, with a settable clock and a statement counter;
//! helpers speak GraphQL over HTTP and WebSocket. `api_test!` runs a scenario on both.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app;
mod child;
mod database;
mod fake_oauth;
mod focus;
mod identity;
mod member;
mod outbox;
mod travel;
mod ws;

pub use app::{GqlResponse, TestApp};
pub use child::ChildServer;
pub use database::{Backend, TestDatabase, postgres_url};
pub use fake_oauth::{FakeProvider, Profile};
pub use identity::{ADMIN_EMAIL, SignedIn};
pub use member::{Member, date, local};
pub use outbox::Outbox;
pub use ws::WsClient;

/// Defines a scenario once and runs it as two tests, `<name>::on_sqlite` and
/// `<name>::on_postgres`, each against its own fresh database.
#[macro_export]
macro_rules! api_test {
    ($(#[$meta:meta])* async fn $name:ident($app:ident: TestApp $(,)?) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn scenario($app: $crate::TestApp) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                scenario($crate::TestApp::spawn($crate::Backend::Sqlite).await).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                if $crate::postgres_url().is_some() {
                    scenario($crate::TestApp::spawn($crate::Backend::Postgres).await).await
                }
            }
        }
    };
}

/// The same for scenarios that set up more than the app (a fake OAuth provider, a
/// configuration): the scenario receives the backend and spawns what it needs.
#[macro_export]
macro_rules! backend_test {
    ($(#[$meta:meta])* async fn $name:ident($backend:ident: Backend $(,)?) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn scenario($backend: $crate::Backend) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                scenario($crate::Backend::Sqlite).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                if $crate::postgres_url().is_some() {
                    scenario($crate::Backend::Postgres).await
                }
            }
        }
    };
}

/// The same for tests that need only a migrated database, not the server.
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

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                if $crate::postgres_url().is_some() {
                    scenario($crate::TestDatabase::fresh($crate::Backend::Postgres).await).await
                }
            }
        }
    };
}
