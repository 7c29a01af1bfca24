//! Project migration 0023, PostgreSQL only: `NOTIFY actor_changes` with the user's id
//! whenever what the sign-in check reads changes (their `users` row, a `sessions` row of
//! theirs, their day settings in `user_settings`), from whatever writes it (the channel
//! `schema::domain::auth::sign_in_cache` listens on). Every instance's sign-in cache forgets that
//! user at once, so a revocation or a settings change holds across instances. SQLite has
//! one instance and no cache, so nothing to tell.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The triggers, each with its function: a table, when it tells, and whom.
const TRIGGERS: [(&str, &str, &str); 3] = [
    // A user's row, unless only the five-minutely activity stamp moved (an instance
    // updates its own copy of that; a new user is nobody's cached row yet).
    (
        "users",
        "UPDATE OR DELETE",
        "IF TG_OP = 'UPDATE' AND to_jsonb(OLD) - 'last_activity_at' = to_jsonb(NEW) - 'last_activity_at' \
           THEN RETURN NULL; END IF; \
         PERFORM pg_notify('actor_changes', OLD.id::text);",
    ),
    // A session ended, rotated or removed, likewise (a new session is in no cache yet).
    (
        "sessions",
        "UPDATE OR DELETE",
        "IF TG_OP = 'UPDATE' AND to_jsonb(OLD) - 'last_activity_at' = to_jsonb(NEW) - 'last_activity_at' \
           THEN RETURN NULL; END IF; \
         PERFORM pg_notify('actor_changes', OLD.user_id::text);",
    ),
    // The two settings the sign-in check reads (`preferences::KEYS`).
    (
        "user_settings",
        "INSERT OR UPDATE OR DELETE",
        "IF TG_OP <> 'INSERT' AND OLD.key IN ('time_zone', 'day_start_hour') \
           THEN PERFORM pg_notify('actor_changes', OLD.user_id::text); END IF; \
         IF TG_OP <> 'DELETE' AND NEW.key IN ('time_zone', 'day_start_hour') \
           THEN PERFORM pg_notify('actor_changes', NEW.user_id::text); END IF;",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = m.get_connection();
        for (table, events, body) in TRIGGERS {
            // pg_notify folds equal payloads of one transaction into one notification.
            db.execute_unprepared(&format!(
                "CREATE FUNCTION {table}_notify_actor_change() RETURNS trigger \
                 LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NULL; END $$"
            ))
            .await?;
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {table}_actor_change AFTER {events} ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION {table}_notify_actor_change()"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = m.get_connection();
        for (table, _, _) in TRIGGERS {
            db.execute_unprepared(&format!(
                "DROP TRIGGER IF EXISTS {table}_actor_change ON {table}"
            ))
            .await?;
            db.execute_unprepared(&format!(
                "DROP FUNCTION IF EXISTS {table}_notify_actor_change()"
            ))
            .await?;
        }
        Ok(())
    }
}
