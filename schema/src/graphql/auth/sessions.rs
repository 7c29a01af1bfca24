//! Sign-in over GraphQL: magic links, refreshing and ending sessions.
use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::{
    SessionId,
    auth::{magic_link, rotation, sessions},
};
use crate::graphql::{context::ContextExt, viewer::Viewer};

/// `viewer.sessions`: where the user is signed in.
pub struct ViewerSessions;

#[Object]
impl ViewerSessions {
    /// The user's live sign-in sessions, newest first; `current` marks this one.
    async fn sessions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Session>> {
        let actor = ctx.actor()?;
        let current = actor.require_session()?.1;
        let found = sessions::list(ctx.reader()?, actor, ctx.now()?).await?;
        Ok(found
            .into_iter()
            .map(|session| Session::new(session, current))
            .collect())
    }
}

/// One of the user's sign-in sessions (a device or browser).
#[derive(SimpleObject)]
pub struct Session {
    id: Uuid,
    created_at: DateTime<Utc>,
    last_activity_at: Option<DateTime<Utc>>,
    expires_at: DateTime<Utc>,
    user_agent: Option<String>,
    ip_address: Option<String>,
    /// Whether this is the session making the request.
    current: bool,
}

impl Session {
    pub fn new(session: entity::sessions::Model, current: SessionId) -> Self {
        Self {
            current: session.id == current.0,
            id: session.id,
            created_at: session.created_at.with_timezone(&Utc),
            last_activity_at: session.last_activity_at.map(|at| at.with_timezone(&Utc)),
            expires_at: session.expires_at.with_timezone(&Utc),
            user_agent: session.user_agent,
            ip_address: session.ip_address,
        }
    }
}

/// What a client keeps after signing in: a short-lived access token for requests, and a
/// session token to get the next pair.
#[derive(SimpleObject)]
pub struct SignInPayload {
    /// Send as `Authorization: Bearer <accessToken>`.
    access_token: String,
    /// When the access token stops working (15 minutes).
    expires_at: DateTime<Utc>,
    /// Trade for a new pair with `refreshSession`; each one works once.
    session_token: String,
    session_expires_at: DateTime<Utc>,
    user: Viewer,
}

impl From<sessions::SignedIn> for SignInPayload {
    fn from(signed_in: sessions::SignedIn) -> Self {
        Self {
            access_token: signed_in.access_token,
            expires_at: signed_in.access_token_expires_at,
            session_token: signed_in.session_token,
            session_expires_at: signed_in.session_expires_at,
            user: Viewer::new(signed_in.user),
        }
    }
}

#[derive(InputObject)]
pub struct RequestSignInLinkInput {
    email: String,
}

#[derive(SimpleObject)]
pub struct RequestSignInLinkPayload {
    /// Always true: the answer never reveals whether an account exists.
    sent: bool,
}

#[derive(InputObject)]
pub struct SignInWithLinkInput {
    token: String,
}

#[derive(InputObject)]
pub struct RefreshSessionInput {
    session_token: String,
}

#[derive(InputObject)]
pub struct RevokeSessionInput {
    id: Uuid,
}

#[derive(SimpleObject)]
pub struct RevokeSessionPayload {
    session: Session,
}

#[derive(SimpleObject)]
pub struct SignOutPayload {
    signed_out: bool,
}

#[derive(Default)]
pub struct SessionsMutation;

#[Object]
impl SessionsMutation {
    /// Mails a one-time sign-in link to the address.
    async fn request_sign_in_link(
        &self,
        ctx: &Context<'_>,
        input: RequestSignInLinkInput,
    ) -> async_graphql::Result<RequestSignInLinkPayload> {
        let (db, identity, meta) = (ctx.db()?, ctx.identity()?, ctx.meta()?);
        magic_link::request(db, identity, &input.email, meta, ctx.now()?).await?;
        Ok(RequestSignInLinkPayload { sent: true })
    }

    /// Signs in with the token of a mailed link; creates the account on first sign-in.
    async fn sign_in_with_link(
        &self,
        ctx: &Context<'_>,
        input: SignInWithLinkInput,
    ) -> async_graphql::Result<SignInPayload> {
        let (db, identity, meta) = (ctx.db()?, ctx.identity()?, ctx.meta()?);
        Ok(
            magic_link::sign_in(db, identity, &input.token, meta, ctx.now()?)
                .await?
                .into(),
        )
    }

    /// Trades a session token for a new pair; the old token stops working.
    async fn refresh_session(
        &self,
        ctx: &Context<'_>,
        input: RefreshSessionInput,
    ) -> async_graphql::Result<SignInPayload> {
        let (db, identity, meta) = (ctx.db()?, ctx.identity()?, ctx.meta()?);
        Ok(
            rotation::refresh(db, identity, &input.session_token, meta, ctx.now()?)
                .await?
                .into(),
        )
    }

    /// Ends the current session.
    async fn sign_out(&self, ctx: &Context<'_>) -> async_graphql::Result<SignOutPayload> {
        let (db, identity, meta) = (ctx.db()?, ctx.identity()?, ctx.meta()?);
        sessions::sign_out(db, identity, ctx.actor()?, meta, ctx.now()?).await?;
        Ok(SignOutPayload { signed_out: true })
    }

    /// Ends one of the user's sessions, e.g. a lost phone's.
    async fn revoke_session(
        &self,
        ctx: &Context<'_>,
        input: RevokeSessionInput,
    ) -> async_graphql::Result<RevokeSessionPayload> {
        let (db, identity, meta) = (ctx.db()?, ctx.identity()?, ctx.meta()?);
        let actor = ctx.actor()?;
        let ended = sessions::revoke(db, identity, actor, input.id, meta, ctx.now()?).await?;
        let current = actor.require_session()?.1;
        Ok(RevokeSessionPayload {
            session: Session::new(ended, current),
        })
    }
}
