//! Registering a passkey: the signed-in user begins (options for `navigator.credentials.create`,
//! excluding the credentials they already have) and finishes with what the browser returned.
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use uuid::Uuid;
use webauthn_rs::prelude::{PasskeyRegistration, RegisterPublicKeyCredential};

use super::{
    Ceremony, PasskeyInfo, RelyingParty,
    ceremonies::{self, Purpose},
    credentials, parse_credential, settle,
};
use crate::domain::{
    Actor, AppError, AppResult, Reason, RequestMeta, UserId,
    auth::{Identity, audit, users},
    db::begin_write,
};

/// Starts registering a passkey for the signed-in user.
pub async fn begin(
    db: &DatabaseConnection,
    identity: &Identity,
    actor: &Actor,
    now: DateTime<Utc>,
) -> AppResult<Ceremony> {
    let UserId(user) = actor.require_user()?;
    let webauthn = identity.passkeys.webauthn()?;
    let account = users::find(db, user).await?;
    let exclude: Vec<Vec<u8>> = credentials::of_user(db, user)
        .await?
        .iter()
        .filter_map(|row| URL_SAFE_NO_PAD.decode(&row.credential_id).ok())
        .collect();
    let display_name = account.name.as_deref().unwrap_or(&account.email);
    let (options, state) = webauthn
        .start_passkey_registration(
            user,
            &account.email,
            display_name,
            (!exclude.is_empty()).then_some(exclude),
        )
        .map_err(AppError::internal)?;
    let state = serde_json::to_value(&state).map_err(AppError::internal)?;
    let id = ceremonies::store(db, Purpose::Registration, Some(user), state, now).await?;
    Ok(Ceremony {
        id,
        options: serde_json::to_value(&options).map_err(AppError::internal)?,
    })
}

/// Finishes a registration the same user began, storing the new passkey.
pub async fn finish(
    db: &DatabaseConnection,
    identity: &Identity,
    actor: &Actor,
    ceremony_id: Uuid,
    credential: serde_json::Value,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<PasskeyInfo> {
    let UserId(user) = actor.require_user()?;
    let txn = begin_write(db).await?;
    let result = register(
        &txn,
        &identity.passkeys,
        user,
        ceremony_id,
        credential,
        meta,
        now,
    )
    .await;
    settle(txn, result).await
}

async fn register(
    conn: &impl ConnectionTrait,
    relying_party: &RelyingParty,
    user: Uuid,
    ceremony_id: Uuid,
    credential: serde_json::Value,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<PasskeyInfo> {
    let webauthn = relying_party.webauthn()?;
    let ceremony = ceremonies::take(conn, ceremony_id, Purpose::Registration, Some(user), now)
        .await?
        .map_err(|reason| {
            AppError::bad_input_because("ceremonyId", reason, super::explain(reason))
        })?;
    let credential: RegisterPublicKeyCredential = parse_credential(credential)?;
    let state: PasskeyRegistration =
        serde_json::from_value(ceremony.state).map_err(AppError::internal)?;
    let passkey = webauthn
        .finish_passkey_registration(&credential, &state)
        .map_err(|err| {
            tracing::info!(error = %err, "passkey registration refused");
            let reason = Reason::PasskeyRejected;
            AppError::bad_input_because("credential", reason, super::explain(reason))
        })?;
    let row = credentials::insert(conn, user, &passkey, now).await?;
    let entry = credentials::audited("passkey_registered", user, row.id);
    audit::record(conn, meta, now, entry).await?;
    Ok(row.into())
}
