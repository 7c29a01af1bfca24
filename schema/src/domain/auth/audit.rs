//! The security audit trail: one `audit_log` row per sign-in, failure, refresh, reuse,
//! sign-out, revocation and admin action, with the request it came from.
use chrono::{DateTime, Utc};
use entity::audit_log;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use uuid::Uuid;

use crate::domain::{AppResult, RequestMeta};

/// One event to record. `event_type` values are stable: clients and auditors filter on them.
#[derive(Debug, Clone, Default)]
pub struct AuditEntry {
    pub event_type: &'static str,
    pub succeeded: bool,
    pub user_id: Option<Uuid>,
    pub session_id: Option<Uuid>,
    pub resource_type: Option<&'static str>,
    pub resource_id: Option<Uuid>,
    pub action: Option<&'static str>,
    pub details: Option<serde_json::Value>,
}

impl AuditEntry {
    pub fn success(event_type: &'static str) -> Self {
        Self {
            event_type,
            succeeded: true,
            ..Self::default()
        }
    }

    pub fn failure(event_type: &'static str) -> Self {
        Self {
            event_type,
            succeeded: false,
            ..Self::default()
        }
    }

    pub fn user(mut self, user_id: Uuid) -> Self {
        self.user_id = Some(user_id);
        self
    }

    pub fn session(mut self, session_id: Uuid) -> Self {
        self.session_id = Some(session_id);
        self
    }

    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }
}

pub async fn record(
    conn: &impl ConnectionTrait,
    meta: &RequestMeta,
    now: DateTime<Utc>,
    entry: AuditEntry,
) -> AppResult<()> {
    audit_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(entry.user_id),
        session_id: Set(entry.session_id),
        event_type: Set(entry.event_type.to_owned()),
        resource_type: Set(entry.resource_type.map(str::to_owned)),
        resource_id: Set(entry.resource_id),
        action: Set(entry.action.map(str::to_owned)),
        status: Set(if entry.succeeded {
            "success"
        } else {
            "failure"
        }
        .to_owned()),
        details: Set(entry.details),
        ip_address: Set(meta.ip_address.clone()),
        user_agent: Set(meta.user_agent.clone()),
        request_id: Set(meta.request_id.clone()),
        created_at: Set(now.into()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The signed-in user's own security events (sign-ins, refreshes, revocations…), newest
/// first, one page at a time.
pub async fn own_events(
    db: &impl sea_orm::ConnectionTrait,
    actor: &crate::domain::Actor,
    request: crate::domain::pagination::PageRequest,
) -> AppResult<crate::domain::pagination::Listing<audit_log::Entity>> {
    use crate::domain::pagination::{self, Keyset};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let user = actor.require_user()?;
    let select = audit_log::Entity::find().filter(audit_log::Column::UserId.eq(user.0));
    let keyset = Keyset::newest_first(audit_log::Column::CreatedAt, audit_log::Column::Id);
    pagination::paginate(db, select, keyset, request).await
}
