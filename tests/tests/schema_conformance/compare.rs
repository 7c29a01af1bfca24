//! Compares the parsed spec with a catalog, table by table, and reports every difference as one
//! line `table.subject: expected X, found Y`. Tables, columns, indexes and constraints the spec
//! does not mention are ignored, except extra columns and extra full unique indexes on a spec
//! table, which change what the table accepts.

use std::fmt;

use super::catalog::{self, Catalog};
use super::rules::{self, BARE_FOREIGN_KEY_COUNT, Uniqueness};
use super::spec::{self, Spec};

/// The number of checks performed and the lines of those that failed.
#[derive(Debug, Default)]
pub struct Report {
    pub checks: usize,
    pub failures: Vec<String>,
}

impl Report {
    fn record(
        &mut self,
        subject: &str,
        passed: bool,
        expected: impl fmt::Display,
        found: impl fmt::Display,
    ) {
        self.checks += 1;
        if !passed {
            self.failures
                .push(format!("{subject}: expected {expected}, found {found}"));
        }
    }

    /// Records a check whose expected and found values are compared and printed as they are.
    fn expect_eq<T: PartialEq + fmt::Display>(
        &mut self,
        subject: &str,
        what: &str,
        expected: T,
        found: T,
    ) {
        let passed = expected == found;
        self.record(subject, passed, format_args!("{what} {expected}"), found);
    }

    pub fn summary(&self) -> String {
        format!(
            "schema conformance: {} checks, {} failures",
            self.checks,
            self.failures.len()
        )
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.summary())?;
        self.failures
            .iter()
            .try_for_each(|failure| writeln!(f, "  {failure}"))
    }
}

/// Compares every spec table, plus the project's rule that each bare foreign key has its index.
pub fn compare(spec: &Spec, catalog: &Catalog) -> Report {
    let mut report = Report::default();
    let bare = rules::bare_foreign_keys(spec);
    report.expect_eq(
        "spec",
        "bare foreign keys",
        BARE_FOREIGN_KEY_COUNT,
        bare.len(),
    );
    for table in &spec.tables {
        let foreign_key_indexes: Vec<spec::Index> = bare
            .iter()
            .filter(|fk| fk.table == table.name)
            .map(rules::foreign_key_index)
            .collect();
        let Some(found) = catalog.tables.get(&table.name) else {
            report.record(&table.name, false, "table", "none");
            continue;
        };
        report.record(&table.name, true, "table", "table");
        let comparison = TableComparison {
            spec: table,
            found,
            catalog,
        };
        comparison.columns(&mut report);
        comparison.primary_key(&mut report);
        for index in table.indexes.iter().chain(&foreign_key_indexes) {
            comparison.named_index(&mut report, index);
        }
        comparison.uniqueness(&mut report);
    }
    report
}

struct TableComparison<'a> {
    spec: &'a spec::Table,
    found: &'a catalog::Table,
    catalog: &'a Catalog,
}

impl TableComparison<'_> {
    fn subject(&self, name: &str) -> String {
        format!("{}.{name}", self.spec.name)
    }

    fn columns(&self, report: &mut Report) {
        for column in &self.spec.columns {
            let subject = self.subject(&column.name);
            match self.found.columns.get(&column.name) {
                Some(found) => self.column(report, &subject, column, found),
                None => report.record(&subject, false, "column", "none"),
            }
        }
        for (name, found) in &self.found.columns {
            let listed = self.spec.column(name).is_some();
            let found = format_args!("column of type {}", found.udt_name);
            report.record(
                &self.subject(name),
                listed,
                "no column the spec does not list",
                found,
            );
        }
    }

    fn column(
        &self,
        report: &mut Report,
        subject: &str,
        column: &spec::Column,
        found: &catalog::Column,
    ) {
        report.expect_eq(
            subject,
            "type",
            rules::udt_name(column.sql_type),
            found.udt_name.as_str(),
        );
        let not_null = rules::is_not_null(self.spec, column);
        report.record(
            subject,
            not_null != found.nullable,
            nullability(!not_null),
            nullability(found.nullable),
        );
        let expected = rules::expected_default(column);
        let normalised = found
            .default
            .as_deref()
            .map(|default| rules::normalise_default(default, column.sql_type));
        report.record(
            subject,
            expected == normalised,
            format_args!("default {}", expected.as_deref().unwrap_or("none")),
            found.default.as_deref().unwrap_or("no default"),
        );
        self.foreign_key(report, subject, column);
    }

    fn foreign_key(&self, report: &mut Report, subject: &str, column: &spec::Column) {
        let found = self.found.foreign_keys_on(&column.name);
        let Some(expected) = &column.foreign_key else {
            let extra = found.first().map_or_else(
                || "none".to_owned(),
                |fk| {
                    format!(
                        "foreign key to {}",
                        references(&fk.referenced_table, &fk.referenced_columns)
                    )
                },
            );
            report.record(subject, found.is_empty(), "no foreign key", extra);
            return;
        };
        let target = references(&expected.table, std::slice::from_ref(&expected.column));
        report.record(
            subject,
            found.len() == 1,
            format_args!("one foreign key to {target}"),
            format_args!("{} foreign keys", found.len()),
        );
        let [found] = found.as_slice() else {
            return;
        };
        let found_target = references(&found.referenced_table, &found.referenced_columns);
        report.expect_eq(subject, "foreign key to", target, found_target);
        let allowed = rules::allowed_delete_actions(expected.on_delete);
        let allowed_names: Vec<&str> = allowed
            .iter()
            .map(|code| rules::delete_action_name(*code))
            .collect();
        report.record(
            subject,
            allowed.contains(&found.on_delete),
            format_args!("ON DELETE {}", allowed_names.join(" or ")),
            format_args!("ON DELETE {}", rules::delete_action_name(found.on_delete)),
        );
    }

    fn primary_key(&self, report: &mut Report) {
        let expected = (!self.spec.primary_key.is_empty()).then(|| list(&self.spec.primary_key));
        let found = self.found.primary_key.as_deref().map(list);
        report.expect_eq(
            &self.subject("PRIMARY KEY"),
            "columns",
            expected.unwrap_or_else(|| "none".to_owned()),
            found.unwrap_or_else(|| "none".to_owned()),
        );
    }

    fn named_index(&self, report: &mut Report, index: &spec::Index) {
        let subject = self.subject(&index.name);
        let expected_columns = list(&index.column_list());
        let Some((table, found)) = self.catalog.find_index(&index.name) else {
            report.record(
                &subject,
                false,
                format_args!("index on {expected_columns}"),
                "none",
            );
            return;
        };
        report.record(&subject, true, "index", "index");
        report.expect_eq(&subject, "index on table", self.spec.name.as_str(), table);
        report.record(
            &subject,
            index.unique == found.unique,
            uniqueness(index.unique),
            uniqueness(found.unique),
        );
        report.expect_eq(&subject, "columns", expected_columns, list(&found.columns));
        let expected = index.predicate.as_deref().map(rules::normalise_predicate);
        let normalised = found.predicate.as_deref().map(rules::normalise_predicate);
        report.record(
            &subject,
            expected == normalised,
            predicate(index.predicate.as_deref()),
            predicate(found.predicate.as_deref()),
        );
    }

    /// Each required uniqueness is met by exactly one full unique index (the named one, when the
    /// spec names it), and no other full unique index narrows the table.
    fn uniqueness(&self, report: &mut Report) {
        let requirements = rules::uniqueness_requirements(self.spec);
        for requirement in &requirements {
            self.unique_structure(report, requirement);
        }
        for index in self.found.full_unique_indexes() {
            let required = requirements.iter().any(|r| r.columns == index.columns);
            let found = format_args!("UNIQUE on {}", list(&index.columns));
            report.record(
                &self.subject(&index.name),
                required,
                "no unique index the spec does not ask for",
                found,
            );
        }
    }

    fn unique_structure(&self, report: &mut Report, requirement: &Uniqueness) {
        let subject = self.subject(&requirement.subject);
        let columns = list(&requirement.columns);
        let mut names: Vec<&str> = self
            .found
            .full_unique_indexes()
            .filter(|index| index.columns == requirement.columns)
            .map(|index| index.name.as_str())
            .collect();
        names.sort_unstable();
        report.record(
            &subject,
            !names.is_empty(),
            format_args!("unique on {columns}"),
            "no unique constraint or index",
        );
        if names.is_empty() {
            return;
        }
        let (passed, expected) = match &requirement.name {
            Some(name) => (
                names == [name.as_str()],
                format!("unique only through {name}"),
            ),
            None => (
                names.len() == 1,
                "one unique constraint or index".to_owned(),
            ),
        };
        report.record(
            &subject,
            passed,
            expected,
            format_args!("unique through {}", names.join(", ")),
        );
    }
}

fn list(items: &[String]) -> String {
    format!("({})", items.join(", "))
}

fn references(table: &str, columns: &[String]) -> String {
    format!("{table}{}", list(columns))
}

fn nullability(nullable: bool) -> &'static str {
    if nullable { "nullable" } else { "NOT NULL" }
}

fn uniqueness(unique: bool) -> &'static str {
    if unique { "UNIQUE" } else { "non-unique" }
}

fn predicate(text: Option<&str>) -> String {
    text.map_or_else(|| "no WHERE".to_owned(), |text| format!("WHERE {text}"))
}
