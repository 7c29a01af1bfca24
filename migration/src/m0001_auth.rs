//! Spec migration 0001 (auth): users, accounts, sessions, verification_tokens, authenticators, oauth_states.

use crate::kit::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: &[&str] = &[
    "users",
    "accounts",
    "sessions",
    "verification_tokens",
    "authenticators",
    "oauth_states",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        table(m, "users")
            .id()
            .col(text("name"))
            .col(text("email").not_null())
            .col(timestamptz("email_verified"))
            .col(text("image"))
            .col(text("role").not_null().default("user"))
            .col(boolean("approved").not_null().default(false))
            .col(boolean("age_verified").not_null().default(false))
            .col(boolean("tos_accepted").not_null().default(false))
            .col(timestamptz("tos_accepted_at"))
            .col(text("tos_version"))
            .col(timestamptz("last_activity_at"))
            .created_at()
            .updated_at()
            .unique_index("users_email_idx", ["email"])
            .create()
            .await?;

        table(m, "accounts")
            .id()
            .cascade("user_id", "users")
            .col(text("type").not_null())
            .col(text("provider").not_null())
            .col(text("provider_account_id").not_null())
            .col(text("refresh_token"))
            .col(text("access_token"))
            .col(bigint("expires_at"))
            .col(text("token_type"))
            .col(text("scope"))
            .col(text("id_token"))
            .col(text("session_state"))
            .created_at()
            .updated_at()
            .index("accounts_user_id_idx", ["user_id"])
            .unique_index(
                "accounts_provider_account_idx",
                ["provider", "provider_account_id"],
            )
            .create()
            .await?;

        table(m, "sessions")
            .id()
            .cascade("user_id", "users")
            .col(text("token").not_null())
            .col(timestamptz("expires_at").not_null())
            .created_at()
            .now_default(timestamptz("last_activity_at"))
            .col(text("user_agent"))
            .col(text("ip_address"))
            .col(uuid("rotated_from"))
            .unique_index("sessions_token_idx", ["token"])
            .index("sessions_user_id_idx", ["user_id"])
            .index("sessions_expires_at_idx", ["expires_at"])
            .create()
            .await?;

        table(m, "verification_tokens")
            .col(text("identifier").not_null())
            .col(text("token").not_null())
            .col(timestamptz("expires").not_null())
            .created_at()
            .primary_key(["identifier", "token"])
            .unique_index("verification_tokens_token_idx", ["token"])
            .create()
            .await?;

        table(m, "authenticators")
            .id()
            .cascade("user_id", "users")
            .col(text("credential_id").not_null())
            .col(text("provider_account_id").not_null())
            .col(text("credential_public_key").not_null())
            .col(bigint("counter").not_null().default(0))
            .col(text("credential_device_type").not_null())
            .col(boolean("credential_backed_up").not_null().default(false))
            .text_array("transports")
            .created_at()
            .unique_index("authenticators_credential_id_idx", ["credential_id"])
            .index("authenticators_user_id_idx", ["user_id"])
            .create()
            .await?;

        table(m, "oauth_states")
            .id()
            .col(text("state").not_null())
            .col(text("provider").not_null())
            .col(text("redirect_uri"))
            .created_at()
            .col(timestamptz("expires_at").not_null())
            .unique_index("oauth_states_state_idx", ["state"])
            .create()
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, TABLES).await
    }
}
