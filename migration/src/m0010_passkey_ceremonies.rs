//! Project migration 0010: `passkey_ceremonies`, the state of WebAuthn ceremonies in flight.
//! Kept in the database rather than in memory so any instance can finish a ceremony another
//! began; each row lives five minutes and is deleted when its ceremony finishes.
//! `user_id` is NULL for a sign-in begun for an address with no passkey (a decoy).

use crate::kit::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        table(m, "passkey_ceremonies")
            .id()
            .nullable_cascade("user_id", "users")
            // 'registration' | 'authentication'
            .col(text("purpose").not_null())
            // The serialised webauthn-rs ceremony state.
            .col(jsonb("state").not_null())
            .col(timestamptz("expires_at").not_null())
            .created_at()
            .index("passkey_ceremonies_expires_at_idx", ["expires_at"])
            .index("passkey_ceremonies_user_id_idx", ["user_id"])
            .create()
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, &["passkey_ceremonies"]).await
    }
}
