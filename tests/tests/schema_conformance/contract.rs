//! The database contract kept in the repo, `docs/schema-contract.json`: the spec's facts in a
//! form of our own, one line per column and per index. The conformance tests compare the
//! migrated catalog with it; `facts` flattens it into one sentence per fact, so the check
//! that it agrees with the spec's markdown can name each fact that differs.
use std::{collections::BTreeSet, fmt::Write as _, path::PathBuf};

use super::spec::{Column, DefaultCell, Index, OnDelete, Spec, Table};

/// Where the contract lives.
pub fn path() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/schema-contract.json"
    ))
}

/// Reads the contract; a missing or malformed file fails the test.
pub fn load() -> Spec {
    let path = path();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{} is malformed: {error}", path.display()))
}

/// The contract as written to the file: JSON, a line per migration, column and index.
pub fn render(spec: &Spec) -> String {
    let migrations: Vec<String> = spec
        .migrations
        .iter()
        .map(|m| format!("    {}", line(m)))
        .collect();
    let tables: Vec<String> = spec.tables.iter().map(render_table).collect();
    format!(
        "{{\n  \"migrations\": [\n{}\n  ],\n  \"tables\": [\n{}\n  ]\n}}\n",
        migrations.join(",\n"),
        tables.join(",\n")
    )
}

fn render_table(table: &Table) -> String {
    let items = |lines: Vec<String>| {
        if lines.is_empty() {
            "[]".to_owned()
        } else {
            format!("[\n{}\n      ]", lines.join(",\n"))
        }
    };
    let columns = table
        .columns
        .iter()
        .map(|c| format!("        {}", line(c)))
        .collect();
    let indexes = table
        .indexes
        .iter()
        .map(|i| format!("        {}", line(i)))
        .collect();
    let mut out = String::from("    {\n");
    let _ = writeln!(out, "      \"name\": {},", line(&table.name));
    let _ = writeln!(out, "      \"migration\": {},", table.migration);
    let _ = writeln!(out, "      \"primary_key\": {},", line(&table.primary_key));
    let _ = writeln!(out, "      \"columns\": {},", items(columns));
    let _ = write!(out, "      \"indexes\": {}\n    }}", items(indexes));
    out
}

/// One value as one line of JSON.
fn line<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Every fact of `spec`, one sentence each, e.g. `users.email: type TEXT`.
pub fn facts(spec: &Spec) -> BTreeSet<String> {
    let mut facts = BTreeSet::new();
    for (position, migration) in spec.migrations.iter().enumerate() {
        facts.insert(format!(
            "migration #{position}: {:04} {}",
            migration.number, migration.title
        ));
    }
    for table in &spec.tables {
        let t = &table.name;
        facts.insert(format!("{t}: table, in migration {:04}", table.migration));
        facts.insert(format!(
            "{t}: primary key ({})",
            table.primary_key.join(", ")
        ));
        let order: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
        facts.insert(format!("{t}: columns in order ({})", order.join(", ")));
        for column in &table.columns {
            column_facts(t, column, &mut facts);
        }
        for index in &table.indexes {
            facts.insert(index_fact(t, index));
        }
    }
    facts
}

fn column_facts(table: &str, column: &Column, facts: &mut BTreeSet<String>) {
    let c = format!("{table}.{}", column.name);
    facts.insert(format!("{c}: type {}", column.sql_type));
    facts.insert(format!(
        "{c}: {}{}{}",
        if column.primary_key { "PK " } else { "" },
        if column.unique { "UNIQUE " } else { "" },
        if column.not_null {
            "NOT NULL"
        } else {
            "nullable unless a rule says otherwise"
        }
    ));
    facts.insert(match &column.default {
        DefaultCell::Empty => format!("{c}: no default (empty cell)"),
        DefaultCell::Null => format!("{c}: default NULL"),
        DefaultCell::Expr(expr) => format!("{c}: default {expr}"),
    });
    facts.insert(match &column.foreign_key {
        None => format!("{c}: no foreign key"),
        Some(fk) => {
            let action = match fk.on_delete {
                OnDelete::Unspecified => "no action written",
                OnDelete::Cascade => "ON DELETE CASCADE",
                OnDelete::Restrict => "ON DELETE RESTRICT",
            };
            format!("{c}: references {}({}), {action}", fk.table, fk.column)
        }
    });
}

fn index_fact(table: &str, index: &Index) -> String {
    format!(
        "{table}: {}index {} on ({}){}",
        if index.unique { "unique " } else { "" },
        index.name,
        index.column_list().join(", "),
        index
            .predicate
            .as_ref()
            .map_or_else(String::new, |p| format!(" WHERE {p}"))
    )
}

/// The facts one side states and the other does not, as report lines.
pub fn disagreements(contract: &Spec, spec: &Spec) -> Vec<String> {
    let (ours, theirs) = (facts(contract), facts(spec));
    let mut lines: Vec<String> = theirs
        .difference(&ours)
        .map(|fact| format!("the spec says, the contract does not: {fact}"))
        .collect();
    lines.extend(
        ours.difference(&theirs)
            .map(|fact| format!("the contract says, the spec does not: {fact}")),
    );
    lines
}
