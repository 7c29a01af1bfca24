//! Spec migration 0002 (RBAC): roles, entitlements, role_entitlements, user_roles, audit_log, activity_events.

use crate::kit::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: &[&str] = &[
    "roles",
    "entitlements",
    "role_entitlements",
    "user_roles",
    "audit_log",
    "activity_events",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        table(m, "roles")
            .id()
            .col(text("name").not_null().unique_key())
            .col(text("description"))
            .nullable_ref("parent_role_id", "roles")
            .created_at()
            .create()
            .await?;

        table(m, "entitlements")
            .id()
            .col(text("name").not_null().unique_key())
            .col(text("description"))
            .col(text("resource").not_null())
            .col(text("action").not_null())
            .created_at()
            .create()
            .await?;

        table(m, "role_entitlements")
            .cascade("role_id", "roles")
            .cascade("entitlement_id", "entitlements")
            .created_at()
            .primary_key(["role_id", "entitlement_id"])
            .create()
            .await?;

        table(m, "user_roles")
            .cascade("user_id", "users")
            .cascade("role_id", "roles")
            .nullable_ref("granted_by", "users")
            .now_default(timestamptz("granted_at").not_null())
            .col(timestamptz("expires_at"))
            .primary_key(["user_id", "role_id"])
            .create()
            .await?;

        table(m, "audit_log")
            .id()
            .nullable_ref("user_id", "users")
            .nullable_ref("session_id", "sessions")
            .col(text("event_type").not_null())
            .col(text("resource_type"))
            .col(uuid("resource_id"))
            .col(text("action"))
            .col(text("status").not_null())
            .col(jsonb("details"))
            .col(text("ip_address"))
            .col(text("user_agent"))
            .col(text("request_id"))
            .created_at()
            .index("audit_log_user_id_idx", ["user_id"])
            .index("audit_log_created_at_idx", [desc("created_at")])
            .index("audit_log_event_type_idx", ["event_type"])
            .create()
            .await?;

        table(m, "activity_events")
            .id()
            .cascade("user_id", "users")
            .col(text("event_type").not_null())
            .col(text("category"))
            .col(jsonb("metadata"))
            .col(integer("xp_earned").default(0))
            .col(integer("coins_earned").default(0))
            .created_at()
            .index("activity_events_user_id_idx", ["user_id"])
            .index("activity_events_created_at_idx", [desc("created_at")])
            .create()
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, TABLES).await
    }
}
