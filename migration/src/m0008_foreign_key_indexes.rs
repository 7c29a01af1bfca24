//! Project migration 0008: an index `<table>_<column>_idx` on each foreign key the spec leaves
//! without one (no index of the spec starts with that column).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, foreign key column), in spec order.
const BARE_FOREIGN_KEYS: &[(&str, &str)] = &[
    ("roles", "parent_role_id"),
    ("role_entitlements", "entitlement_id"),
    ("user_roles", "role_id"),
    ("user_roles", "granted_by"),
    ("audit_log", "session_id"),
    ("focus_pause_state", "user_id"),
    ("focus_libraries", "user_id"),
    ("focus_library_tracks", "library_id"),
    ("habits", "user_id"),
    ("habit_completions", "user_id"),
    ("goals", "user_id"),
    ("goal_milestones", "goal_id"),
    ("universal_quests", "created_by"),
    ("user_quests", "user_id"),
    ("user_quests", "source_quest_id"),
    ("user_quest_progress", "quest_id"),
    ("calendar_events", "parent_event_id"),
    ("plan_templates", "user_id"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for &(table, column) in BARE_FOREIGN_KEYS {
            m.create_index(
                Index::create()
                    .name(format!("{table}_{column}_idx"))
                    .table(table)
                    .col(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for &(table, column) in BARE_FOREIGN_KEYS.iter().rev() {
            m.drop_index(
                Index::drop()
                    .name(format!("{table}_{column}_idx"))
                    .table(table)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
