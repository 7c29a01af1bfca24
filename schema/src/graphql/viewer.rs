//! `viewer`: the signed-in user, the root every personal query hangs from.
use async_graphql::{Context, MergedObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::achievements::ViewerAchievements;
use super::{
    access::ViewerAccess, context::ContextExt, gamification::ViewerRewards,
    passkeys::ViewerPasskeys, security_log::ViewerSecurityLog, sessions::ViewerSessions,
};
use super::{focus_libraries::ViewerFocusLibraries, focus_reads::ViewerFocus};
use super::{goals::ViewerGoals, habits::ViewerHabits};
use crate::domain::{AppError, Reason, auth::preferences};

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
        )
    }
}

/// Who the user is: identity, profile, gates and settings.
pub struct ViewerProfile(entity::users::Model);

fn utc(at: &chrono::DateTime<chrono::FixedOffset>) -> DateTime<Utc> {
    at.with_timezone(&Utc)
}

#[Object]
impl ViewerProfile {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    async fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    async fn email(&self) -> &str {
        &self.0.email
    }

    async fn image(&self) -> Option<&str> {
        self.0.image.as_deref()
    }

    /// When the email was proven by a sign-in link or a provider.
    async fn email_verified(&self) -> Option<DateTime<Utc>> {
        self.0.email_verified.as_ref().map(utc)
    }

    /// Whether an admin approved the account (matters when sign-up approval is on).
    async fn approved(&self) -> bool {
        self.0.approved
    }

    async fn age_verified(&self) -> bool {
        self.0.age_verified
    }

    /// Whether the user accepted the terms' current version.
    async fn tos_accepted(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let current = &ctx.identity()?.settings.terms_version;
        Ok(self.0.tos_accepted && self.0.tos_version.as_ref() == Some(current))
    }

    /// The version of the terms the user last accepted.
    async fn tos_version(&self) -> Option<&str> {
        self.0.tos_version.as_deref()
    }

    async fn last_activity_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_activity_at.as_ref().map(utc)
    }

    async fn created_at(&self) -> DateTime<Utc> {
        utc(&self.0.created_at)
    }

    async fn settings(&self, ctx: &Context<'_>) -> async_graphql::Result<Settings> {
        let user = crate::domain::UserId(self.0.id);
        Ok(preferences::load(ctx.db()?, user).await?.into())
    }
}

/// Settings that shape the user's day.
#[derive(SimpleObject)]
pub struct Settings {
    /// IANA time zone, e.g. `Europe/Berlin`; `UTC` until set.
    time_zone: String,
    /// The hour (0–23) a new day starts for streaks and daily quests.
    day_start_hour: u32,
}

impl From<preferences::Preferences> for Settings {
    fn from(p: preferences::Preferences) -> Self {
        Self {
            time_zone: p.time_zone.name().to_owned(),
            day_start_hour: p.day_start_hour,
        }
    }
}

#[derive(Default)]
pub struct ViewerQuery;

#[Object]
impl ViewerQuery {
    /// The signed-in user; null when the request carries no token.
    async fn viewer(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Viewer>> {
        let Some(user_id) = ctx.actor()?.user_id() else {
            return Ok(None);
        };
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
