//! Sign-in sessions: opening one, recognising it on every request, listing and revoking
//! (rotating it on refresh is `rotation`).
//! A revoked session keeps its row with `expires_at` set to the moment it ended.
use chrono::{DateTime, Duration, Utc};
use entity::{sessions, users};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Set, sea_query::Expr,
};
use serde_json::json;
use uuid::Uuid;

use super::{
    Identity,
    audit::{self, AuditEntry},
    preferences::{self, Preferences},
    tokens,
};
use crate::domain::{
    Actor, AppError, AppResult, Reason, RequestMeta, SessionId, UserId, actor::ReadAtSignIn,
    db::begin_write,
};

/// What a client holds after signing in or refreshing.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: users::Model,
    pub session_id: Uuid,
    pub access_token: String,
    pub access_token_expires_at: DateTime<Utc>,
    pub session_token: String,
    pub session_expires_at: DateTime<Utc>,
}

/// How a user proved who they are, as audit entries name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    MagicLink,
    OAuth,
    Passkey,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MagicLink => "magic_link",
            Self::OAuth => "oauth",
            Self::Passkey => "passkey",
        }
    }
}

/// Opens a session for `user` inside the caller's transaction and audits the sign-in.
pub async fn open(
    conn: &impl ConnectionTrait,
    identity: &Identity,
    user: users::Model,
    method: Method,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<SignedIn> {
    crate::domain::rbac::grants::bootstrap_admin(conn, identity, &user, meta, now).await?;
    let signed_in = issue(conn, identity, user, None, meta, now).await?;
    let entry = AuditEntry::success("sign_in")
        .user(signed_in.user.id)
        .session(signed_in.session_id)
        .details(json!({ "method": method.as_str() }));
    audit::record(conn, meta, now, entry).await?;
    Ok(signed_in)
}

pub(super) async fn issue(
    conn: &impl ConnectionTrait,
    identity: &Identity,
    user: users::Model,
    rotated_from: Option<Uuid>,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<SignedIn> {
    let session_token = tokens::generate();
    let session_expires_at = now + identity.settings.session_ttl;
    let session = sessions::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.id),
        token: Set(tokens::digest(&session_token)),
        expires_at: Set(session_expires_at.into()),
        created_at: Set(now.into()),
        last_activity_at: Set(Some(now.into())),
        user_agent: Set(meta.user_agent.clone()),
        ip_address: Set(meta.ip_address.clone()),
        rotated_from: Set(rotated_from),
    }
    .insert(conn)
    .await?;
    let (access_token, access_token_expires_at) =
        identity
            .keys
            .issue(UserId(user.id), SessionId(session.id), now)?;
    Ok(SignedIn {
        user,
        session_id: session.id,
        access_token,
        access_token_expires_at,
        session_token,
        session_expires_at,
    })
}

/// Ends every live session of `user` (a privilege change signs them out everywhere);
/// returns their ids to announce after commit.
pub async fn end_all(
    conn: &impl ConnectionTrait,
    user: Uuid,
    now: DateTime<Utc>,
) -> AppResult<Vec<Uuid>> {
    end_matching(conn, sessions::Column::UserId.eq(user), now).await
}

pub(super) async fn end_matching(
    conn: &impl ConnectionTrait,
    which: sea_orm::sea_query::SimpleExpr,
    now: DateTime<Utc>,
) -> AppResult<Vec<Uuid>> {
    let live: Vec<Uuid> = sessions::Entity::find()
        .filter(which)
        .filter(sessions::Column::ExpiresAt.gt(now))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    sessions::Entity::update_many()
        .col_expr(sessions::Column::ExpiresAt, Expr::value(now))
        .filter(sessions::Column::Id.is_in(live.iter().copied()))
        .exec(conn)
        .await?;
    Ok(live)
}

/// Resolves a bearer token to its actor: the signature and expiry must hold and the
/// session must still be live, so a revoked session's tokens stop working at once. What
/// the check reads comes from the sign-in cache when it holds it (`sign_in_cache`).
pub async fn authenticate(
    db: &DatabaseConnection,
    identity: &Identity,
    access_token: &str,
    now: DateTime<Utc>,
) -> AppResult<Actor> {
    let (user_id, session_id) = identity.keys.verify(access_token, now)?;
    let (row, preferences) = match identity.sign_ins.get(user_id, session_id, now) {
        Some(remembered) => remembered,
        None => {
            let ticket = identity.sign_ins.ticket();
            let Some(live) = live_session(db, user_id, session_id, now).await? else {
                return Err(session_ended());
            };
            identity.sign_ins.remember(
                ticket,
                session_id,
                &live.user,
                live.preferences,
                live.session_expires_at,
            );
            (live.user, live.preferences)
        }
    };
    let mut signed_in = ReadAtSignIn::new(row, preferences);
    if identity.activity.touch(db, user_id, session_id, now).await {
        signed_in.row.last_activity_at = Some(now.into());
        identity.sign_ins.touched(user_id, now);
    }
    Ok(Actor::signed_in(signed_in, session_id))
}

/// A live session's user, their day settings and when the session ends.
struct LiveSession {
    user: users::Model,
    preferences: Preferences,
    session_expires_at: DateTime<Utc>,
}

/// The user of a live session with their day settings, in one statement: the user's row
/// joined with the session, each setting a subquery beside it.
async fn live_session(
    db: &DatabaseConnection,
    user: UserId,
    session: SessionId,
    now: DateTime<Utc>,
) -> AppResult<Option<LiveSession>> {
    #[derive(Debug, FromQueryResult)]
    struct Row {
        #[sea_orm(nested)]
        user: users::Model,
        session_expires_at: sea_orm::prelude::DateTimeWithTimeZone,
        time_zone: Option<serde_json::Value>,
        day_start_hour: Option<serde_json::Value>,
    }
    let setting = |key| {
        Expr::SubQuery(
            None,
            Box::new(Preferences::setting_subquery(key, (users::Entity, users::Column::Id)).into()),
        )
    };
    let [time_zone, day_start_hour] = preferences::KEYS;
    let row = users::Entity::find()
        .inner_join(sessions::Entity)
        .filter(sessions::Column::Id.eq(session.0))
        .filter(sessions::Column::UserId.eq(user.0))
        .filter(sessions::Column::ExpiresAt.gt(now))
        .column_as(sessions::Column::ExpiresAt, "session_expires_at")
        .column_as(setting(time_zone), "time_zone")
        .column_as(setting(day_start_hour), "day_start_hour")
        .into_model::<Row>()
        .one(db)
        .await?;
    Ok(row.map(|row| LiveSession {
        preferences: Preferences::stored(row.time_zone.as_ref(), row.day_start_hour.as_ref()),
        session_expires_at: row.session_expires_at.with_timezone(&Utc),
        user: row.user,
    }))
}

/// Whether `session` is still live (for open WebSockets re-checking theirs).
pub async fn is_live(
    db: &DatabaseConnection,
    session: Uuid,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    Ok(sessions::Entity::find_by_id(session)
        .filter(sessions::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
        .is_some())
}

/// How often an open connection re-checks that its session still holds, catching
/// revocations made on other instances.
const LIVENESS_CHECK: std::time::Duration = std::time::Duration::from_secs(30);

/// Resolves once `session` ends: announced on this instance at once, or found ended by a
/// periodic check. Open WebSockets close when it resolves.
pub async fn ended(
    db: DatabaseConnection,
    identity: std::sync::Arc<Identity>,
    clock: crate::domain::clock::SharedClock,
    session: Uuid,
) {
    let announced = identity.revocations.revoked(session);
    let checked = async {
        loop {
            tokio::time::sleep(LIVENESS_CHECK).await;
            // A failed check is no proof of revocation: keep the socket, ask again later.
            if let Ok(false) = is_live(&db, session, clock.now()).await {
                return;
            }
        }
    };
    tokio::select! {
        () = announced => {}
        () = checked => {}
    }
}

/// The signed-in user's live sessions, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    now: DateTime<Utc>,
) -> AppResult<Vec<sessions::Model>> {
    let user = actor.require_user()?;
    Ok(sessions::Entity::find()
        .filter(sessions::Column::UserId.eq(user.0))
        .filter(sessions::Column::ExpiresAt.gt(now))
        .order_by_desc(sessions::Column::CreatedAt)
        .all(db)
        .await?)
}

/// Ends the actor's current session.
pub async fn sign_out(
    db: &DatabaseConnection,
    identity: &Identity,
    actor: &Actor,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let (user_id, session_id) = actor.require_session()?;
    end(db, identity, user_id, session_id.0, "sign_out", meta, now).await?;
    Ok(())
}

/// Ends one of the actor's sessions (another user's is NOT_FOUND).
pub async fn revoke(
    db: &DatabaseConnection,
    identity: &Identity,
    actor: &Actor,
    session: Uuid,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<sessions::Model> {
    let user = actor.require_user()?;
    end(db, identity, user, session, "session_revoked", meta, now).await
}

async fn end(
    db: &DatabaseConnection,
    identity: &Identity,
    user: UserId,
    session: Uuid,
    event: &'static str,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<sessions::Model> {
    let txn = begin_write(db).await?;
    let found = sessions::Entity::find_by_id(session)
        .filter(sessions::Column::UserId.eq(user.0))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("session", session))?;
    let ended = if found.expires_at.with_timezone(&Utc) > now {
        let mut ended: sessions::ActiveModel = found.into();
        ended.expires_at = Set(now.into());
        ended.update(&txn).await?
    } else {
        found
    };
    let entry = AuditEntry::success(event).user(user.0).session(session);
    audit::record(&txn, meta, now, entry).await?;
    txn.commit().await?;
    identity.revocations.publish([session]);
    Ok(ended)
}

/// Deletes sessions that ended more than `retention` ago, after detaching their audit
/// entries (that foreign key has no ON DELETE action). Safe to run on every instance.
pub async fn sweep(
    db: &DatabaseConnection,
    retention: Duration,
    now: DateTime<Utc>,
) -> AppResult<u64> {
    let cutoff = now - retention;
    let txn = begin_write(db).await?;
    let stale = sessions::Entity::find()
        .filter(sessions::Column::ExpiresAt.lt(cutoff))
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect::<Vec<_>>();
    if stale.is_empty() {
        return Ok(0);
    }
    entity::audit_log::Entity::update_many()
        .col_expr(
            entity::audit_log::Column::SessionId,
            Expr::value(Option::<Uuid>::None),
        )
        .filter(entity::audit_log::Column::SessionId.is_in(stale.iter().copied()))
        .exec(&txn)
        .await?;
    // A newer session naming a deleted one in `rotated_from` keeps the id as history.
    let deleted = sessions::Entity::delete_many()
        .filter(sessions::Column::Id.is_in(stale))
        .exec(&txn)
        .await?
        .rows_affected;
    txn.commit().await?;
    Ok(deleted)
}

pub(super) fn session_ended() -> AppError {
    AppError::unauthenticated(Reason::SessionEnded, "the session has ended; sign in again")
}
