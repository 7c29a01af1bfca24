//! The one place an `AppError` becomes a GraphQL error with its stable `extensions`.
use async_graphql::{Error, ErrorExtensions};

use crate::domain::{AppError, ErrorCode};

impl From<AppError> for Error {
    fn from(err: AppError) -> Self {
        if let AppError::Internal(cause) = &err {
            tracing::error!(error = %cause, cause = ?cause, "internal error");
        }
        let code = err.code();
        let reason = err.reason();
        let message = err.to_string();
        Error::new(message).extend_with(|_, ext| {
            ext.set("code", code.as_str());
            if let Some(reason) = reason {
                ext.set("reason", reason.as_str());
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
                _ => {}
            }
        })
    }
}

/// The code given to errors async-graphql raises itself (syntax, validation, limits,
/// input coercion): each is the client's malformed operation.
pub const OPERATION_ERROR_CODE: ErrorCode = ErrorCode::BadUserInput;

/// Gives every error that reaches a client an `extensions.code`: the ones async-graphql
/// raises before any resolver runs carry none of their own.
#[derive(Debug, Clone, Copy)]
pub struct CodeEveryError;

impl async_graphql::extensions::ExtensionFactory for CodeEveryError {
    fn create(&self) -> std::sync::Arc<dyn async_graphql::extensions::Extension> {
        std::sync::Arc::new(*self)
    }
}

#[async_graphql::async_trait::async_trait]
impl async_graphql::extensions::Extension for CodeEveryError {
    async fn request(
        &self,
        ctx: &async_graphql::extensions::ExtensionContext<'_>,
        next: async_graphql::extensions::NextRequest<'_>,
    ) -> async_graphql::Response {
        let mut response = next.run(ctx).await;
        for error in &mut response.errors {
            let extensions = error.extensions.get_or_insert_with(Default::default);
            if extensions.get("code").is_none() {
                extensions.set("code", OPERATION_ERROR_CODE.as_str());
            }
        }
        response
    }
}
