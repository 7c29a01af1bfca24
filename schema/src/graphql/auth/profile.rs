//! The user's own profile and settings over GraphQL (`viewer { name email settings … }`,
//! `updateProfile`, `updateSettings`), and the sign-up gates (`acceptTerms`, `confirmAge`,
//! `signUpRequirements`).
use async_graphql::{Context, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::auth::{
    gates,
    preferences::{self, PreferencesChanges},
    profile::{self, ProfileChanges},
};
use crate::domain::clock::utc;
use crate::graphql::{context::ContextExt, input::change, scalars::Date, viewer::Viewer};

#[derive(InputObject)]
pub struct UpdateProfileInput {
    /// Omit to keep, null to clear.
    name: MaybeUndefined<String>,
    /// An http(s) avatar URL; omit to keep, null to clear.
    image: MaybeUndefined<String>,
}

#[derive(SimpleObject)]
pub struct UpdateProfilePayload {
    viewer: Viewer,
}

#[derive(InputObject)]
pub struct UpdateSettingsInput {
    /// IANA time zone, e.g. `America/Los_Angeles`.
    time_zone: Option<String>,
    /// 0–23.
    day_start_hour: Option<i32>,
}

#[derive(SimpleObject)]
pub struct UpdateSettingsPayload {
    settings: Settings,
}

#[derive(InputObject)]
pub struct AcceptTermsInput {
    /// Must be the current version (`signUpRequirements.termsVersion`).
    version: String,
}

#[derive(SimpleObject)]
pub struct AcceptTermsPayload {
    viewer: Viewer,
}

#[derive(InputObject)]
pub struct ConfirmAgeInput {
    /// Checked against the minimum age, never stored.
    birth_date: Date,
}

#[derive(SimpleObject)]
pub struct ConfirmAgePayload {
    viewer: Viewer,
}

#[derive(Default)]
pub struct ProfileMutation;

#[Object]
impl ProfileMutation {
    async fn update_profile(
        &self,
        ctx: &Context<'_>,
        input: UpdateProfileInput,
    ) -> async_graphql::Result<UpdateProfilePayload> {
        let update = ProfileChanges {
            name: change(input.name),
            image: change(input.image),
        };
        let user = profile::update(
            ctx.db()?,
            &ctx.identity()?.sign_ins,
            ctx.actor()?,
            update,
            ctx.now()?,
        )
        .await?;
        Ok(UpdateProfilePayload {
            viewer: Viewer::new(user),
        })
    }

    async fn update_settings(
        &self,
        ctx: &Context<'_>,
        input: UpdateSettingsInput,
    ) -> async_graphql::Result<UpdateSettingsPayload> {
        let update = PreferencesChanges {
            time_zone: input.time_zone,
            day_start_hour: input.day_start_hour,
        };
        let saved = preferences::update(
            ctx.db()?,
            &ctx.identity()?.sign_ins,
            ctx.actor()?,
            update,
            ctx.now()?,
        )
        .await?;
        Ok(UpdateSettingsPayload {
            settings: saved.into(),
        })
    }

    async fn accept_terms(
        &self,
        ctx: &Context<'_>,
        input: AcceptTermsInput,
    ) -> async_graphql::Result<AcceptTermsPayload> {
        let (db, identity, meta) = (ctx.db()?, ctx.identity()?, ctx.meta()?);
        let user =
            profile::accept_terms(db, identity, ctx.actor()?, &input.version, meta, ctx.now()?)
                .await?;
        Ok(AcceptTermsPayload {
            viewer: Viewer::new(user),
        })
    }

    async fn confirm_age(
        &self,
        ctx: &Context<'_>,
        input: ConfirmAgeInput,
    ) -> async_graphql::Result<ConfirmAgePayload> {
        let (db, identity, meta) = (ctx.db()?, ctx.identity()?, ctx.meta()?);
        let user = profile::confirm_age(
            db,
            identity,
            ctx.actor()?,
            input.birth_date.0,
            meta,
            ctx.now()?,
        )
        .await?;
        Ok(ConfirmAgePayload {
            viewer: Viewer::new(user),
        })
    }
}

/// What a new user must do before using the product.
#[derive(SimpleObject)]
pub struct SignUpRequirements {
    /// The terms version `acceptTerms` expects.
    terms_version: String,
    /// The minimum age `confirmAge` checks.
    minimum_age: u32,
    /// Whether new accounts wait for an admin's approval.
    approval_required: bool,
}

#[derive(Default)]
pub struct ProfileQuery;

#[Object]
impl ProfileQuery {
    async fn sign_up_requirements(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<SignUpRequirements> {
        let settings = &ctx.identity()?.settings;
        Ok(SignUpRequirements {
            terms_version: settings.terms_version.clone(),
            minimum_age: settings.minimum_age,
            approval_required: settings.require_approval,
        })
    }
}

/// Who the user is: identity, profile, gates and settings.
pub struct ViewerProfile(pub(crate) entity::users::Model);

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
        Ok(gates::terms_accepted(&self.0, &ctx.identity()?.settings))
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
        Ok(preferences::of_actor(ctx.reader()?, ctx.actor()?, user)
            .await?
            .into())
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
