//! The user's own profile and settings, and the sign-up gates (terms, age).
use async_graphql::{Context, InputObject, MaybeUndefined, Object, SimpleObject};

use super::{
    context::ContextExt,
    scalars::Date,
    viewer::{Settings, Viewer},
};
use crate::domain::auth::{
    preferences::{self, PreferencesUpdate},
    profile::{self, ProfileUpdate},
};

/// An optional input field as a change: omitted keeps, null clears, a value sets.
pub(crate) fn change<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

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
        let update = ProfileUpdate {
            name: change(input.name),
            image: change(input.image),
        };
        let user = profile::update(ctx.db()?, ctx.actor()?, update, ctx.now()?).await?;
        Ok(UpdateProfilePayload {
            viewer: Viewer::new(user),
        })
    }

    async fn update_settings(
        &self,
        ctx: &Context<'_>,
        input: UpdateSettingsInput,
    ) -> async_graphql::Result<UpdateSettingsPayload> {
        let update = PreferencesUpdate {
            time_zone: input.time_zone,
            day_start_hour: input.day_start_hour,
        };
        let saved = preferences::update(ctx.db()?, ctx.actor()?, update, ctx.now()?).await?;
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
