//! The comparator is not vacuous: a catalog printed exactly from the spec passes, an empty one
//! fails on every table, and each deliberate alteration is reported as its own line.

use super::catalog::{Catalog, Column, Index, Table};
use super::compare::compare;
use super::ideal_catalog::ideal_catalog;
use super::load_contract;

fn table<'a>(catalog: &'a mut Catalog, name: &str) -> &'a mut Table {
    catalog.tables.get_mut(name).unwrap()
}

fn column<'a>(catalog: &'a mut Catalog, table_name: &str, name: &str) -> &'a mut Column {
    table(catalog, table_name).columns.get_mut(name).unwrap()
}

fn index<'a>(catalog: &'a mut Catalog, table_name: &str, name: &str) -> &'a mut Index {
    let indexes = &mut table(catalog, table_name).indexes;
    indexes.iter_mut().find(|index| index.name == name).unwrap()
}

fn remove_index(catalog: &mut Catalog, table_name: &str, name: &str) {
    table(catalog, table_name)
        .indexes
        .retain(|index| index.name != name);
}

#[test]
fn a_catalog_printed_from_the_spec_conforms() {
    let spec = load_contract();
    let report = compare(&spec, &ideal_catalog(&spec));
    println!("{}", report.summary());
    assert!(report.failures.is_empty(), "{report}");
    assert!(report.checks > 1000, "{}", report.summary());
}

#[test]
fn an_empty_catalog_misses_every_table() {
    let spec = load_contract();
    let report = compare(&spec, &Catalog::default());
    assert_eq!(report.failures.len(), spec.tables.len(), "{report}");
    assert!(
        report
            .failures
            .contains(&"users: expected table, found none".to_owned())
    );
}

#[test]
fn every_alteration_of_the_catalog_is_reported() {
    let spec = load_contract();
    let mut catalog = ideal_catalog(&spec);

    table(&mut catalog, "habits").columns.remove("description");
    let archived = Column {
        udt_name: "bool".to_owned(),
        nullable: true,
        default: None,
    };
    table(&mut catalog, "habits")
        .columns
        .insert("archived".to_owned(), archived);
    column(&mut catalog, "users", "role").default = Some("'admin'::text".to_owned());
    column(&mut catalog, "users", "name").nullable = false;
    column(&mut catalog, "accounts", "expires_at").udt_name = "int4".to_owned();
    index(&mut catalog, "audit_log", "audit_log_created_at_idx").columns =
        vec!["created_at".to_owned()];
    index(&mut catalog, "focus_sessions", "focus_sessions_status_idx").predicate =
        Some("(status = 'paused'::text)".to_owned());
    index(&mut catalog, "daily_plans", "daily_plans_user_date_idx").unique = false;
    remove_index(&mut catalog, "goals", "goals_user_id_idx");
    remove_index(&mut catalog, "user_wallet", "user_wallet_user_id_key");
    let mut duplicate = index(&mut catalog, "users", "users_email_idx").clone();
    duplicate.name = "users_email_key".to_owned();
    table(&mut catalog, "users").indexes.push(duplicate);
    let roles = table(&mut catalog, "roles");
    roles
        .foreign_keys
        .iter_mut()
        .for_each(|fk| fk.on_delete = 'c');
    table(&mut catalog, "user_roles")
        .foreign_keys
        .retain(|fk| fk.columns != ["granted_by"]);
    table(&mut catalog, "role_entitlements").primary_key =
        Some(vec!["entitlement_id".to_owned(), "role_id".to_owned()]);

    let report = compare(&spec, &catalog);
    let mut failures = report.failures.clone();
    failures.sort();
    let mut expected = vec![
        "habits.description: expected column, found none",
        "habits.archived: expected no column the spec does not list, found column of type bool",
        "users.role: expected default 'user', found 'admin'::text",
        "users.name: expected nullable, found NOT NULL",
        "accounts.expires_at: expected type int8, found int4",
        "audit_log.audit_log_created_at_idx: expected columns (created_at DESC), found (created_at)",
        "focus_sessions.focus_sessions_status_idx: expected WHERE status = 'active', \
         found WHERE (status = 'paused'::text)",
        "daily_plans.daily_plans_user_date_idx: expected UNIQUE, found non-unique",
        "daily_plans.daily_plans_user_date_idx: expected unique on (user_id, date), \
         found no unique constraint or index",
        "goals.goals_user_id_idx: expected index on (user_id), found none",
        "user_wallet.user_id: expected unique on (user_id), found no unique constraint or index",
        "users.email: expected unique only through users_email_idx, \
         found unique through users_email_idx, users_email_key",
        "roles.parent_role_id: expected ON DELETE RESTRICT or NO ACTION, found ON DELETE CASCADE",
        "user_roles.granted_by: expected one foreign key to users(id), found 0 foreign keys",
        "role_entitlements.PRIMARY KEY: expected columns (role_id, entitlement_id), \
         found (entitlement_id, role_id)",
    ];
    expected.sort_unstable();
    assert_eq!(failures, expected, "{report}");
}
