//! Sign-in sessions: opening one, rotating it on refresh (a replayed, rotated-away token
//! revokes the whole chain), recognising it on every request, listing and revoking.
//! A revoked session keeps its row with `expires_at` set to the moment it ended.
use chrono::{DateTime, Duration, Utc};
use entity::{sessions, users};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, Set, Statement, sea_query::Expr,
};
use serde_json::json;
use uuid::Uuid;

use super::{
    Identity,
    audit::{self, AuditEntry},
    tokens,
};
use crate::domain::{
    Actor, AppError, AppResult, Reason, RequestMeta, SessionId, UserId, db::begin_write,
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

async fn issue(
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

/// Trades a live session token for a new pair; the old session ends. A token that was
/// already rotated away is a stolen copy or a stale one: every session descended from it
/// is revoked and the reuse audited.
pub async fn refresh(
    db: &DatabaseConnection,
    identity: &Identity,
    session_token: &str,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<SignedIn> {
    identity.limiter.check_ip(meta.ip_address.as_deref())?;
    let digest = tokens::digest(session_token);
    let txn = begin_write(db).await?;
    let Some(session) = sessions::Entity::find()
        .filter(sessions::Column::Token.eq(digest))
        .one(&txn)
        .await?
    else {
        drop(txn);
        audit::record(db, meta, now, AuditEntry::failure("session_refresh_failed")).await?;
        return Err(session_ended());
    };
    // Rotate only if the session is still live at this instant (a conditional update,
    // so two racing refreshes cannot both succeed).
    let rotated = sessions::Entity::update_many()
        .col_expr(sessions::Column::ExpiresAt, Expr::value(now))
        .filter(sessions::Column::Id.eq(session.id))
        .filter(sessions::Column::ExpiresAt.gt(now))
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    if !rotated {
        let successors = sessions::Entity::find()
            .filter(sessions::Column::RotatedFrom.eq(session.id))
            .one(&txn)
            .await?;
        if successors.is_none() {
            drop(txn);
            let entry = AuditEntry::failure("session_refresh_failed")
                .user(session.user_id)
                .session(session.id);
            audit::record(db, meta, now, entry).await?;
            return Err(session_ended());
        }
        let revoked = revoke_descendants(&txn, session.id, now).await?;
        let entry = AuditEntry::failure("session_reuse_detected")
            .user(session.user_id)
            .session(session.id)
            .details(json!({ "revoked_sessions": revoked.len() }));
        audit::record(&txn, meta, now, entry).await?;
        txn.commit().await?;
        identity.revocations.publish(revoked);
        return Err(AppError::unauthenticated(
            Reason::SessionReuseDetected,
            "this session token was already used; every session of its chain is signed out",
        ));
    }
    let user = super::users::find(&txn, session.user_id).await?;
    let signed_in = issue(&txn, identity, user, Some(session.id), meta, now).await?;
    let entry = AuditEntry::success("session_refreshed")
        .user(signed_in.user.id)
        .session(signed_in.session_id)
        .details(json!({ "rotated_from": session.id }));
    audit::record(&txn, meta, now, entry).await?;
    txn.commit().await?;
    identity.revocations.publish([session.id]);
    Ok(signed_in)
}

/// Ends every still-live session rotated (directly or not) from `root`; returns their ids.
async fn revoke_descendants(
    conn: &impl ConnectionTrait,
    root: Uuid,
    now: DateTime<Utc>,
) -> AppResult<Vec<Uuid>> {
    let backend = conn.get_database_backend();
    let placeholder = match backend {
        DbBackend::Postgres => "$1",
        _ => "?",
    };
    let sql = format!(
        "WITH RECURSIVE chain(id) AS ( \
           SELECT id FROM sessions WHERE rotated_from = {placeholder} \
           UNION SELECT s.id FROM sessions s JOIN chain c ON s.rotated_from = c.id \
         ) SELECT id FROM chain"
    );
    let rows = conn
        .query_all_raw(Statement::from_sql_and_values(backend, sql, [root.into()]))
        .await?;
    let chain: Vec<Uuid> = rows
        .iter()
        .filter_map(|row| row.try_get_by_index::<Uuid>(0).ok())
        .collect();
    end_matching(conn, sessions::Column::Id.is_in(chain), now).await
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

async fn end_matching(
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
/// session must still be live, so a revoked session's tokens stop working at once.
pub async fn authenticate(
    db: &DatabaseConnection,
    identity: &Identity,
    access_token: &str,
    now: DateTime<Utc>,
) -> AppResult<Actor> {
    let (user_id, session_id) = identity.keys.verify(access_token, now)?;
    let live = sessions::Entity::find_by_id(session_id.0)
        .filter(sessions::Column::UserId.eq(user_id.0))
        .filter(sessions::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
        .is_some();
    if !live {
        return Err(session_ended());
    }
    identity.activity.touch(db, user_id, session_id, now).await;
    Ok(Actor::user(user_id, session_id))
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
    db: &DatabaseConnection,
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

fn session_ended() -> AppError {
    AppError::unauthenticated(Reason::SessionEnded, "the session has ended; sign in again")
}
