//! Ceremony state in `passkey_ceremonies`: stored when a ceremony begins, taken (deleted)
//! when it finishes. Deleting is the consumption: of two racing finishes, one deletes the row.
use chrono::{DateTime, Duration, Utc};
use entity::passkey_ceremonies;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::domain::{AppResult, Reason};

/// How long a begun ceremony may be finished (also the browser's timeout).
pub const CEREMONY_TTL: Duration = Duration::minutes(5);

/// What a ceremony is for; stored as `purpose`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Purpose {
    Registration,
    Authentication,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Registration => "registration",
            Self::Authentication => "authentication",
        }
    }
}

pub(super) async fn store(
    conn: &impl ConnectionTrait,
    purpose: Purpose,
    user: Option<Uuid>,
    state: serde_json::Value,
    now: DateTime<Utc>,
) -> AppResult<Uuid> {
    let ceremony = passkey_ceremonies::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user),
        purpose: Set(purpose.as_str().to_owned()),
        state: Set(state),
        expires_at: Set((now + CEREMONY_TTL).into()),
        created_at: Set(now.into()),
    }
    .insert(conn)
    .await?;
    Ok(ceremony.id)
}

/// Takes ceremony `id` for `purpose` (and, when given, `user`): a live one, or the reason
/// there is none. The row is deleted whatever is found, so a ceremony is finished at most once.
pub(super) async fn take(
    conn: &impl ConnectionTrait,
    id: Uuid,
    purpose: Purpose,
    user: Option<Uuid>,
    now: DateTime<Utc>,
) -> AppResult<Result<passkey_ceremonies::Model, Reason>> {
    let mut select = passkey_ceremonies::Entity::find_by_id(id)
        .filter(passkey_ceremonies::Column::Purpose.eq(purpose.as_str()));
    let mut delete = passkey_ceremonies::Entity::delete_many()
        .filter(passkey_ceremonies::Column::Id.eq(id))
        .filter(passkey_ceremonies::Column::Purpose.eq(purpose.as_str()));
    if let Some(user) = user {
        select = select.filter(passkey_ceremonies::Column::UserId.eq(user));
        delete = delete.filter(passkey_ceremonies::Column::UserId.eq(user));
    }
    let found = select.one(conn).await?;
    let consumed = delete.exec(conn).await?.rows_affected == 1;
    Ok(match found {
        Some(ceremony) if consumed && ceremony.expires_at.with_timezone(&Utc) > now => Ok(ceremony),
        Some(_) if consumed => Err(Reason::PasskeyCeremonyExpired),
        _ => Err(Reason::PasskeyCeremonyInvalid),
    })
}

/// Deletes ceremonies past their expiry (an abandoned one is useless at once).
pub async fn sweep(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> AppResult<u64> {
    Ok(passkey_ceremonies::Entity::delete_many()
        .filter(passkey_ceremonies::Column::ExpiresAt.lt(now))
        .exec(conn)
        .await?
        .rows_affected)
}
