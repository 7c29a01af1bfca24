//! The audit log as admins read it: filtered, newest first, a page at a time.
use chrono::{DateTime, Utc};
use entity::audit_log;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{Entitlement, access};
use crate::domain::{
    Actor, AppResult,
    pagination::{self, Keyset, Listing, PageRequest},
};

/// Which entries to list; every field narrows. `from` is inclusive, `to` exclusive.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub user_id: Option<Uuid>,
    pub event_type: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: AuditFilter,
    request: PageRequest,
    now: DateTime<Utc>,
) -> AppResult<Listing<audit_log::Entity>> {
    access::require(db, actor, Entitlement::AUDIT_LOG_READ, now).await?;
    let mut select = audit_log::Entity::find();
    if let Some(user) = filter.user_id {
        select = select.filter(audit_log::Column::UserId.eq(user));
    }
    if let Some(event_type) = filter.event_type {
        select = select.filter(audit_log::Column::EventType.eq(event_type));
    }
    if let Some(from) = filter.from {
        select = select.filter(audit_log::Column::CreatedAt.gte(from));
    }
    if let Some(to) = filter.to {
        select = select.filter(audit_log::Column::CreatedAt.lt(to));
    }
    let keyset = Keyset::newest_first(audit_log::Column::CreatedAt, audit_log::Column::Id);
    pagination::paginate(db, select, keyset, request).await
}
