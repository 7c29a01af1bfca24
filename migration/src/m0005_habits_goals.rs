//! Spec migration 0005 (habits & goals): habits, habit_completions, goals, goal_milestones.

use crate::kit::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: &[&str] = &["habits", "habit_completions", "goals", "goal_milestones"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        table(m, "habits")
            .id()
            .cascade("user_id", "users")
            .col(text("name").not_null())
            .col(text("description"))
            .col(text("frequency").not_null().default("daily"))
            .col(integer("target_count").not_null().default(1))
            .integer_array("custom_days")
            .col(text("icon"))
            .col(text("color"))
            .col(boolean("is_active").not_null().default(true))
            .col(integer("current_streak").not_null().default(0))
            .col(integer("longest_streak").not_null().default(0))
            .col(timestamptz("last_completed_at"))
            .col(integer("sort_order").not_null().default(0))
            .created_at()
            .updated_at()
            .create()
            .await?;

        table(m, "habit_completions")
            .id()
            .cascade("habit_id", "habits")
            .cascade("user_id", "users")
            .now_default(timestamptz("completed_at").not_null())
            .col(date("completed_date").not_null())
            .col(text("notes"))
            .index(
                "habit_completions_habit_date_idx",
                ["habit_id", "completed_date"],
            )
            .create()
            .await?;

        table(m, "goals")
            .id()
            .cascade("user_id", "users")
            .col(text("title").not_null())
            .col(text("description"))
            .col(text("category"))
            .col(date("target_date"))
            .col(timestamptz("started_at"))
            .col(timestamptz("completed_at"))
            .col(text("status").not_null().default("active"))
            .col(integer("progress").not_null().default(0))
            .col(integer("priority").not_null().default(0))
            .col(integer("sort_order").not_null().default(0))
            .created_at()
            .updated_at()
            .create()
            .await?;

        table(m, "goal_milestones")
            .id()
            .cascade("goal_id", "goals")
            .col(text("title").not_null())
            .col(text("description"))
            .col(boolean("is_completed").not_null().default(false))
            .col(timestamptz("completed_at"))
            .col(integer("sort_order").not_null().default(0))
            .create()
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, TABLES).await
    }
}
