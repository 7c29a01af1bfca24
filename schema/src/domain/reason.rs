//! The `extensions.reason` values that tell cases of one code apart, and the mutation that
//! clears each where there is one.

/// Where a client must tell cases of one code apart, `extensions.reason` names the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    SignInRequired,
    InsufficientCoins,
    InvalidToken,
    AccessTokenExpired,
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
    TotalLimitReached,
    AlreadyExists,
    LastAdmin,
    PlanChanged,
}

impl Reason {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::SignInRequired => "SIGN_IN_REQUIRED",
            Self::InsufficientCoins => "INSUFFICIENT_COINS",
            Self::InvalidToken => "INVALID_TOKEN",
            Self::AccessTokenExpired => "ACCESS_TOKEN_EXPIRED",
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
            Self::TotalLimitReached => "TOTAL_LIMIT_REACHED",
            Self::AlreadyExists => "ALREADY_EXISTS",
            Self::LastAdmin => "LAST_ADMIN",
            Self::PlanChanged => "PLAN_CHANGED",
        }
    }
}

impl Reason {
    /// The mutation that clears this case, for errors that tell a client what to do next.
    pub const fn cleared_by(self) -> Option<&'static str> {
        match self {
            Self::SignInRequired => Some("requestSignInLink"),
            Self::AccessTokenExpired => Some("refreshSession"),
            Self::TermsNotAccepted => Some("acceptTerms"),
            Self::AgeNotConfirmed => Some("confirmAge"),
            Self::NotApproved => Some("approveUser"),
            _ => None,
        }
    }
}
