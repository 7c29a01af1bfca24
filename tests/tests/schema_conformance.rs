//! Conformance of the PostgreSQL schema with the database contract, `docs/schema-contract.json`
//! (the facts of the spec, `database-schema.md`, in a form of our own).
//!
//! The migrated catalog is compared with the contract, fact by fact, so a migration that
//! drifts fails here. One test, run only where the spec's markdown is at hand
//! (`../shared/spec/database-schema.md`, or `SPEC_PATH`), checks that the contract and the
//! spec agree; it is ignored, saying so, elsewhere, and nothing else reads the spec. The full
//! comparison needs `TEST_POSTGRES_URL`; the comparator is also tested on its own.

#[path = "schema_conformance/catalog.rs"]
mod catalog;
#[path = "schema_conformance/catalog_reader.rs"]
mod catalog_reader;
#[path = "schema_conformance/compare.rs"]
mod compare;
#[path = "schema_conformance/contract.rs"]
mod contract;
#[path = "schema_conformance/ideal_catalog.rs"]
mod ideal_catalog;
#[path = "schema_conformance/rules.rs"]
mod rules;
#[path = "schema_conformance/scratch_database.rs"]
mod scratch_database;
#[path = "schema_conformance/spec.rs"]
mod spec;
#[path = "schema_conformance/spec_columns.rs"]
mod spec_columns;
#[path = "schema_conformance/spec_parser.rs"]
mod spec_parser;
#[path = "schema_conformance/tests_comparator.rs"]
mod tests_comparator;
#[path = "schema_conformance/tests_contract.rs"]
mod tests_contract;
#[path = "schema_conformance/tests_spec.rs"]
mod tests_spec;

use migration::{Migrator, MigratorTrait};
use sea_orm::ConnectionTrait;

use catalog::Catalog;
use scratch_database::ScratchDatabase;
use spec::Spec;

/// The contract the catalog is held to.
fn load_contract() -> Spec {
    contract::load()
}

/// Migrates a fresh scratch database, applies the `drift` statements, reads its catalog and
/// drops it again, also when migrating fails or panics. A set but unreachable
/// `TEST_POSTGRES_URL` fails.
async fn migrated_catalog(drift: &'static [&'static str]) -> Catalog {
    let url = tests::postgres_url().expect("TEST_POSTGRES_URL");
    let scratch = ScratchDatabase::create(&url)
        .await
        .unwrap_or_else(|error| panic!("cannot create a scratch database through {url}: {error}"));
    let connection = scratch.connection().clone();
    // Spawned, so that even a panicking migration leaves the scratch database to be dropped.
    let migrated = tokio::spawn(async move {
        Migrator::up(&connection, None).await?;
        for statement in drift {
            connection.execute_unprepared(statement).await?;
        }
        catalog_reader::read_catalog(&connection).await
    })
    .await;
    let dropped = scratch.destroy().await;
    let catalog = match migrated {
        Ok(Ok(catalog)) => catalog,
        Ok(Err(error)) => panic!("migrating or reading the catalog failed: {error}"),
        Err(panicked) => panic!("migrating panicked: {panicked}"),
    };
    dropped.expect("dropping the scratch database");
    catalog
}

tests::testkit::postgres_half! {
#[tokio::test]
async fn the_migrated_postgres_schema_matches_the_contract_table_by_table() {
    let spec = load_contract();
    let catalog = migrated_catalog(&[]).await;
    let report = compare::compare(&spec, &catalog);
    println!("{}", report.summary());
    assert!(report.failures.is_empty(), "{report}");
}
}

tests::testkit::postgres_half! {
/// The catalog reader sees drift too: each statement below shows up as its own failure line.
#[tokio::test]
async fn a_drifted_postgres_schema_is_reported() {
    let spec = load_contract();
    let catalog = migrated_catalog(&[
        "ALTER TABLE users ALTER COLUMN role SET DEFAULT 'admin'",
        "ALTER TABLE users ALTER COLUMN name SET NOT NULL",
        "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)",
        "ALTER TABLE habits DROP COLUMN description",
        "DROP INDEX goals_user_id_idx",
        "DROP INDEX audit_log_created_at_idx",
        "CREATE INDEX audit_log_created_at_idx ON audit_log (created_at)",
    ])
    .await;
    let report = compare::compare(&spec, &catalog);
    for expected in [
        "users.role: expected default 'user', found 'admin'::text",
        "users.name: expected nullable, found NOT NULL",
        "users.email: expected unique only through users_email_idx, \
         found unique through users_email_idx, users_email_key",
        "habits.description: expected column, found none",
        "goals.goals_user_id_idx: expected index on (user_id), found none",
        "audit_log.audit_log_created_at_idx: expected columns (created_at DESC), found (created_at)",
    ] {
        assert!(
            report.failures.iter().any(|f| f == expected),
            "missing `{expected}` in {report}"
        );
    }
}
}
