//! Passkeys over GraphQL: registering one, signing in with one, listing (`viewer.passkeys`)
//! and deleting them. The WebAuthn options and credentials travel as JSON, exactly as the
//! browser's `navigator.credentials` API takes and returns them.
use async_graphql::{Context, Enum, InputObject, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::sessions::SignInPayload;
use crate::domain::auth::passkeys::{
    self, Ceremony, DeviceType, PasskeyInfo, registration, sign_in,
};
use crate::graphql::context::ContextExt;

/// Whether a passkey can be synced to other devices (backup eligible) or is bound to one.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum PasskeyDeviceType {
    SingleDevice,
    MultiDevice,
}

/// One of the user's passkeys.
#[derive(SimpleObject)]
pub struct Passkey {
    id: Uuid,
    created_at: DateTime<Utc>,
    device_type: PasskeyDeviceType,
    /// Whether the passkey is currently backed up or synced (as of its last use).
    backed_up: bool,
    /// How the browser may reach the authenticator (`usb`, `nfc`, `ble`, `internal`, `hybrid`).
    transports: Vec<String>,
}

impl From<PasskeyInfo> for Passkey {
    fn from(info: PasskeyInfo) -> Self {
        Self {
            id: info.id,
            created_at: info.created_at,
            device_type: match info.device_type {
                DeviceType::SingleDevice => PasskeyDeviceType::SingleDevice,
                DeviceType::MultiDevice => PasskeyDeviceType::MultiDevice,
            },
            backed_up: info.backed_up,
            transports: info.transports,
        }
    }
}

/// A registration begun: pass `options` to `navigator.credentials.create`, then send the
/// result to `finishPasskeyRegistration` within five minutes.
#[derive(SimpleObject)]
pub struct BeginPasskeyRegistrationPayload {
    ceremony_id: Uuid,
    /// `PublicKeyCredentialCreationOptions`, as `{"publicKey": {…}}`.
    options: Json<serde_json::Value>,
}

impl From<Ceremony> for BeginPasskeyRegistrationPayload {
    fn from(ceremony: Ceremony) -> Self {
        Self {
            ceremony_id: ceremony.id,
            options: Json(ceremony.options),
        }
    }
}

#[derive(InputObject)]
pub struct FinishPasskeyRegistrationInput {
    ceremony_id: Uuid,
    /// The `PublicKeyCredential` `navigator.credentials.create` returned, as JSON.
    credential: Json<serde_json::Value>,
}

#[derive(SimpleObject)]
pub struct FinishPasskeyRegistrationPayload {
    passkey: Passkey,
}

#[derive(InputObject)]
pub struct BeginPasskeySignInInput {
    email: String,
}

/// A sign-in begun: pass `options` to `navigator.credentials.get`, then send the result to
/// `finishPasskeySignIn` within five minutes. Every address gets options, whether or not it
/// has an account or a passkey.
#[derive(SimpleObject)]
pub struct BeginPasskeySignInPayload {
    ceremony_id: Uuid,
    /// `PublicKeyCredentialRequestOptions`, as `{"publicKey": {…}}`.
    options: Json<serde_json::Value>,
}

impl From<Ceremony> for BeginPasskeySignInPayload {
    fn from(ceremony: Ceremony) -> Self {
        Self {
            ceremony_id: ceremony.id,
            options: Json(ceremony.options),
        }
    }
}

#[derive(InputObject)]
pub struct FinishPasskeySignInInput {
    ceremony_id: Uuid,
    /// The `PublicKeyCredential` `navigator.credentials.get` returned, as JSON.
    credential: Json<serde_json::Value>,
}

#[derive(InputObject)]
pub struct DeletePasskeyInput {
    id: Uuid,
}

#[derive(SimpleObject)]
pub struct DeletePasskeyPayload {
    /// The passkey as it was before its deletion.
    passkey: Passkey,
}

/// The viewer's part of passkeys.
#[derive(Default)]
pub struct ViewerPasskeys;

#[Object]
impl ViewerPasskeys {
    /// The user's passkeys, oldest first.
    async fn passkeys(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Passkey>> {
        let found = passkeys::list(ctx.reader()?, ctx.actor()?).await?;
        Ok(found.into_iter().map(Passkey::from).collect())
    }
}

#[derive(Default)]
pub struct PasskeysMutation;

#[Object]
impl PasskeysMutation {
    /// Starts registering a passkey for the signed-in user.
    async fn begin_passkey_registration(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<BeginPasskeyRegistrationPayload> {
        let (db, identity) = (ctx.db()?, ctx.identity()?);
        Ok(registration::begin(db, identity, ctx.actor()?, ctx.now()?)
            .await?
            .into())
    }

    /// Finishes a registration with the browser's credential and stores the passkey.
    async fn finish_passkey_registration(
        &self,
        ctx: &Context<'_>,
        input: FinishPasskeyRegistrationInput,
    ) -> async_graphql::Result<FinishPasskeyRegistrationPayload> {
        let (db, identity, meta) = (ctx.db()?, ctx.identity()?, ctx.meta()?);
        let (actor, now) = (ctx.actor()?, ctx.now()?);
        let credential = input.credential.0;
        let passkey = registration::finish(
            db,
            identity,
            actor,
            input.ceremony_id,
            credential,
            meta,
            now,
        )
        .await?;
        Ok(FinishPasskeyRegistrationPayload {
            passkey: passkey.into(),
        })
    }

    /// Starts signing in with a passkey for the address.
    async fn begin_passkey_sign_in(
        &self,
        ctx: &Context<'_>,
        input: BeginPasskeySignInInput,
    ) -> async_graphql::Result<BeginPasskeySignInPayload> {
        let (db, identity, meta) = (ctx.db()?, ctx.identity()?, ctx.meta()?);
        Ok(sign_in::begin(db, identity, &input.email, meta, ctx.now()?)
            .await?
            .into())
    }

    /// Finishes a passkey sign-in with the browser's assertion; opens a session.
    async fn finish_passkey_sign_in(
        &self,
        ctx: &Context<'_>,
        input: FinishPasskeySignInInput,
    ) -> async_graphql::Result<SignInPayload> {
        let (db, identity, meta) = (ctx.db()?, ctx.identity()?, ctx.meta()?);
        let credential = input.credential.0;
        Ok(sign_in::finish(
            db,
            identity,
            input.ceremony_id,
            credential,
            meta,
            ctx.now()?,
        )
        .await?
        .into())
    }

    /// Deletes one of the signed-in user's passkeys.
    async fn delete_passkey(
        &self,
        ctx: &Context<'_>,
        input: DeletePasskeyInput,
    ) -> async_graphql::Result<DeletePasskeyPayload> {
        let (db, meta) = (ctx.db()?, ctx.meta()?);
        let deleted = passkeys::delete(db, ctx.actor()?, input.id, meta, ctx.now()?).await?;
        Ok(DeletePasskeyPayload {
            passkey: deleted.into(),
        })
    }
}
