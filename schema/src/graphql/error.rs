//! The one place an `AppError` becomes a GraphQL error with its stable `extensions`.
use std::sync::Arc;

use async_graphql::{
    Error, ErrorExtensions,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextRequest, NextSubscribe},
};
use futures_util::{StreamExt, stream::BoxStream};

use crate::domain::{AppError, ErrorCode};

impl From<AppError> for Error {
    fn from(err: AppError) -> Self {
        match &err {
            AppError::Internal(cause) => {
                tracing::error!(error = %cause, cause = ?cause, "internal error");
            }
            AppError::Unavailable(cause) => {
                tracing::warn!(error = %cause, "database unavailable; the client may retry");
            }
            _ => {}
        }
        let code = err.code();
        let reason = err.reason();
        let message = err.to_string();
        Error::new(message).extend_with(|_, ext| {
            ext.set("code", code.as_str());
            if let Some(reason) = reason {
                ext.set("reason", reason.as_str());
                if let Some(mutation) = reason.cleared_by() {
                    ext.set("mutation", mutation);
                }
            }
            match &err {
                AppError::Forbidden {
                    entitlement: Some(entitlement),
                    ..
                } => ext.set("entitlement", entitlement.as_str()),
                AppError::BadUserInput {
                    field: Some(field), ..
                } => ext.set("field", field.as_str()),
                AppError::RateLimited {
                    retry_after_seconds,
                } => ext.set("retryAfterSeconds", *retry_after_seconds),
                AppError::Unavailable(_) => ext.set("retryable", true),
                AppError::GatesClosed(gates) => ext.set("unmet", unmet(gates)),
                _ => {}
            }
        })
    }
}

/// `[{gate, mutation}]`: each closed gate with the mutation that opens it.
fn unmet(gates: &[crate::domain::Reason]) -> async_graphql::Value {
    let list = gates.iter().map(|gate| {
        let mut entry = async_graphql::indexmap::IndexMap::new();
        entry.insert(
            async_graphql::Name::new("gate"),
            async_graphql::Value::from(gate.as_str()),
        );
        entry.insert(
            async_graphql::Name::new("mutation"),
            gate.cleared_by()
                .map_or(async_graphql::Value::Null, async_graphql::Value::from),
        );
        async_graphql::Value::Object(entry)
    });
    async_graphql::Value::List(list.collect())
}

/// The code given to errors async-graphql raises itself (syntax, validation, limits,
/// input coercion): each is the client's malformed operation.
pub const OPERATION_ERROR_CODE: ErrorCode = ErrorCode::BadUserInput;

/// Gives every error that reaches a client an `extensions.code`: the ones async-graphql
/// raises before any resolver runs carry none of their own. Over HTTP (`request`) and over
/// WebSocket (`subscribe`) alike.
#[derive(Debug, Clone, Copy)]
pub struct CodeEveryError;

/// Gives every error of `response` a code (`OPERATION_ERROR_CODE` where none was set).
pub fn with_codes(mut response: async_graphql::Response) -> async_graphql::Response {
    for error in &mut response.errors {
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_none() {
            extensions.set("code", OPERATION_ERROR_CODE.as_str());
        }
    }
    response
}

impl ExtensionFactory for CodeEveryError {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(*self)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for CodeEveryError {
    async fn request(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextRequest<'_>,
    ) -> async_graphql::Response {
        with_codes(next.run(ctx).await)
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, async_graphql::Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, async_graphql::Response> {
        next.run(ctx, stream).map(with_codes).boxed()
    }
}
