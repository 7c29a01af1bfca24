//! Spec migration 0006 (quests): universal_quests, user_quests, user_quest_progress.

use crate::kit::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: &[&str] = &["universal_quests", "user_quests", "user_quest_progress"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        table(m, "universal_quests")
            .id()
            .col(text("title").not_null())
            .col(text("description"))
            .col(text("type").not_null())
            .col(integer("xp_reward").not_null().default(0))
            .col(integer("coin_reward").not_null().default(0))
            .col(integer("target").not_null().default(1))
            .col(text("target_type").not_null())
            .col(jsonb("target_config"))
            .col(text("skill_key"))
            .col(boolean("is_active").not_null().default(true))
            .nullable_ref("created_by", "users")
            .col(integer("sort_order").not_null().default(0))
            .created_at()
            .updated_at()
            .create()
            .await?;

        table(m, "user_quests")
            .id()
            .cascade("user_id", "users")
            .nullable_ref("source_quest_id", "universal_quests")
            .col(text("title").not_null())
            .col(text("description"))
            .col(text("category"))
            .col(text("difficulty").default("normal"))
            .col(integer("xp_reward").not_null().default(0))
            .col(integer("coin_reward").not_null().default(0))
            .col(text("status").not_null().default("active"))
            .col(integer("progress").not_null().default(0))
            .col(integer("target").not_null().default(1))
            .col(boolean("is_active").not_null().default(true))
            .col(boolean("is_repeatable").not_null().default(false))
            .col(text("repeat_frequency"))
            .now_default(timestamptz("accepted_at").not_null())
            .col(timestamptz("completed_at"))
            .col(timestamptz("claimed_at"))
            .col(timestamptz("expires_at"))
            .col(date("last_completed_date"))
            .col(integer("streak_count").not_null().default(0))
            .created_at()
            .updated_at()
            .create()
            .await?;

        table(m, "user_quest_progress")
            .id()
            .cascade("user_id", "users")
            .cascade("quest_id", "universal_quests")
            .col(text("status").not_null().default("active"))
            .col(integer("progress").not_null().default(0))
            .now_default(timestamptz("accepted_at").not_null())
            .col(timestamptz("completed_at"))
            .col(timestamptz("claimed_at"))
            .col(timestamptz("last_reset_at"))
            .col(integer("times_completed").not_null().default(0))
            .created_at()
            .updated_at()
            .unique_index(
                "user_quest_progress_user_quest_idx",
                ["user_id", "quest_id"],
            )
            .create()
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, TABLES).await
    }
}
