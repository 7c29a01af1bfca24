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

/// Every gate `user` has not passed, in the order they are best cleared; none when all
/// are open.
pub fn closed_gates(user: &users::Model, settings: &AuthSettings) -> Vec<Reason> {
    [
        (
            settings.require_approval && !user.approved,
            Reason::NotApproved,
        ),
        (!terms_accepted(user, settings), Reason::TermsNotAccepted),
        (!user.age_verified, Reason::AgeNotConfirmed),
    ]
    .into_iter()
    .filter_map(|(closed, gate)| closed.then_some(gate))
    .collect()
}

/// The signed-in user, if every gate is open: the first check of every productivity
/// mutation (focus, habits, goals, quests, planning).
pub async fn require_member(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    settings: &AuthSettings,
) -> AppResult<users::Model> {
    let id = actor.require_user()?;
    let user = match actor.deciding() {
        Some(signed_in) if signed_in.row.id == id.0 => signed_in.row.clone(),
        _ => user_store::find(conn, id.0).await?,
    };
    let closed = closed_gates(&user, settings);
    if closed.is_empty() {
        Ok(user)
    } else {
        Err(AppError::GatesClosed(closed))
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
