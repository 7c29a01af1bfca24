//! What a resolver reads from the context: the actor, the database, the clock, the loaders.
use async_graphql::Context;
use sea_orm::DatabaseConnection;

use super::loaders::Loaders;
use crate::domain::{Actor, AppError, AppResult, clock::SharedClock};

/// Per-request facts the host resolves before execution.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub actor: Actor,
    pub request_id: Option<String>,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
}

impl RequestContext {
    pub fn anonymous() -> Self {
        Self {
            actor: Actor::Anonymous,
            request_id: None,
            ip_address: None,
            user_agent: None,
        }
    }
}

/// Typed, panic-free access to what the schema and the host put in the context.
pub trait ContextExt {
    fn request(&self) -> AppResult<&RequestContext>;
    fn actor(&self) -> AppResult<&Actor> {
        Ok(&self.request()?.actor)
    }
    fn db(&self) -> AppResult<&DatabaseConnection>;
    fn clock(&self) -> AppResult<&SharedClock>;
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
        self.data_opt().ok_or_else(|| missing("database"))
    }

    fn clock(&self) -> AppResult<&SharedClock> {
        self.data_opt().ok_or_else(|| missing("clock"))
    }

    fn loaders(&self) -> AppResult<&Loaders> {
        self.data_opt().ok_or_else(|| missing("loaders"))
    }
}
