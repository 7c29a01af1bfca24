//! Project migration 0022: `quest_reward_history`, the rewards a catalog quest paid before
//! an edit, with the instant the edit replaced them. A holder's period pays the rewards in
//! force when it began, so an edit applies from each holder's next period.

use crate::kit::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        table(m, "quest_reward_history")
            .id()
            .cascade("quest_id", "universal_quests")
            .col(integer("xp_reward").not_null())
            .col(integer("coin_reward").not_null())
            .col(text("skill_key"))
            .col(timestamptz("replaced_at").not_null())
            .index(
                "quest_reward_history_quest_id_replaced_at_idx",
                ["quest_id", "replaced_at"],
            )
            .create()
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, &["quest_reward_history"]).await
    }
}
