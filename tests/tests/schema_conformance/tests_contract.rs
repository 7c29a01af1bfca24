//! The contract agrees with the spec, fact by fact; and that check can fail. Run with
//! `UPDATE_SCHEMA_CONTRACT=1` to rewrite the contract from the spec after the spec changed.
use std::path::PathBuf;

use super::{contract, spec::SqlType, spec_parser};

/// `SPEC_PATH`, else the spec in the `shared/` folder beside the workspace.
fn spec_path() -> PathBuf {
    std::env::var_os("SPEC_PATH").map_or_else(
        || {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../shared/spec/database-schema.md"
            ))
        },
        PathBuf::from,
    )
}

#[test]
#[cfg_attr(
    not(spec_present),
    ignore = "the spec (../shared/spec/database-schema.md or SPEC_PATH) is not on this machine: the contract's agreement with it was not checked"
)]
fn the_contract_states_every_fact_of_the_spec_and_nothing_else() {
    let path = spec_path();
    let markdown = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read the spec at {}: {error}", path.display()));
    let spec = spec_parser::parse(&markdown)
        .unwrap_or_else(|error| panic!("cannot parse the spec at {}: {error}", path.display()));
    if std::env::var_os("UPDATE_SCHEMA_CONTRACT").is_some() {
        std::fs::write(contract::path(), contract::render(&spec)).expect("write the contract");
    }
    let contract = contract::load();
    let differences = contract::disagreements(&contract, &spec);
    assert!(
        differences.is_empty(),
        "docs/schema-contract.json disagrees with {}:\n{}",
        path.display(),
        differences.join("\n")
    );
    println!("{} facts agree", contract::facts(&spec).len());
}

#[test]
fn the_contract_file_reads_back_as_written() {
    let contract = contract::load();
    assert_eq!(
        contract::render(&contract),
        std::fs::read_to_string(contract::path()).unwrap(),
        "the file is in its canonical layout"
    );
}

#[test]
fn a_changed_fact_of_the_contract_is_named() {
    let spec = contract::load();
    let mut changed = spec.clone();
    let users = changed
        .tables
        .iter_mut()
        .find(|t| t.name == "users")
        .unwrap();
    users
        .columns
        .iter_mut()
        .find(|c| c.name == "email")
        .unwrap()
        .sql_type = SqlType::Jsonb;
    users.indexes.retain(|i| i.name != "users_email_idx");
    let differences = contract::disagreements(&changed, &spec);
    for expected in [
        "the spec says, the contract does not: users.email: type TEXT",
        "the contract says, the spec does not: users.email: type JSONB",
    ] {
        assert!(
            differences.iter().any(|d| d == expected),
            "{expected} in {differences:?}"
        );
    }
    assert!(
        differences.iter().any(|d| d.starts_with(
            "the spec says, the contract does not: users: unique index users_email_idx"
        )),
        "{differences:?}"
    );
    assert_eq!(differences.len(), 3, "{differences:#?}");
}
