//! Spec migration 0003 (gamification): skills, achievements, progress, wallet, points ledger, streaks.
//!
//! `skill_key` and `achievement_key` refer to the definitions' `key` by convention only:
//! the spec gives them no constraint, so they get no foreign key.

use crate::kit::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: &[&str] = &[
    "skill_definitions",
    "user_skills",
    "achievement_definitions",
    "user_achievements",
    "user_progress",
    "user_wallet",
    "points_ledger",
    "user_streaks",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        table(m, "skill_definitions")
            .id()
            .col(text("key").not_null().unique_key())
            .col(text("name").not_null())
            .col(text("description"))
            .col(text("category").not_null())
            .col(text("icon"))
            .col(integer("max_level").not_null().default(100))
            .col(integer("stars_per_level").not_null().default(10))
            .col(integer("sort_order").not_null().default(0))
            .created_at()
            .create()
            .await?;

        table(m, "user_skills")
            .id()
            .cascade("user_id", "users")
            .col(text("skill_key").not_null())
            .col(integer("current_stars").not_null().default(0))
            .col(integer("current_level").not_null().default(1))
            .col(integer("total_stars").not_null().default(0))
            .created_at()
            .updated_at()
            .unique_index("user_skills_user_skill_idx", ["user_id", "skill_key"])
            .create()
            .await?;

        table(m, "achievement_definitions")
            .id()
            .col(text("key").not_null().unique_key())
            .col(text("name").not_null())
            .col(text("description"))
            .col(text("category").not_null())
            .col(text("icon"))
            .col(text("trigger_type").not_null())
            .col(jsonb("trigger_config").not_null())
            .col(integer("reward_coins").not_null().default(0))
            .col(integer("reward_xp").not_null().default(0))
            .col(boolean("is_hidden").not_null().default(false))
            .col(integer("sort_order").not_null().default(0))
            .created_at()
            .create()
            .await?;

        table(m, "user_achievements")
            .id()
            .cascade("user_id", "users")
            .col(text("achievement_key").not_null())
            .now_default(timestamptz("earned_at").not_null())
            .col(boolean("notified").not_null().default(false))
            .unique_index(
                "user_achievements_user_key_idx",
                ["user_id", "achievement_key"],
            )
            .create()
            .await?;

        table(m, "user_progress")
            .id()
            .cascade("user_id", "users")
            .unique("user_id")
            .col(integer("total_xp").not_null().default(0))
            .col(integer("current_level").not_null().default(1))
            .col(integer("xp_to_next_level").not_null().default(100))
            .col(integer("total_skill_stars").not_null().default(0))
            .created_at()
            .updated_at()
            .create()
            .await?;

        table(m, "user_wallet")
            .id()
            .cascade("user_id", "users")
            .unique("user_id")
            .col(integer("coins").not_null().default(0))
            .col(integer("total_earned").not_null().default(0))
            .col(integer("total_spent").not_null().default(0))
            .created_at()
            .updated_at()
            .create()
            .await?;

        table(m, "points_ledger")
            .id()
            .cascade("user_id", "users")
            .col(text("event_type").not_null())
            .col(uuid("event_id"))
            .col(integer("coins").not_null().default(0))
            .col(integer("xp").not_null().default(0))
            .col(integer("skill_stars").default(0))
            .col(text("skill_key"))
            .col(text("reason"))
            .col(text("idempotency_key"))
            .created_at()
            .index("points_ledger_user_id_idx", ["user_id"])
            .unique_index(
                "points_ledger_idempotency_idx",
                ["user_id", "idempotency_key"],
            )
            .partial(Expr::col("idempotency_key").is_not_null())
            .create()
            .await?;

        table(m, "user_streaks")
            .id()
            .cascade("user_id", "users")
            .col(text("streak_type").not_null())
            .col(integer("current_streak").not_null().default(0))
            .col(integer("longest_streak").not_null().default(0))
            .col(date("last_activity_date"))
            .created_at()
            .updated_at()
            .unique_index("user_streaks_user_type_idx", ["user_id", "streak_type"])
            .create()
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, TABLES).await
    }
}
