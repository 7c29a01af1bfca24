//! The private ICS feed: a secret URL whose token is stored only as its SHA-256 digest
//! (`calendar_feeds`, one live feed per user). Creating a feed replaces the old one (whose
//! URL stops at once); revoking ends it. Serving answers `None` alike for a token never
//! issued and one revoked, so a caller cannot tell the two apart.
use chrono::{DateTime, TimeDelta, Utc};
use entity::{calendar_events, calendar_feeds, focus_sessions};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{
    ics,
    store::{exceptions_of, member},
};
use crate::domain::{
    Actor, AppResult,
    auth::{AuthSettings, tokens},
    db::begin_write,
};

/// How far back completed focus sessions appear in the feed.
pub const FOCUS_DAYS: i64 = 90;

/// The feed's URL for a token.
pub fn url(settings: &AuthSettings, token: &str) -> String {
    format!("{}/calendar/{token}.ics", settings.public_url)
}

/// A new feed for the caller, replacing any other: its secret URL, shown this once.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    now: DateTime<Utc>,
) -> AppResult<String> {
    let (user, _) = member(db, actor, settings).await?;
    let token = tokens::generate();
    let txn = begin_write(db).await?;
    calendar_feeds::Entity::delete_many()
        .filter(calendar_feeds::Column::UserId.eq(user.0))
        .exec(&txn)
        .await?;
    calendar_feeds::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.0),
        token_hash: Set(tokens::digest(&token)),
        created_at: Set(now.into()),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(url(settings, &token))
}

/// Ends the caller's feed; false when there was none.
pub async fn revoke(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
) -> AppResult<bool> {
    let (user, _) = member(db, actor, settings).await?;
    let done = calendar_feeds::Entity::delete_many()
        .filter(calendar_feeds::Column::UserId.eq(user.0))
        .exec(db)
        .await?;
    Ok(done.rows_affected > 0)
}

/// Whether the caller has a live feed.
pub async fn exists(
    db: &impl ConnectionTrait,
    actor: &Actor,
    settings: &AuthSettings,
) -> AppResult<bool> {
    let (user, _) = member(db, actor, settings).await?;
    Ok(calendar_feeds::Entity::find()
        .filter(calendar_feeds::Column::UserId.eq(user.0))
        .one(db)
        .await?
        .is_some())
}

/// A served feed: its text and its entity tag (a digest of the text).
#[derive(Debug, Clone)]
pub struct Feed {
    pub body: String,
    pub etag: String,
}

/// The feed behind `token`, or `None` for a token that is not (or no longer) live.
pub async fn render(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<Feed>> {
    let Some(feed) = calendar_feeds::Entity::find()
        .filter(calendar_feeds::Column::TokenHash.eq(tokens::digest(token)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let events = calendar_events::Entity::find()
        .filter(calendar_events::Column::UserId.eq(feed.user_id))
        .filter(calendar_events::Column::ParentEventId.is_null())
        .order_by_asc(calendar_events::Column::StartTime)
        .order_by_asc(calendar_events::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<_> = events.iter().map(|e| e.id).collect();
    let exceptions = exceptions_of(db, &ids).await?;
    let focus = focus_sessions::Entity::find()
        .filter(focus_sessions::Column::UserId.eq(feed.user_id))
        .filter(focus_sessions::Column::Status.eq("completed"))
        .filter(focus_sessions::Column::StartedAt.gte(now - TimeDelta::days(FOCUS_DAYS)))
        .order_by_asc(focus_sessions::Column::StartedAt)
        .all(db)
        .await?;
    let body = ics::build(
        &ics::FeedData {
            events,
            exceptions,
            focus,
        },
        now,
    );
    let etag = format!("\"{}\"", hex::encode(Sha256::digest(body.as_bytes())));
    Ok(Some(Feed { body, etag }))
}
