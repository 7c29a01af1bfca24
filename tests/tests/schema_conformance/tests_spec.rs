//! The parser reads the real spec completely and correctly, rejects what it does not understand,
//! and the rules derived from it (nullability, bare foreign keys, normalisation) hold.

use super::load_contract;
use super::rules::{self, ForeignKeyColumn};
use super::spec::{DefaultCell, ForeignKey, IndexColumn, OnDelete, Spec, SqlType, Table};
use super::spec_parser;

fn table<'a>(spec: &'a Spec, name: &str) -> &'a Table {
    spec.table(name)
        .unwrap_or_else(|| panic!("the spec has no table {name}"))
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}

#[test]
fn the_spec_defines_34_tables_across_7_migrations() {
    let spec = load_contract();
    let numbers: Vec<u32> = spec.migrations.iter().map(|m| m.number).collect();
    assert_eq!(numbers, (1..=7).collect::<Vec<_>>());
    assert_eq!(spec.migrations[0].title, "Auth");
    assert_eq!(spec.tables.len(), 34);
    assert!(spec.tables.iter().all(|t| numbers.contains(&t.migration)));
    assert_eq!(table(&spec, "users").migration, 1);
    assert_eq!(table(&spec, "plan_templates").migration, 7);
    let columns: usize = spec.tables.iter().map(|t| t.columns.len()).sum();
    assert!(columns > 300, "only {columns} columns parsed");
}

#[test]
fn composite_primary_keys_come_from_pk_lines_and_pk_bullets() {
    let spec = load_contract();
    let key = |name| table(&spec, name).primary_key.clone();
    assert_eq!(
        key("role_entitlements"),
        strings(&["role_id", "entitlement_id"])
    );
    assert_eq!(key("user_roles"), strings(&["user_id", "role_id"]));
    assert_eq!(
        key("verification_tokens"),
        strings(&["identifier", "token"])
    );
    assert_eq!(key("users"), strings(&["id"]));
    let tokens = table(&spec, "verification_tokens");
    assert_eq!(
        tokens.indexes.len(),
        1,
        "the PK bullet is not a named index"
    );
}

#[test]
fn partial_unique_and_descending_indexes_are_parsed() {
    let spec = load_contract();
    let ledger = table(&spec, "points_ledger")
        .index("points_ledger_idempotency_idx")
        .unwrap();
    assert!(ledger.unique);
    assert_eq!(
        ledger.column_list(),
        strings(&["user_id", "idempotency_key"])
    );
    assert_eq!(
        ledger.predicate.as_deref(),
        Some("idempotency_key IS NOT NULL")
    );
    let status = table(&spec, "focus_sessions")
        .index("focus_sessions_status_idx")
        .unwrap();
    assert!(!status.unique);
    assert_eq!(status.predicate.as_deref(), Some("status = 'active'"));
    let created = table(&spec, "audit_log")
        .index("audit_log_created_at_idx")
        .unwrap();
    let expected = IndexColumn {
        name: "created_at".to_owned(),
        descending: true,
    };
    assert_eq!(created.columns, vec![expected]);
    assert_eq!(created.column_list(), strings(&["created_at DESC"]));
}

#[test]
fn constraint_type_and_default_cells_are_parsed() {
    let spec = load_contract();
    let progress = table(&spec, "user_progress").column("user_id").unwrap();
    let to_users = |on_delete| ForeignKey {
        table: "users".to_owned(),
        column: "id".to_owned(),
        on_delete,
    };
    assert_eq!(progress.foreign_key, Some(to_users(OnDelete::Cascade)));
    assert!(progress.unique && !progress.not_null);
    let granted_by = table(&spec, "user_roles").column("granted_by").unwrap();
    assert_eq!(
        granted_by.foreign_key,
        Some(to_users(OnDelete::Unspecified))
    );
    assert_eq!(granted_by.default, DefaultCell::Null);
    let email = table(&spec, "users").column("email").unwrap();
    assert!(email.unique && email.not_null && email.default == DefaultCell::Empty);
    let role = table(&spec, "users").column("role").unwrap();
    assert_eq!(role.default, DefaultCell::Expr("'user'".to_owned()));
    let transports = table(&spec, "authenticators").column("transports").unwrap();
    assert_eq!(transports.sql_type, SqlType::TextArray);
    let custom_days = table(&spec, "habits").column("custom_days").unwrap();
    assert_eq!(rules::udt_name(custom_days.sql_type), "_int4");
}

#[test]
fn nullability_follows_the_design_decisions() {
    let spec = load_contract();
    let not_null = |table_name, column_name| {
        let table = table(&spec, table_name);
        rules::is_not_null(table, table.column(column_name).unwrap())
    };
    assert!(not_null("accounts", "user_id"), "FK without a default");
    assert!(
        !not_null("audit_log", "user_id"),
        "FK whose default is NULL"
    );
    assert!(
        !not_null("sessions", "last_activity_at"),
        "default without NOT NULL"
    );
    assert!(
        !not_null("activity_events", "xp_earned"),
        "default without NOT NULL"
    );
    assert!(
        not_null("role_entitlements", "entitlement_id"),
        "composite PK"
    );
    assert!(not_null("users", "id"), "PK");
    assert!(not_null("users", "email"), "written NOT NULL");
    assert!(!not_null("users", "name"), "plain column");
}

#[test]
fn the_spec_leaves_exactly_18_foreign_keys_without_an_index() {
    let spec = load_contract();
    let bare = rules::bare_foreign_keys(&spec);
    assert_eq!(bare.len(), rules::BARE_FOREIGN_KEY_COUNT, "{bare:#?}");
    let fk = |table: &str, column: &str| ForeignKeyColumn {
        table: table.to_owned(),
        column: column.to_owned(),
    };
    // The examples DESIGN.md § Backends names.
    for (table, column) in [
        ("habits", "user_id"),
        ("goals", "user_id"),
        ("goal_milestones", "goal_id"),
        ("user_quests", "user_id"),
        ("focus_libraries", "user_id"),
        ("plan_templates", "user_id"),
        ("habit_completions", "user_id"),
        ("focus_library_tracks", "library_id"),
        ("user_roles", "role_id"),
    ] {
        assert!(
            bare.contains(&fk(table, column)),
            "{table}.{column} should be bare"
        );
    }
    // Covered by a UNIQUE mark, a leading composite-key column, a leading unique index.
    for (table, column) in [
        ("user_progress", "user_id"),
        ("user_roles", "user_id"),
        ("user_skills", "user_id"),
        ("habit_completions", "habit_id"),
    ] {
        assert!(
            !bare.contains(&fk(table, column)),
            "{table}.{column} is indexed"
        );
    }
    let index = rules::foreign_key_index(&fk("habits", "user_id"));
    assert_eq!(index.name, "habits_user_id_idx");
    assert_eq!(index.column_list(), strings(&["user_id"]));
}

#[test]
fn defaults_and_predicates_normalise_as_postgres_prints_them() {
    let text = |expr| rules::normalise_default(expr, SqlType::Text);
    assert_eq!(text("'user'::text"), text("'user'"));
    assert_ne!(text("'admin'::text"), text("'user'"));
    assert_ne!(text("'User'"), text("'user'"), "literals keep their case");
    let jsonb = |expr| rules::normalise_default(expr, SqlType::Jsonb);
    assert_eq!(jsonb("'[]'::jsonb"), jsonb("'[]'"));
    assert_ne!(
        jsonb("'[]'::json"),
        jsonb("'[]'"),
        "only the column's own cast is dropped"
    );
    let timestamp = |expr| rules::normalise_default(expr, SqlType::Timestamptz);
    assert_eq!(timestamp("now()"), timestamp("NOW()"));
    assert_eq!(timestamp("CURRENT_TIMESTAMP"), timestamp("NOW()"));
    let integer = |expr| rules::normalise_default(expr, SqlType::Integer);
    assert_eq!(integer("'-1'::integer"), integer("-1"));
    assert_ne!(integer("1"), integer("0"));
    let predicate = rules::normalise_predicate;
    assert_eq!(
        predicate("(status = 'active'::text)"),
        predicate("status = 'active'")
    );
    assert_eq!(
        predicate("(idempotency_key IS NOT NULL)"),
        predicate("idempotency_key IS NOT NULL")
    );
    assert_ne!(
        predicate("(status = 'Active'::text)"),
        predicate("status = 'active'")
    );
    assert_ne!(predicate("(a) AND (b)"), predicate("a) AND (b"));
}

#[test]
fn the_parser_rejects_what_it_does_not_understand() {
    let section = |row: &str, extra: &str| {
        format!(
            "# Migration 0001: Test\n\n## things\nThings.\n\n\
             | Column | Type | Constraints | Default | Notes |\n\
             |--------|------|-------------|---------|-------|\n\
             | id | UUID | PK | gen_random_uuid() | |\n{row}\n{extra}\n"
        )
    };
    assert!(spec_parser::parse(&section("| n | INTEGER | NOT NULL | 0 | |", "")).is_ok());
    let rejected = [
        section("| n | NUMERIC | | NULL | |", ""),
        section("| n | INTEGER | CHECK | NULL | |", ""),
        section("| n | UUID | FK others(id) | | |", ""),
        section(
            "| n | INTEGER | | | |",
            "**Indexes:**\n- `things_n_idx` HASH on (n)",
        ),
        section(
            "| n | INTEGER | | | |",
            "**Indexes:**\n- `things_m_idx` on (m)",
        ),
        section("| n | INTEGER | | | |", "**Checks:** n > 0"),
    ];
    for markdown in rejected {
        assert!(
            spec_parser::parse(&markdown).is_err(),
            "accepted:\n{markdown}"
        );
    }
}
