//! OAuth sign-in over GraphQL: start at the provider, complete with its code.
use async_graphql::{Context, InputObject, Object, SimpleObject};

use super::sessions::SignInPayload;
use crate::domain::auth::oauth;
use crate::graphql::context::ContextExt;

#[derive(InputObject)]
pub struct StartOAuthSignInInput {
    /// A configured provider's name (`oauthProviders`).
    provider: String,
    /// The client's callback page; must be on the server's allow-list.
    redirect_uri: String,
}

#[derive(SimpleObject)]
pub struct StartOAuthSignInPayload {
    /// Send the user here; the provider returns them to `redirectUri` with `state` and `code`.
    authorization_url: String,
    /// Compare with the `state` the callback receives before completing.
    state: String,
}

#[derive(InputObject)]
pub struct CompleteOAuthSignInInput {
    state: String,
    code: String,
}

#[derive(Default)]
pub struct OAuthMutation;

#[Object]
impl OAuthMutation {
    #[graphql(name = "startOAuthSignIn")]
    async fn start_oauth_sign_in(
        &self,
        ctx: &Context<'_>,
        input: StartOAuthSignInInput,
    ) -> async_graphql::Result<StartOAuthSignInPayload> {
        let (db, identity, meta) = (ctx.db()?, ctx.identity()?, ctx.meta()?);
        let started = oauth::start(
            db,
            identity,
            &input.provider,
            &input.redirect_uri,
            meta,
            ctx.now()?,
        )
        .await?;
        Ok(StartOAuthSignInPayload {
            authorization_url: started.authorization_url,
            state: started.state,
        })
    }

    #[graphql(name = "completeOAuthSignIn")]
    async fn complete_oauth_sign_in(
        &self,
        ctx: &Context<'_>,
        input: CompleteOAuthSignInInput,
    ) -> async_graphql::Result<SignInPayload> {
        let (db, identity, meta) = (ctx.db()?, ctx.identity()?, ctx.meta()?);
        Ok(
            oauth::complete(db, identity, &input.state, &input.code, meta, ctx.now()?)
                .await?
                .into(),
        )
    }
}

#[derive(Default)]
pub struct OAuthQuery;

#[Object]
impl OAuthQuery {
    /// The providers a user can sign in with.
    async fn oauth_providers(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<String>> {
        let providers = &ctx.identity()?.settings.oauth.providers;
        Ok(providers.iter().map(|p| p.name.clone()).collect())
    }
}
