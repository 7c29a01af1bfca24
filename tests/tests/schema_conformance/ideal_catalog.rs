//! The catalog a perfectly conforming migration would produce, printed the way PostgreSQL prints
//! it (`'user'::text`, `(status = 'active'::text)`, `<table>_pkey`, `<table>_<column>_key`). The
//! self-tests compare it with the spec (no failures expected), then alter it and check that the
//! comparison reports each alteration.

use super::catalog::{self, Catalog};
use super::rules;
use super::spec::{self, DefaultCell, OnDelete, Spec, SqlType};

pub fn ideal_catalog(spec: &Spec) -> Catalog {
    let mut catalog = Catalog::default();
    for table in &spec.tables {
        catalog
            .tables
            .insert(table.name.clone(), ideal_table(table));
    }
    for foreign_key in rules::bare_foreign_keys(spec) {
        let index = printed_index(&rules::foreign_key_index(&foreign_key));
        if let Some(table) = catalog.tables.get_mut(&foreign_key.table) {
            table.indexes.push(index);
        }
    }
    catalog
}

fn ideal_table(table: &spec::Table) -> catalog::Table {
    let mut printed = catalog::Table {
        primary_key: Some(table.primary_key.clone()),
        ..catalog::Table::default()
    };
    printed.indexes.push(catalog::Index {
        name: format!("{}_pkey", table.name),
        unique: true,
        primary: true,
        columns: table.primary_key.clone(),
        predicate: None,
    });
    for column in &table.columns {
        let printed_column = catalog::Column {
            udt_name: rules::udt_name(column.sql_type).to_owned(),
            nullable: !rules::is_not_null(table, column),
            default: printed_default(&column.default, column.sql_type),
        };
        printed.columns.insert(column.name.clone(), printed_column);
        if let Some(fk) = &column.foreign_key {
            printed.foreign_keys.push(catalog::ForeignKey {
                name: format!("{}_{}_fkey", table.name, column.name),
                columns: vec![column.name.clone()],
                referenced_table: fk.table.clone(),
                referenced_columns: vec![fk.column.clone()],
                on_delete: if fk.on_delete == OnDelete::Cascade {
                    'c'
                } else {
                    'r'
                },
            });
        }
    }
    for requirement in rules::uniqueness_requirements(table) {
        if requirement.name.is_none() {
            printed.indexes.push(catalog::Index {
                name: format!("{}_{}_key", table.name, requirement.columns.join("_")),
                unique: true,
                primary: false,
                columns: requirement.columns,
                predicate: None,
            });
        }
    }
    printed
        .indexes
        .extend(table.indexes.iter().map(printed_index));
    printed
}

/// A spec index as `pg_index` shows it: the predicate parenthesised, literals cast to text.
pub fn printed_index(index: &spec::Index) -> catalog::Index {
    catalog::Index {
        name: index.name.clone(),
        unique: index.unique,
        primary: false,
        columns: index.column_list(),
        predicate: index.predicate.as_ref().map(|predicate| {
            let cast = regex::Regex::new("'[^']*'").expect("valid pattern");
            format!("({})", cast.replace_all(predicate, "${0}::text"))
        }),
    }
}

/// A default as `column_default` shows it: functions in lower case, literals cast to the type.
fn printed_default(default: &DefaultCell, sql_type: SqlType) -> Option<String> {
    let DefaultCell::Expr(expr) = default else {
        return None;
    };
    Some(if expr.starts_with('\'') {
        format!("{expr}::{}", rules::cast_name(sql_type))
    } else {
        expr.to_lowercase()
    })
}
