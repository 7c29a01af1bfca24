//! Signing in with a passkey, starting from an email. An address with passkeys gets them as
//! the allowed credentials; any other address (no passkey, or no account) gets decoy options
//! that look the same, and its ceremony fails at finish like a wrong passkey: the answer never
//! tells whether an account exists. Finishing is rate limited per IP and every failure audited.
use chrono::{DateTime, Utc};
use entity::authenticators;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;
use webauthn_rs::prelude::{Passkey, PasskeyAuthentication, PublicKeyCredential, WebauthnError};

use super::{
    Ceremony,
    ceremonies::{self, Purpose},
    credentials, encode_id, parse_credential, settle,
};
use crate::domain::{
    AppError, AppResult, Reason, RequestMeta,
    auth::{
        Identity,
        audit::{self, AuditEntry},
        sessions::{self, Method, SignedIn},
        users,
    },
    db::begin_write,
};

/// Starts a sign-in for `email`; rate limited per address and IP like sign-in links.
pub async fn begin(
    db: &DatabaseConnection,
    identity: &Identity,
    email: &str,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<Ceremony> {
    let email = users::normalise_email(email)?;
    identity.limiter.check_ip(meta.ip_address.as_deref())?;
    identity.limiter.check_email(&email)?;
    let relying_party = &identity.passkeys;
    let webauthn = relying_party.webauthn()?;
    let account = users::find_by_email(db, &email).await?;
    let mut passkeys: Vec<Passkey> = Vec::new();
    if let Some(account) = &account {
        for row in credentials::of_user(db, account.id).await? {
            match credentials::passkey(&row) {
                Ok(passkey) => passkeys.push(passkey),
                Err(err) => {
                    tracing::warn!(passkey = %row.id, error = %err, "unreadable passkey skipped")
                }
            }
        }
    }
    let (user, state, options) = match account {
        Some(account) if !passkeys.is_empty() => {
            let (options, state) = webauthn
                .start_passkey_authentication(&passkeys)
                .map_err(AppError::internal)?;
            (
                Some(account.id),
                serde_json::to_value(&state).map_err(AppError::internal)?,
                serde_json::to_value(&options).map_err(AppError::internal)?,
            )
        }
        _ => (
            None,
            json!({ "decoy": true }),
            relying_party
                .decoys
                .options(&identity.settings.passkeys.rp_id, &email)?,
        ),
    };
    let id = ceremonies::store(db, Purpose::Authentication, user, state, now).await?;
    Ok(Ceremony { id, options })
}

/// Finishes a sign-in with the assertion the browser returned, and opens a session.
pub async fn finish(
    db: &DatabaseConnection,
    identity: &Identity,
    ceremony_id: Uuid,
    credential: serde_json::Value,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<SignedIn> {
    identity.limiter.check_ip(meta.ip_address.as_deref())?;
    let txn = begin_write(db).await?;
    let mut user = None;
    let result = attempt(
        &txn,
        identity,
        ceremony_id,
        credential,
        &mut user,
        meta,
        now,
    )
    .await;
    if let Err(err) = &result
        && !matches!(err, AppError::Internal(_))
    {
        let reason = err.reason().map_or(err.code().as_str(), Reason::as_str);
        let mut entry = AuditEntry::failure("sign_in_failed").details(json!({
            "method": Method::Passkey.as_str(),
            "reason": reason,
        }));
        if let Some(user) = user {
            entry = entry.user(user);
        }
        audit::record(&txn, meta, now, entry).await?;
    }
    settle(txn, result).await
}

/// The checks of one sign-in; `user` learns whose ceremony it was, for the audit.
async fn attempt(
    conn: &impl ConnectionTrait,
    identity: &Identity,
    ceremony_id: Uuid,
    credential: serde_json::Value,
    user: &mut Option<Uuid>,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<SignedIn> {
    let webauthn = identity.passkeys.webauthn()?;
    let ceremony = ceremonies::take(conn, ceremony_id, Purpose::Authentication, None, now)
        .await?
        .map_err(refused)?;
    *user = ceremony.user_id;
    let credential: PublicKeyCredential = parse_credential(credential)?;
    // A decoy ceremony: no credential can pass it.
    let owner = ceremony.user_id.ok_or(refused(Reason::PasskeyRejected))?;
    let state: PasskeyAuthentication =
        serde_json::from_value(ceremony.state).map_err(AppError::internal)?;
    let result = webauthn
        .finish_passkey_authentication(&credential, &state)
        .map_err(|err| match err {
            WebauthnError::CredentialPossibleCompromise => {
                refused(Reason::PasskeyCounterNotAdvanced)
            }
            other => {
                tracing::info!(error = %other, "passkey assertion refused");
                refused(Reason::PasskeyRejected)
            }
        })?;
    // The passkey may have been deleted since the ceremony began.
    let row = authenticators::Entity::find()
        .filter(authenticators::Column::CredentialId.eq(encode_id(result.cred_id())))
        .filter(authenticators::Column::UserId.eq(owner))
        .one(conn)
        .await?
        .ok_or(refused(Reason::PasskeyRejected))?;
    if !credentials::record_use(conn, &row, &result).await? {
        return Err(refused(Reason::PasskeyCounterNotAdvanced));
    }
    let account = users::find(conn, owner).await?;
    sessions::open(conn, identity, account, Method::Passkey, meta, now).await
}

fn refused(reason: Reason) -> AppError {
    AppError::unauthenticated(reason, super::explain(reason))
}
