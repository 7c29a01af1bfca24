//! The migrations on both backends: every table is created, every `down` undoes its `up`,
//! `reset` then `up` works, and the array columns take arrays (PostgreSQL) or JSON text (SQLite).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use migration::sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use migration::{Migrator, MigratorTrait};

/// The spec's 34 tables plus the project's `user_settings`, `passkey_ceremonies`,
/// `write_probe`, `calendar_feeds`, `reward_events` and `quest_reward_history`, sorted.
const TABLES: [&str; 40] = [
    "accounts",
    "achievement_definitions",
    "activity_events",
    "audit_log",
    "authenticators",
    "calendar_events",
    "calendar_feeds",
    "daily_plans",
    "entitlements",
    "focus_libraries",
    "focus_library_tracks",
    "focus_pause_state",
    "focus_sessions",
    "goal_milestones",
    "goals",
    "habit_completions",
    "habits",
    "oauth_states",
    "passkey_ceremonies",
    "plan_templates",
    "points_ledger",
    "quest_reward_history",
    "reward_events",
    "role_entitlements",
    "roles",
    "sessions",
    "skill_definitions",
    "universal_quests",
    "user_achievements",
    "user_progress",
    "user_quest_progress",
    "user_quests",
    "user_roles",
    "user_settings",
    "user_skills",
    "user_streaks",
    "user_wallet",
    "users",
    "verification_tokens",
    "write_probe",
];

async fn strings(db: &DatabaseConnection, sql: &str) -> Vec<String> {
    let stmt = Statement::from_string(db.get_database_backend(), sql);
    db.query_all_raw(stmt)
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).unwrap())
        .collect()
}

async fn one_i64(db: &DatabaseConnection, sql: &str) -> i64 {
    let stmt = Statement::from_string(db.get_database_backend(), sql);
    let row = db.query_one_raw(stmt).await.unwrap().expect("one row");
    row.try_get_by_index::<i64>(0).unwrap()
}

async fn exec(db: &DatabaseConnection, sql: &str) {
    db.execute_unprepared(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// The application's tables (not the migrator's own bookkeeping table), sorted.
async fn app_tables(db: &DatabaseConnection) -> Vec<String> {
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => {
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
             AND table_name <> 'seaql_migrations' ORDER BY 1"
        }
        _ => {
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations' ORDER BY 1"
        }
    };
    strings(db, sql).await
}

async fn assert_all_tables(db: &DatabaseConnection) {
    assert_eq!(app_tables(db).await, TABLES);
    assert!(
        Migrator::get_pending_migrations(db)
            .await
            .unwrap()
            .is_empty()
    );
}

/// up; down all the way; up; reset; up — the schema is complete after each up, empty after each down.
async fn round_trip(db: &DatabaseConnection) {
    Migrator::up(db, None).await.unwrap();
    assert_all_tables(db).await;

    Migrator::down(db, None).await.unwrap();
    assert!(app_tables(db).await.is_empty());
    Migrator::up(db, None).await.unwrap();
    assert_all_tables(db).await;

    Migrator::reset(db).await.unwrap();
    assert!(app_tables(db).await.is_empty());
    Migrator::up(db, None).await.unwrap();
    assert_all_tables(db).await;
}

const USER: &str = "0191d1a0-0000-7000-8000-000000000001";

/// Rows in both array columns, written as the backend stores them, read back; and the partial
/// unique index on the points ledger (NULL keys repeat freely, a repeated key is refused).
async fn data(db: &DatabaseConnection) {
    let pg = db.get_database_backend() == DbBackend::Postgres;
    let (uuid, transports, custom_days) = if pg {
        ("'{}'::uuid", "ARRAY['usb','internal']", "'{0,3,5}'")
    } else {
        ("'{}'", "'[\"usb\",\"internal\"]'", "'[0,3,5]'")
    };
    let id = |n: u32| uuid.replace("{}", &format!("0191d1a0-0000-7000-8000-{n:012}"));
    let user = uuid.replace("{}", USER);

    exec(
        db,
        &format!("INSERT INTO users (id, email) VALUES ({user}, 'a@example.com')"),
    )
    .await;
    exec(
        db,
        &format!(
            "INSERT INTO authenticators (id, user_id, credential_id, provider_account_id, \
             credential_public_key, credential_device_type, transports) \
             VALUES ({}, {user}, 'cred', 'acct', 'key', 'platform', {transports})",
            id(2)
        ),
    )
    .await;
    exec(
        db,
        &format!(
            "INSERT INTO habits (id, user_id, name, frequency, custom_days) \
             VALUES ({}, {user}, 'Read', 'custom', {custom_days})",
            id(3)
        ),
    )
    .await;

    let (count_transports, day) = if pg {
        (
            "SELECT CAST(array_length(transports, 1) AS BIGINT) FROM authenticators",
            "SELECT CAST(custom_days[2] AS BIGINT) FROM habits",
        )
    } else {
        (
            "SELECT json_array_length(transports) FROM authenticators",
            "SELECT json_extract(custom_days, '$[1]') FROM habits",
        )
    };
    assert_eq!(one_i64(db, count_transports).await, 2);
    assert_eq!(one_i64(db, day).await, 3);

    for (n, key) in [(4, "NULL"), (5, "NULL"), (6, "'focus-1'")] {
        exec(
            db,
            &format!(
                "INSERT INTO points_ledger (id, user_id, event_type, idempotency_key) \
                 VALUES ({}, {user}, 'focus', {key})",
                id(n)
            ),
        )
        .await;
    }
    let repeat = format!(
        "INSERT INTO points_ledger (id, user_id, event_type, idempotency_key) \
         VALUES ({}, {user}, 'focus', 'focus-1')",
        id(7)
    );
    assert!(db.execute_unprepared(&repeat).await.is_err());

    // Deleting the user cascades to its rows.
    exec(db, "DELETE FROM users").await;
    assert_eq!(one_i64(db, "SELECT COUNT(*) FROM habits").await, 0);
}

#[tokio::test]
async fn sqlite_up_down_reset_and_arrays() {
    let path = std::env::temp_dir().join(format!("mig_{}.db", uuid::Uuid::new_v4().simple()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = Database::connect(&url).await.unwrap();

    round_trip(&db).await;
    data(&db).await;

    db.close().await.unwrap();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// `url` with its database name replaced by `name` (query string kept).
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let host_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[host_start..]
        .find('/')
        .map_or(base.len(), |i| host_start + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// PostgreSQL-only checks: only the spec's types, and the partial and DESC indexes verbatim.
async fn postgres_schema(db: &DatabaseConnection) {
    let types = strings(
        db,
        "SELECT DISTINCT udt_name::text FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name <> 'seaql_migrations' ORDER BY 1",
    )
    .await;
    assert_eq!(
        types,
        [
            "_int4",
            "_text",
            "bool",
            "date",
            "int4",
            "int8",
            "jsonb",
            "text",
            "timestamptz",
            "uuid"
        ]
    );

    let defs = strings(
        db,
        "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname IN \
         ('points_ledger_idempotency_idx', 'focus_sessions_status_idx', \
          'audit_log_created_at_idx', 'activity_events_created_at_idx') ORDER BY indexname",
    )
    .await;
    assert_eq!(
        defs,
        [
            "CREATE INDEX activity_events_created_at_idx ON public.activity_events USING btree (created_at DESC)",
            "CREATE INDEX audit_log_created_at_idx ON public.audit_log USING btree (created_at DESC)",
            "CREATE INDEX focus_sessions_status_idx ON public.focus_sessions USING btree (status) WHERE (status = 'active'::text)",
            "CREATE UNIQUE INDEX points_ledger_idempotency_idx ON public.points_ledger USING btree (user_id, idempotency_key) WHERE (idempotency_key IS NOT NULL)",
        ]
    );

    // Every foreign key leads some index (the spec's, a key, or migration 0008's).
    let bare = strings(
        db,
        "SELECT c.conname::text FROM pg_constraint c WHERE c.contype = 'f' AND NOT EXISTS \
         (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1])",
    )
    .await;
    assert!(bare.is_empty(), "foreign keys without an index: {bare:?}");
}

async fn postgres_run(url: String) {
    let db = Database::connect(&url).await.unwrap();
    round_trip(&db).await;
    postgres_schema(&db).await;
    data(&db).await;
    db.close().await.unwrap();
}

testkit::postgres_half! {
    #[tokio::test]
    async fn postgres_up_down_reset_and_arrays() {
        let admin_url = testkit::postgres_url().expect("TEST_POSTGRES_URL");
        let admin = Database::connect(&admin_url)
            .await
            .expect("TEST_POSTGRES_URL is set but PostgreSQL is unreachable");
        let name = format!("mig_{}", uuid::Uuid::new_v4().simple());
        exec(&admin, &format!("CREATE DATABASE \"{name}\"")).await;

        let outcome = tokio::spawn(postgres_run(with_database(&admin_url, &name))).await;

        exec(&admin, &format!("DROP DATABASE \"{name}\" WITH (FORCE)")).await;
        admin.close().await.unwrap();
        if let Err(failure) = outcome {
            std::panic::resume_unwind(failure.into_panic());
        }
    }
}

#[test]
fn database_name_is_replaced() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database("postgres://u:p@h/test?sslmode=disable", "x"),
        "postgres://u:p@h/x?sslmode=disable"
    );
    assert_eq!(
        with_database("postgres://h:5432", "x"),
        "postgres://h:5432/x"
    );
}
