//! The one error type of the service, with the stable codes clients branch on.

use std::fmt;

pub use super::reason::Reason;

/// The stable `extensions.code` values. Renaming one breaks clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadUserInput,
    Conflict,
    RateLimited,
    /// The database could not be reached or lost the connection mid-request: retrying
    /// (with the same idempotency key) is safe and likely to succeed.
    Unavailable,
    Internal,
}

impl ErrorCode {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::BadUserInput => "BAD_USER_INPUT",
            Self::Conflict => "CONFLICT",
            Self::RateLimited => "RATE_LIMITED",
            Self::Unavailable => "UNAVAILABLE",
            Self::Internal => "INTERNAL",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything a domain function can fail with. Internal causes are logged, never sent.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{message}")]
    Unauthenticated {
        reason: Option<Reason>,
        message: String,
    },
    #[error("{message}")]
    Forbidden {
        reason: Option<Reason>,
        entitlement: Option<String>,
        message: String,
    },
    /// Gates between signing in and using the product, every one still closed (never
    /// empty), in the order they are best cleared.
    #[error("{}", gates_message(.0))]
    GatesClosed(Vec<Reason>),
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: String },
    #[error("{message}")]
    BadUserInput {
        field: Option<String>,
        reason: Option<Reason>,
        message: String,
    },
    #[error("{message}")]
    Conflict {
        reason: Option<Reason>,
        message: String,
    },
    #[error("too many requests; retry in {retry_after_seconds} s")]
    RateLimited { retry_after_seconds: u64 },
    #[error("the database is unavailable; retry (with the same idempotency key)")]
    Unavailable(#[source] sea_orm::DbErr),
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

pub type AppResult<T> = Result<T, AppError>;

fn gates_message(gates: &[Reason]) -> String {
    let steps: Vec<String> = gates
        .iter()
        .map(|gate| match gate {
            Reason::NotApproved => "wait for an admin's approval (approveUser)".to_owned(),
            Reason::TermsNotAccepted => "accept the terms (acceptTerms)".to_owned(),
            Reason::AgeNotConfirmed => "confirm your age (confirmAge)".to_owned(),
            other => other.as_str().to_lowercase(),
        })
        .collect();
    format!("first {}", steps.join(", then "))
}

impl AppError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Unauthenticated { .. } => ErrorCode::Unauthenticated,
            Self::Forbidden { .. } | Self::GatesClosed(_) => ErrorCode::Forbidden,
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::BadUserInput { .. } => ErrorCode::BadUserInput,
            Self::Conflict { .. } => ErrorCode::Conflict,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::Unavailable(_) => ErrorCode::Unavailable,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    pub fn reason(&self) -> Option<Reason> {
        match self {
            Self::Unauthenticated { reason, .. }
            | Self::Forbidden { reason, .. }
            | Self::BadUserInput { reason, .. }
            | Self::Conflict { reason, .. } => *reason,
            Self::GatesClosed(gates) => gates.first().copied(),
            _ => None,
        }
    }

    /// Bad input on one field of the operation's input.
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadUserInput {
            field: Some(field.into()),
            reason: None,
            message: message.into(),
        }
    }

    /// Bad input on `field` that clients must tell apart by `reason`.
    pub fn bad_input_because(
        field: impl Into<String>,
        reason: Reason,
        message: impl Into<String>,
    ) -> Self {
        Self::BadUserInput {
            field: Some(field.into()),
            reason: Some(reason),
            message: message.into(),
        }
    }

    pub fn forbidden(reason: Reason, message: impl Into<String>) -> Self {
        Self::Forbidden {
            reason: Some(reason),
            entitlement: None,
            message: message.into(),
        }
    }

    /// The request clashes with the current state; `reason` tells the cases apart.
    pub fn conflict(reason: Reason, message: impl Into<String>) -> Self {
        Self::Conflict {
            reason: Some(reason),
            message: message.into(),
        }
    }

    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Self::NotFound {
            entity,
            id: id.to_string(),
        }
    }

    pub fn unauthenticated(reason: Reason, message: impl Into<String>) -> Self {
        Self::Unauthenticated {
            reason: Some(reason),
            message: message.into(),
        }
    }

    pub fn internal(cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(cause))
    }
}

/// A unique violation that escapes a rule's own insert-or-conflict (a race the rule did not
/// foresee) is the client's clash, not the server's fault: CONFLICT `ALREADY_EXISTS`,
/// logged so the unguarded path can be found. A lost or refused connection is UNAVAILABLE
/// (retryable); every other database error is INTERNAL.
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        if let Some(sea_orm::SqlErr::UniqueConstraintViolation(detail)) = err.sql_err() {
            tracing::warn!(%detail, "a unique violation reached the error boundary");
            return Self::conflict(
                Reason::AlreadyExists,
                "this clashes with a record that already exists",
            );
        }
        if super::retryable::is_transient(&err) {
            Self::Unavailable(err)
        } else {
            Self::internal(err)
        }
    }
}

/// An error shared by everyone who waited on it (a data loader's batch), made owned again
/// for one of them: the same code, reason and field; an internal cause stays the source,
/// logged once where the error leaves the service.
impl From<std::sync::Arc<AppError>> for AppError {
    fn from(shared: std::sync::Arc<AppError>) -> Self {
        match &*shared {
            Self::Unauthenticated { reason, message } => Self::Unauthenticated {
                reason: *reason,
                message: message.clone(),
            },
            Self::Forbidden {
                reason,
                entitlement,
                message,
            } => Self::Forbidden {
                reason: *reason,
                entitlement: entitlement.clone(),
                message: message.clone(),
            },
            Self::GatesClosed(gates) => Self::GatesClosed(gates.clone()),
            Self::NotFound { entity, id } => Self::NotFound {
                entity,
                id: id.clone(),
            },
            Self::BadUserInput {
                field,
                reason,
                message,
            } => Self::BadUserInput {
                field: field.clone(),
                reason: *reason,
                message: message.clone(),
            },
            Self::Conflict { reason, message } => Self::Conflict {
                reason: *reason,
                message: message.clone(),
            },
            Self::RateLimited {
                retry_after_seconds,
            } => Self::RateLimited {
                retry_after_seconds: *retry_after_seconds,
            },
            // The cause stays with the first holder; the others retry as well.
            Self::Unavailable(cause) => Self::Unavailable(sea_orm::DbErr::Custom(format!(
                "shared by a batch: {cause}"
            ))),
            Self::Internal(_) => Self::Internal(Box::new(SharedCause(shared))),
        }
    }
}

/// The internal cause inside a shared error, displayed as that cause.
#[derive(Debug)]
struct SharedCause(std::sync::Arc<AppError>);

impl fmt::Display for SharedCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            AppError::Internal(cause) => cause.fmt(f),
            other => other.fmt(f),
        }
    }
}

impl std::error::Error for SharedCause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.0 {
            AppError::Internal(cause) => Some(cause.as_ref()),
            _ => None,
        }
    }
}

impl<E> From<sea_orm::TransactionError<E>> for AppError
where
    E: std::error::Error + Into<AppError>,
{
    fn from(err: sea_orm::TransactionError<E>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(inner) => inner.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_maps_to_its_stable_code() {
        assert_eq!(AppError::not_found("habit", 1).code().as_str(), "NOT_FOUND");
        assert_eq!(
            AppError::bad_input("name", "empty").code().as_str(),
            "BAD_USER_INPUT"
        );
        let db = AppError::from(sea_orm::DbErr::Custom("disk on fire".into()));
        assert_eq!(db.code().as_str(), "INTERNAL");
        assert_eq!(
            db.to_string(),
            "internal error",
            "internal causes never reach the message"
        );
        let cut = AppError::from(sea_orm::DbErr::ConnectionAcquire(
            sea_orm::error::ConnAcquireErr::Timeout,
        ));
        assert_eq!(cut.code().as_str(), "UNAVAILABLE");
    }

    #[test]
    fn a_shared_error_keeps_its_code_and_its_cause() {
        let shared = std::sync::Arc::new(AppError::bad_input("email", "no"));
        let owned = AppError::from(shared);
        assert!(matches!(
            owned,
            AppError::BadUserInput { field: Some(ref f), .. } if f == "email"
        ));
        let db = std::sync::Arc::new(AppError::from(sea_orm::DbErr::Custom(
            "disk on fire".into(),
        )));
        let AppError::Internal(cause) = AppError::from(db) else {
            panic!("stays internal");
        };
        assert_eq!(cause.to_string(), "Custom Error: disk on fire");
        assert!(std::error::Error::source(cause.as_ref()).is_some());
    }
}
