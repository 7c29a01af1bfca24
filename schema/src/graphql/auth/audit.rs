//! `viewer.securityLog`: the user's own audit trail, so they can spot a sign-in that was
//! not theirs.
use async_graphql::{Context, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::auth::audit;
use crate::graphql::{
    connection::{AppConnection, listing, page_request},
    context::ContextExt,
};

/// One security-relevant event on the user's account.
#[derive(SimpleObject)]
pub struct SecurityEvent {
    id: Uuid,
    /// e.g. `sign_in`, `sign_in_failed`, `session_refreshed`, `session_reuse_detected`,
    /// `sign_out`, `session_revoked`.
    event_type: String,
    /// `success` or `failure`.
    status: String,
    session_id: Option<Uuid>,
    ip_address: Option<String>,
    user_agent: Option<String>,
    details: Option<Json<serde_json::Value>>,
    created_at: DateTime<Utc>,
}

impl From<entity::audit_log::Model> for SecurityEvent {
    fn from(row: entity::audit_log::Model) -> Self {
        Self {
            id: row.id,
            event_type: row.event_type,
            status: row.status,
            session_id: row.session_id,
            ip_address: row.ip_address,
            user_agent: row.user_agent,
            details: row.details.map(Json),
            created_at: row.created_at.with_timezone(&Utc),
        }
    }
}

/// `viewer.securityLog`.
pub struct ViewerSecurityLog;

#[Object]
impl ViewerSecurityLog {
    /// Your account's security events, newest first.
    async fn security_log(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<AppConnection<SecurityEvent>> {
        let request = page_request(ctx, first, after.as_deref(), last, before.as_deref())?;
        let db = ctx.reader()?;
        let found = audit::own_events(db, ctx.actor()?, request).await?;
        Ok(listing(db, found, SecurityEvent::from))
    }
}
