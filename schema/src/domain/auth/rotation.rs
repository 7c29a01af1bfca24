//! Session rotation: a refresh trades a live session token for a new pair (a new row with
//! `rotated_from` = the old one, which ends); presenting a token already rotated away is
//! theft or staleness, so every session descended from it is revoked and the reuse audited.
use chrono::{DateTime, Utc};
use entity::sessions;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    Statement, sea_query::Expr,
};
use serde_json::json;
use uuid::Uuid;

use super::{
    Identity,
    audit::{self, AuditEntry},
    tokens,
};
use crate::domain::{AppError, AppResult, Reason, RequestMeta, db::begin_write};

use super::sessions::{SignedIn, end_matching, issue, session_ended};

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
