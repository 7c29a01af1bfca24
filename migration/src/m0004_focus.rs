//! Spec migration 0004 (focus): focus_sessions, focus_pause_state, focus_libraries, focus_library_tracks.

use crate::kit::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: &[&str] = &[
    "focus_sessions",
    "focus_pause_state",
    "focus_libraries",
    "focus_library_tracks",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        table(m, "focus_sessions")
            .id()
            .cascade("user_id", "users")
            .col(text("mode").not_null())
            .col(integer("duration_seconds").not_null())
            .now_default(timestamptz("started_at").not_null())
            .col(timestamptz("completed_at"))
            .col(timestamptz("abandoned_at"))
            .col(timestamptz("expires_at"))
            .col(text("status").not_null().default("active"))
            .col(integer("xp_awarded").not_null().default(0))
            .col(integer("coins_awarded").not_null().default(0))
            .col(uuid("task_id"))
            .col(text("task_title"))
            .created_at()
            .index("focus_sessions_user_id_idx", ["user_id"])
            .index("focus_sessions_status_idx", ["status"])
            .partial(Expr::col("status").eq("active"))
            .create()
            .await?;

        table(m, "focus_pause_state")
            .id()
            .cascade("user_id", "users")
            .cascade("session_id", "focus_sessions")
            .col(boolean("is_paused").not_null().default(false))
            .col(integer("time_remaining_seconds"))
            .col(timestamptz("paused_at"))
            .col(timestamptz("resumed_at"))
            .created_at()
            .updated_at()
            .unique_index("focus_pause_state_session_idx", ["session_id"])
            .create()
            .await?;

        table(m, "focus_libraries")
            .id()
            .cascade("user_id", "users")
            .col(text("name").not_null())
            .col(text("description"))
            .col(text("library_type").not_null().default("playlist"))
            .col(integer("tracks_count").not_null().default(0))
            .col(boolean("is_favorite").not_null().default(false))
            .created_at()
            .updated_at()
            .create()
            .await?;

        table(m, "focus_library_tracks")
            .id()
            .cascade("library_id", "focus_libraries")
            .col(text("track_id"))
            .col(text("track_title").not_null())
            .col(text("track_url"))
            .col(integer("duration_seconds"))
            .col(integer("sort_order").not_null().default(0))
            .now_default(timestamptz("added_at").not_null())
            .create()
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, TABLES).await
    }
}
