//! Project migration 0009: `user_settings`, one JSON value per user and key (time zone, day start, …).

use crate::kit::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        table(m, "user_settings")
            .id()
            .cascade("user_id", "users")
            .col(text("key").not_null())
            .col(jsonb("value").not_null())
            .created_at()
            .updated_at()
            .unique_index("user_settings_user_key_idx", ["user_id", "key"])
            .create()
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, &["user_settings"]).await
    }
}
