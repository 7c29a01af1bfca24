//! Project migration 0014: at most one active focus session per user, kept by the database
//! itself (`focus_sessions_one_active_per_user_idx`, a partial unique index on `user_id`
//! WHERE status = 'active'), so two concurrent starts cannot both succeed, on either backend.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "focus_sessions_one_active_per_user_idx";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name(NAME)
                .table("focus_sessions")
                .col("user_id")
                .unique()
                .and_where(Expr::col("status").eq("active"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name(NAME).table("focus_sessions").to_owned())
            .await
    }
}
