//! Housekeeping for identity tables: what has expired long enough ago is deleted (sessions
//! after a retention; links, OAuth states and passkey ceremonies at once).
//! Idempotent, so every instance may run it.
use chrono::{DateTime, Utc};
use entity::{oauth_states, verification_tokens};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::{Identity, passkeys, sessions};
use crate::domain::AppResult;

/// What one sweep deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    pub sessions: u64,
    pub sign_in_links: u64,
    pub oauth_states: u64,
    pub passkey_ceremonies: u64,
}

pub async fn sweep(
    db: &DatabaseConnection,
    identity: &Identity,
    now: DateTime<Utc>,
) -> AppResult<Swept> {
    let retention = identity.settings.retention;
    let swept = Swept {
        sessions: sessions::sweep(db, retention, now).await?,
        // An expired link or OAuth state is useless at once: nothing to keep.
        sign_in_links: verification_tokens::Entity::delete_many()
            .filter(verification_tokens::Column::Expires.lt(now))
            .exec(db)
            .await?
            .rows_affected,
        oauth_states: oauth_states::Entity::delete_many()
            .filter(oauth_states::Column::ExpiresAt.lt(now))
            .exec(db)
            .await?
            .rows_affected,
        passkey_ceremonies: passkeys::sweep(db, now).await?,
    };
    identity.limiter.forget_idle();
    Ok(swept)
}
