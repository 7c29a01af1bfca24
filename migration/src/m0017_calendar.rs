//! Project migration 0017: `calendar_feeds`, the private ICS feed of each user. The feed's
//! secret token is kept only as its SHA-256 hash (hex); `user_id` is unique, so a user has
//! at most one live feed: creating a new one replaces the row, revoking deletes it.
//! (An edited occurrence's original start lives in `calendar_events.metadata`, so the spec's
//! table needs no change.)

use crate::kit::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        table(m, "calendar_feeds")
            .id()
            .cascade("user_id", "users")
            .col(text("token_hash").not_null())
            .created_at()
            .unique_index("calendar_feeds_user_id_idx", ["user_id"])
            .unique_index("calendar_feeds_token_hash_idx", ["token_hash"])
            .create()
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, &["calendar_feeds"]).await
    }
}
