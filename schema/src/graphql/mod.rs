//! GraphQL glue: roots, scalars, errors, connections, loaders and limits. Resolvers read
//! the context, call one domain function and convert the result.
pub mod connection;
pub mod context;
pub mod error;
pub mod limits;
pub mod loaders;
pub mod scalars;
pub mod viewer;

use async_graphql::{EmptyMutation, EmptySubscription, MergedObject, Request, Schema};
use sea_orm::DatabaseConnection;

pub use context::{ContextExt, RequestContext};

use crate::domain::clock::SharedClock;

/// The query root: each area contributes its own `…Query`.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(viewer::ViewerQuery);

pub type AppSchema = Schema<QueryRoot, EmptyMutation, EmptySubscription>;

/// Bounds on one operation.
#[derive(Debug, Clone, Copy)]
pub struct SchemaConfig {
    pub max_depth: usize,
    pub max_complexity: usize,
    pub max_aliases: usize,
}

impl Default for SchemaConfig {
    fn default() -> Self {
        Self {
            max_depth: 15,
            max_complexity: 1_000,
            max_aliases: 30,
        }
    }
}

/// Builds the schema over one database and clock.
pub fn build_schema(db: DatabaseConnection, clock: SharedClock, config: SchemaConfig) -> AppSchema {
    Schema::build(QueryRoot::default(), EmptyMutation, EmptySubscription)
        .data(db)
        .data(clock)
        .limit_depth(config.max_depth)
        .limit_complexity(config.max_complexity)
        .extension(limits::AliasLimit {
            max: config.max_aliases,
        })
        .extension(error::CodeEveryError)
        .finish()
}

/// The SDL clients build against (checked in as `schema.graphql`).
pub fn sdl() -> String {
    Schema::build(QueryRoot::default(), EmptyMutation, EmptySubscription)
        .finish()
        .sdl()
}

/// Attaches what one request needs: who asks, and fresh loaders.
pub fn prepare(request: Request, context: RequestContext, db: &DatabaseConnection) -> Request {
    request
        .data(loaders::Loaders::new(db.clone()))
        .data(context)
}

/// The same, for a WebSocket connection: set once at `connection_init`, shared by every
/// operation on it (the loaders batch but never cache, so nothing goes stale).
pub fn connection_data(context: RequestContext, db: &DatabaseConnection) -> async_graphql::Data {
    let mut data = async_graphql::Data::default();
    data.insert(loaders::Loaders::new(db.clone()));
    data.insert(context);
    data
}
