//! Project migration 0018: `reward_events`, SQLite's outbox of live reward events (level up,
//! achievement earned, quest completed, quest claimed). An event is written in the reward's
//! own transaction, so it exists only if the reward committed; the instance delivers and
//! deletes it after the request. On PostgreSQL the same events travel as `NOTIFY
//! reward_events` (delivered at commit) and this table stays empty.

use crate::kit::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        table(m, "reward_events")
            .id()
            .cascade("user_id", "users")
            .col(text("payload").not_null())
            .created_at()
            .index("reward_events_user_id_idx", ["user_id"])
            .create()
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, &["reward_events"]).await
    }
}
