//! The one error type of the service, with the stable codes clients branch on.
use std::fmt;

/// The stable `extensions.code` values. Renaming one breaks clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadUserInput,
    Conflict,
    RateLimited,
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
            Self::Internal => "INTERNAL",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a client must tell cases of one code apart, `extensions.reason` names the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    SignInRequired,
    InsufficientCoins,
    InvalidToken,
    TokenExpired,
    SessionEnded,
    SessionReuseDetected,
    InvalidSignInLink,
    SignInLinkExpired,
    PasskeyCeremonyInvalid,
    PasskeyCeremonyExpired,
    PasskeyRejected,
    PasskeyCounterNotAdvanced,
    PasskeyAlreadyRegistered,
    TermsVersionMismatch,
    TooYoung,
    OAuthStateInvalid,
    OAuthExchangeFailed,
    OAuthEmailMissing,
    OAuthEmailUnverified,
    TermsNotAccepted,
    AgeNotConfirmed,
    NotApproved,
    FocusTimeRemaining,
    FocusSessionActive,
    FocusSessionEnded,
    FocusSessionExpired,
    HabitTargetReached,
    HabitArchived,
    IdempotencyKeyReused,
    GoalCompleted,
    QuestNotCompleted,
    QuestRetired,
    QuestInUse,
    QuestExpired,
    TooManyAliases,
}

impl Reason {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::SignInRequired => "SIGN_IN_REQUIRED",
            Self::InsufficientCoins => "INSUFFICIENT_COINS",
            Self::InvalidToken => "INVALID_TOKEN",
            Self::TokenExpired => "TOKEN_EXPIRED",
            Self::SessionEnded => "SESSION_ENDED",
            Self::SessionReuseDetected => "SESSION_REUSE_DETECTED",
            Self::InvalidSignInLink => "INVALID_SIGN_IN_LINK",
            Self::SignInLinkExpired => "SIGN_IN_LINK_EXPIRED",
            Self::PasskeyCeremonyInvalid => "PASSKEY_CEREMONY_INVALID",
            Self::PasskeyCeremonyExpired => "PASSKEY_CEREMONY_EXPIRED",
            Self::PasskeyRejected => "PASSKEY_REJECTED",
            Self::PasskeyCounterNotAdvanced => "PASSKEY_COUNTER_NOT_ADVANCED",
            Self::PasskeyAlreadyRegistered => "PASSKEY_ALREADY_REGISTERED",
            Self::TermsVersionMismatch => "TERMS_VERSION_MISMATCH",
            Self::TooYoung => "TOO_YOUNG",
            Self::OAuthStateInvalid => "OAUTH_STATE_INVALID",
            Self::OAuthExchangeFailed => "OAUTH_EXCHANGE_FAILED",
            Self::OAuthEmailMissing => "OAUTH_EMAIL_MISSING",
            Self::OAuthEmailUnverified => "OAUTH_EMAIL_UNVERIFIED",
            Self::TermsNotAccepted => "TERMS_NOT_ACCEPTED",
            Self::AgeNotConfirmed => "AGE_NOT_CONFIRMED",
            Self::NotApproved => "NOT_APPROVED",
            Self::FocusTimeRemaining => "FOCUS_TIME_REMAINING",
            Self::FocusSessionActive => "FOCUS_SESSION_ACTIVE",
            Self::FocusSessionEnded => "FOCUS_SESSION_ENDED",
            Self::FocusSessionExpired => "FOCUS_SESSION_EXPIRED",
            Self::HabitTargetReached => "HABIT_TARGET_REACHED",
            Self::HabitArchived => "HABIT_ARCHIVED",
            Self::IdempotencyKeyReused => "IDEMPOTENCY_KEY_REUSED",
            Self::GoalCompleted => "GOAL_COMPLETED",
            Self::QuestNotCompleted => "QUEST_NOT_COMPLETED",
            Self::QuestRetired => "QUEST_RETIRED",
            Self::QuestInUse => "QUEST_IN_USE",
            Self::QuestExpired => "QUEST_EXPIRED",
            Self::TooManyAliases => "TOO_MANY_ALIASES",
        }
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
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Unauthenticated { .. } => ErrorCode::Unauthenticated,
            Self::Forbidden { .. } => ErrorCode::Forbidden,
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::BadUserInput { .. } => ErrorCode::BadUserInput,
            Self::Conflict { .. } => ErrorCode::Conflict,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    pub fn reason(&self) -> Option<Reason> {
        match self {
            Self::Unauthenticated { reason, .. }
            | Self::Forbidden { reason, .. }
            | Self::BadUserInput { reason, .. }
            | Self::Conflict { reason, .. } => *reason,
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

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        Self::internal(err)
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
    }
}
