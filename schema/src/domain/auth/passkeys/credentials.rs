//! Passkeys as `authenticators` rows: stored at registration, loaded for a sign-in (with the
//! authoritative counter and backup state of their columns), advanced after one, listed and
//! deleted by their owner.
use chrono::{DateTime, Utc};
use entity::authenticators;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, sea_query::Expr,
};
use uuid::Uuid;
use webauthn_rs::prelude::{AuthenticationResult, Credential, Passkey};

use super::encode_id;
use crate::domain::{
    Actor, AppError, AppResult, Reason, RequestMeta, UserId,
    auth::audit::{self, AuditEntry},
    db::begin_write,
};

/// Whether a passkey can live on more than one device (`credential_device_type`, in the
/// WebAuthn terms `singleDevice` / `multiDevice`): read from the authenticator's signed
/// backup-eligible flag, unlike the attachment (`platform` / `cross-platform`), which only
/// the browser reports, unsigned and not always.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceType {
    SingleDevice,
    MultiDevice,
}

impl DeviceType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SingleDevice => "singleDevice",
            Self::MultiDevice => "multiDevice",
        }
    }

    fn of(backup_eligible: bool) -> Self {
        if backup_eligible {
            Self::MultiDevice
        } else {
            Self::SingleDevice
        }
    }

    fn from_stored(text: &str) -> Self {
        if text == Self::MultiDevice.as_str() {
            Self::MultiDevice
        } else {
            Self::SingleDevice
        }
    }
}

/// A passkey as its owner sees it.
#[derive(Debug, Clone)]
pub struct PasskeyInfo {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub device_type: DeviceType,
    pub backed_up: bool,
    /// How the browser may reach it (`usb`, `nfc`, `ble`, `internal`, `hybrid`), as reported.
    pub transports: Vec<String>,
}

impl From<authenticators::Model> for PasskeyInfo {
    fn from(row: authenticators::Model) -> Self {
        Self {
            id: row.id,
            created_at: row.created_at.with_timezone(&Utc),
            device_type: DeviceType::from_stored(&row.credential_device_type),
            backed_up: row.credential_backed_up,
            transports: row.transports.map(|list| list.0).unwrap_or_default(),
        }
    }
}

/// The user's passkeys, oldest first.
pub(super) async fn of_user(
    conn: &impl ConnectionTrait,
    user: Uuid,
) -> AppResult<Vec<authenticators::Model>> {
    Ok(authenticators::Entity::find()
        .filter(authenticators::Column::UserId.eq(user))
        .order_by_asc(authenticators::Column::CreatedAt)
        .order_by_asc(authenticators::Column::Id)
        .all(conn)
        .await?)
}

/// A row's passkey with the counter and backup state of its columns (the authoritative ones).
pub(super) fn passkey(row: &authenticators::Model) -> AppResult<Passkey> {
    let mut credential: Credential = serde_json::from_str::<Passkey>(&row.credential_public_key)
        .map_err(AppError::internal)?
        .into();
    credential.counter = u32::try_from(row.counter).unwrap_or(u32::MAX);
    credential.backup_state = row.credential_backed_up;
    Ok(credential.into())
}

/// Stores a newly registered passkey for `user`; a credential already registered (to anyone)
/// is a CONFLICT.
pub(super) async fn insert(
    conn: &impl ConnectionTrait,
    user: Uuid,
    passkey: &Passkey,
    now: DateTime<Utc>,
) -> AppResult<authenticators::Model> {
    let credential_id = encode_id(passkey.cred_id());
    let taken = authenticators::Entity::find()
        .filter(authenticators::Column::CredentialId.eq(credential_id.clone()))
        .one(conn)
        .await?
        .is_some();
    if taken {
        return Err(AppError::Conflict {
            reason: Some(Reason::PasskeyAlreadyRegistered),
            message: "this passkey is already registered".into(),
        });
    }
    let credential: Credential = passkey.clone().into();
    let id = Uuid::now_v7();
    authenticators::ActiveModel {
        id: Set(id),
        user_id: Set(user),
        credential_id: Set(credential_id),
        // The WebAuthn user handle given at registration is the user's id.
        provider_account_id: Set(user.to_string()),
        credential_public_key: Set(serde_json::to_string(passkey).map_err(AppError::internal)?),
        counter: Set(i64::from(credential.counter)),
        credential_device_type: Set(DeviceType::of(credential.backup_eligible)
            .as_str()
            .to_owned()),
        credential_backed_up: Set(credential.backup_state),
        created_at: Set(now.into()),
        // Written below: an array needs its backend's form.
        transports: sea_orm::NotSet,
    }
    .insert(conn)
    .await?;
    let transports: Vec<String> = credential
        .transports
        .iter()
        .flatten()
        .filter_map(|t| serde_json::to_value(t).ok()?.as_str().map(str::to_owned))
        .filter(|t| t != "unknown")
        .collect();
    if !transports.is_empty() {
        let list = entity::arrays::DbList(transports);
        authenticators::Entity::update_many()
            .col_expr(
                authenticators::Column::Transports,
                Expr::val(list.to_value(conn.get_database_backend())),
            )
            .filter(authenticators::Column::Id.eq(id))
            .exec(conn)
            .await?;
    }
    authenticators::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("passkey", id))
}

/// Records a verified sign-in with `row`: the counter must advance past the stored one (unless
/// the authenticator keeps none: both zero); it and the backup state are written in one
/// conditional update, so of two racing uses of one counter value only one succeeds.
/// `Ok(false)`: the counter did not advance (a replayed or cloned assertion).
pub(super) async fn record_use(
    conn: &impl ConnectionTrait,
    row: &authenticators::Model,
    result: &AuthenticationResult,
) -> AppResult<bool> {
    let mut passkey = passkey(row)?;
    passkey.update_credential(result);
    let credential: Credential = passkey.clone().into();
    let counter = i64::from(result.counter());
    let mut update = authenticators::Entity::update_many()
        .col_expr(authenticators::Column::Counter, Expr::value(counter))
        .col_expr(
            authenticators::Column::CredentialBackedUp,
            Expr::value(result.backup_state()),
        )
        .col_expr(
            authenticators::Column::CredentialDeviceType,
            Expr::value(DeviceType::of(credential.backup_eligible).as_str()),
        )
        .col_expr(
            authenticators::Column::CredentialPublicKey,
            Expr::value(serde_json::to_string(&passkey).map_err(AppError::internal)?),
        )
        .filter(authenticators::Column::Id.eq(row.id));
    if counter > 0 || row.counter > 0 {
        update = update.filter(authenticators::Column::Counter.lt(counter));
    }
    Ok(update.exec(conn).await?.rows_affected == 1)
}

/// The signed-in user's passkeys, oldest first.
pub async fn list(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<Vec<PasskeyInfo>> {
    let user = actor.require_user()?;
    Ok(of_user(db, user.0)
        .await?
        .into_iter()
        .map(PasskeyInfo::from)
        .collect())
}

/// Deletes one of the actor's passkeys (another user's is NOT_FOUND) and audits it.
pub async fn delete(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<PasskeyInfo> {
    let UserId(user) = actor.require_user()?;
    let txn = begin_write(db).await?;
    let row = authenticators::Entity::find_by_id(id)
        .filter(authenticators::Column::UserId.eq(user))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("passkey", id))?;
    authenticators::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(&txn, meta, now, audited("passkey_deleted", user, id)).await?;
    txn.commit().await?;
    Ok(row.into())
}

/// An audit entry about passkey `id` of `user`.
pub(super) fn audited(event: &'static str, user: Uuid, id: Uuid) -> AuditEntry {
    AuditEntry {
        resource_type: Some("passkey"),
        resource_id: Some(id),
        ..AuditEntry::success(event).user(user)
    }
}
