//! What a resolver reads from the context: the actor, the database (the pool, and what
//! reads go through), the clock, the loaders.
use async_graphql::Context;
use sea_orm::DatabaseConnection;

use chrono::{DateTime, Utc};

use super::{loaders::Loaders, reader::Reader};
use crate::domain::{Actor, AppError, AppResult, RequestMeta, auth::Identity, clock::SharedClock};

/// Per-request facts the host resolves before execution.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub actor: Actor,
    pub meta: RequestMeta,
}

/// Typed, panic-free access to what the schema and the host put in the context.
pub trait ContextExt {
    fn request(&self) -> AppResult<&RequestContext>;
    fn actor(&self) -> AppResult<&Actor> {
        Ok(&self.request()?.actor)
    }
    fn meta(&self) -> AppResult<&RequestMeta> {
        Ok(&self.request()?.meta)
    }
    /// The pool, for writes (a mutation opens its transactions on it).
    fn db(&self) -> AppResult<&DatabaseConnection>;
    /// What reads go through: in a query, its one snapshot (see `reader`).
    fn reader(&self) -> AppResult<&Reader>;
    fn clock(&self) -> AppResult<&SharedClock>;
    /// The clock's now, read once per call.
    fn now(&self) -> AppResult<DateTime<Utc>> {
        Ok(self.clock()?.now())
    }
    fn identity(&self) -> AppResult<&Identity>;
    fn loaders(&self) -> AppResult<&Loaders>;
}

fn missing(what: &'static str) -> AppError {
    AppError::Internal(format!("{what} missing from the GraphQL context").into())
}

impl ContextExt for Context<'_> {
    fn request(&self) -> AppResult<&RequestContext> {
        self.data_opt().ok_or_else(|| missing("request context"))
    }

    fn db(&self) -> AppResult<&DatabaseConnection> {
        // A query reads through its snapshot only: a statement on the pool beside it would
        // see another moment, and take a second connection while holding one.
        if cfg!(debug_assertions) && self.reader()?.is_snapshot() {
            return Err(AppError::Internal(
                "a query used the pool instead of its snapshot".into(),
            ));
        }
        self.data_opt().ok_or_else(|| missing("database"))
    }

    fn reader(&self) -> AppResult<&Reader> {
        self.data_opt().ok_or_else(|| missing("reader"))
    }

    fn clock(&self) -> AppResult<&SharedClock> {
        self.data_opt().ok_or_else(|| missing("clock"))
    }

    fn identity(&self) -> AppResult<&Identity> {
        self.data_opt::<std::sync::Arc<Identity>>()
            .map(|identity| identity.as_ref())
            .ok_or_else(|| missing("identity"))
    }

    fn loaders(&self) -> AppResult<&Loaders> {
        self.data_opt().ok_or_else(|| missing("loaders"))
    }
}
