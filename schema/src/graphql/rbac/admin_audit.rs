//! The security audit log as admins read it: `auditLog`, filtered, newest first.
use async_graphql::{Context, InputObject, Object};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::AuditEntry;
use crate::domain::rbac::admin_audit::{self, AuditFilter};
use crate::graphql::{
    connection::{AppConnection, listing, page_request},
    context::ContextExt,
};

#[derive(InputObject, Default)]
pub struct AuditLogFilterInput {
    user_id: Option<Uuid>,
    event_type: Option<String>,
    /// Inclusive.
    from: Option<DateTime<Utc>>,
    /// Exclusive.
    to: Option<DateTime<Utc>>,
}

#[derive(Default)]
pub struct AdminAuditQuery;

#[Object]
impl AdminAuditQuery {
    /// The security audit log, newest first (needs `audit_log:read`).
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        filter: Option<AuditLogFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<AppConnection<AuditEntry>> {
        let request = page_request(ctx, first, after.as_deref(), last, before.as_deref())?;
        let filter = filter.unwrap_or_default();
        let filter = AuditFilter {
            user_id: filter.user_id,
            event_type: filter.event_type,
            from: filter.from,
            to: filter.to,
        };
        let db = ctx.reader()?;
        let found = admin_audit::list(db, ctx.actor()?, filter, request, ctx.now()?).await?;
        Ok(listing(db, found, AuditEntry::from))
    }
}
