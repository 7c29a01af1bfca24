//! `viewer`: the signed-in user, the root every personal query hangs from.
use async_graphql::{Context, MergedObject, Object};

use super::{
    auth::{
        audit::ViewerSecurityLog, passkeys::ViewerPasskeys, profile::ViewerProfile,
        sessions::ViewerSessions,
    },
    context::ContextExt,
    focus::{libraries::ViewerFocusLibraries, queries::ViewerFocus},
    gamification::{achievements::ViewerAchievements, queries::ViewerRewards},
    goals::queries::ViewerGoals,
    habits::queries::ViewerHabits,
    planning::{plan_queries::ViewerPlans, queries::ViewerCalendar, today::ViewerToday},
    quests::queries::ViewerQuests,
    rbac::access::ViewerAccess,
};
use crate::domain::{AppError, Reason};

/// The signed-in user as they see themselves. Each area contributes its own fields.
#[derive(MergedObject)]
#[graphql(name = "Viewer")]
pub struct Viewer(
    ViewerProfile,
    ViewerSessions,
    ViewerSecurityLog,
    ViewerPasskeys,
    ViewerAccess,
    ViewerRewards,
    ViewerAchievements,
    ViewerHabits,
    ViewerGoals,
    ViewerFocus,
    ViewerFocusLibraries,
    ViewerQuests,
    ViewerCalendar,
    ViewerPlans,
    ViewerToday,
);

impl Viewer {
    pub fn new(user: entity::users::Model) -> Self {
        Self(
            ViewerProfile(user),
            ViewerSessions,
            ViewerSecurityLog,
            ViewerPasskeys,
            ViewerAccess,
            ViewerRewards,
            ViewerAchievements,
            ViewerHabits,
            ViewerGoals,
            ViewerFocus,
            ViewerFocusLibraries,
            ViewerQuests,
            ViewerCalendar,
            ViewerPlans,
            ViewerToday,
        )
    }
}

#[derive(Default)]
pub struct ViewerQuery;

#[Object]
impl ViewerQuery {
    /// The signed-in user; null when the request carries no token.
    async fn viewer(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Viewer>> {
        let actor = ctx.actor()?;
        let Some(user_id) = actor.user_id() else {
            return Ok(None);
        };
        if let Some(row) = actor.row() {
            return Ok(Some(Viewer::new(row.clone())));
        }
        let user = ctx
            .loaders()?
            .users()
            .load_one(user_id.0)
            .await
            .map_err(super::loaders::owned_error)?
            // A token outliving its user is as good as no token.
            .ok_or_else(|| {
                AppError::unauthenticated(
                    Reason::SessionEnded,
                    "the signed-in user no longer exists",
                )
            })?;
        Ok(Some(Viewer::new(user)))
    }
}
