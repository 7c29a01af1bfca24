//! The gates between signing in and using the product: the current terms accepted, the
//! age confirmed and, when sign-up approval is on, an admin's approval.
use entity::users;
use sea_orm::ConnectionTrait;

use super::{AuthSettings, users as user_store};
use crate::domain::{Actor, AppError, AppResult, Reason};

/// Whether `user` accepted the terms' current version: the terms gate, decided here only.
pub fn terms_accepted(user: &users::Model, settings: &AuthSettings) -> bool {
    user.tos_accepted && user.tos_version.as_deref() == Some(settings.terms_version.as_str())
}

/// The first gate `user` has not passed, if any.
pub fn first_closed_gate(user: &users::Model, settings: &AuthSettings) -> Option<AppError> {
    if settings.require_approval && !user.approved {
        return Some(AppError::forbidden(
            Reason::NotApproved,
            "your account is waiting for approval",
        ));
    }
    if !terms_accepted(user, settings) {
        return Some(AppError::forbidden(
            Reason::TermsNotAccepted,
            format!(
                "accept the terms (version {}) first",
                settings.terms_version
            ),
        ));
    }
    if !user.age_verified {
        return Some(AppError::forbidden(
            Reason::AgeNotConfirmed,
            "confirm your age first",
        ));
    }
    None
}

/// The signed-in user, if every gate is open: the first check of every productivity
/// mutation (focus, habits, goals, quests, planning).
pub async fn require_member(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    settings: &AuthSettings,
) -> AppResult<users::Model> {
    let user = user_store::find(conn, actor.require_user()?.0).await?;
    match first_closed_gate(&user, settings) {
        Some(closed) => Err(closed),
        None => Ok(user),
    }
}

/// The signed-in user's id, if every gate is open (for rules that need only the id).
pub async fn require_member_id(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    settings: &AuthSettings,
) -> AppResult<crate::domain::UserId> {
    Ok(crate::domain::UserId(
        require_member(conn, actor, settings).await?.id,
    ))
}

/// The signed-in user, if approved (or approval is off): reads beyond one's own profile.
pub async fn require_approved(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    settings: &AuthSettings,
) -> AppResult<users::Model> {
    let user = user_store::find(conn, actor.require_user()?.0).await?;
    if settings.require_approval && !user.approved {
        return Err(AppError::forbidden(
            Reason::NotApproved,
            "your account is waiting for approval",
        ));
    }
    Ok(user)
}
