//! Spec migration 0007 (planning): calendar_events, daily_plans, plan_templates.

use crate::kit::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: &[&str] = &["calendar_events", "daily_plans", "plan_templates"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        table(m, "calendar_events")
            .id()
            .cascade("user_id", "users")
            .col(text("title").not_null())
            .col(text("description"))
            .col(text("event_type").not_null().default("event"))
            .col(timestamptz("start_time").not_null())
            .col(timestamptz("end_time"))
            .col(boolean("all_day").not_null().default(false))
            .col(text("timezone").default("UTC"))
            .col(text("location"))
            .col(uuid("workout_id"))
            .col(uuid("habit_id"))
            .col(uuid("goal_id"))
            .col(text("recurrence_rule"))
            .col(date("recurrence_end"))
            .nullable_ref("parent_event_id", "calendar_events")
            .col(text("color"))
            .col(integer("reminder_minutes"))
            .col(jsonb("metadata"))
            .created_at()
            .updated_at()
            .index("calendar_events_user_time_idx", ["user_id", "start_time"])
            .create()
            .await?;

        table(m, "daily_plans")
            .id()
            .cascade("user_id", "users")
            .col(date("date").not_null())
            .col(jsonb("items").not_null().default("[]"))
            .col(text("notes"))
            .created_at()
            .updated_at()
            .unique_index("daily_plans_user_date_idx", ["user_id", "date"])
            .create()
            .await?;

        table(m, "plan_templates")
            .id()
            .cascade("user_id", "users")
            .col(text("name").not_null())
            .col(text("description"))
            .col(jsonb("items").not_null().default("[]"))
            .col(boolean("is_public").not_null().default(false))
            .col(text("category"))
            .col(integer("use_count").not_null().default(0))
            .created_at()
            .updated_at()
            .create()
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, TABLES).await
    }
}
