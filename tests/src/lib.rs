//! The black-box test harness: `TestApp::spawn()` runs the real app on port 0 over its own
//! fresh database, SQLite or PostgreSQL, with a settable clock and a statement counter;
//! helpers speak GraphQL over HTTP and WebSocket. `api_test!` runs a scenario on both.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app;
mod audit;
mod child;
mod fake_oauth;
mod focus;
mod identity;
mod member;
pub mod node;
mod outbox;
mod print_sql;
mod travel;
mod ws;

pub use app::{GqlResponse, TestApp};
pub use audit::AuditEvent;
pub use child::ChildServer;
pub use fake_oauth::{FakeProvider, Profile};
pub use identity::{ADMIN_EMAIL, SignedIn};
pub use member::{Member, date, local};
pub use outbox::Outbox;
pub use testkit::{self, Backend, TestDatabase, postgres_url};
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

            $crate::testkit::postgres_half! {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_postgres() {
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

            $crate::testkit::postgres_half! {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_postgres() {
                    scenario($crate::Backend::Postgres).await
                }
            }
        }
    };
}
