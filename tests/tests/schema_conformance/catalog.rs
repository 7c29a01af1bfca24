//! What PostgreSQL reports about a migrated schema, as plain data: the comparison reads only this
//! model, so it can be run (and proven non-vacuous) on a hand-altered catalog without a database.
//! `catalog_reader.rs` fills it from `information_schema` and `pg_catalog`.

use std::collections::BTreeMap;

/// The tables of the `public` schema by name.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub tables: BTreeMap<String, Table>,
}

#[derive(Debug, Clone, Default)]
pub struct Table {
    pub columns: BTreeMap<String, Column>,
    /// Columns of the `contype = 'p'` constraint, in key order.
    pub primary_key: Option<Vec<String>>,
    pub foreign_keys: Vec<ForeignKey>,
    /// Every index, including those backing the primary key and unique constraints (a unique
    /// constraint always has an index of the same name).
    pub indexes: Vec<Index>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// `information_schema.columns.udt_name`, e.g. `int4`, `_text`.
    pub udt_name: String,
    pub nullable: bool,
    /// `information_schema.columns.column_default` as PostgreSQL prints it.
    pub default: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    pub name: String,
    pub columns: Vec<String>,
    pub referenced_table: String,
    pub referenced_columns: Vec<String>,
    /// `pg_constraint.confdeltype`: `a` no action, `r` restrict, `c` cascade, `n` set null,
    /// `d` set default.
    pub on_delete: char,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    pub name: String,
    pub unique: bool,
    pub primary: bool,
    /// Key columns in order, a descending one as `created_at DESC`.
    pub columns: Vec<String>,
    /// The partial-index predicate as PostgreSQL prints it, e.g. `(status = 'active'::text)`.
    pub predicate: Option<String>,
}

impl Catalog {
    /// Index names are unique per schema; returns the owning table's name with the index.
    pub fn find_index(&self, name: &str) -> Option<(&str, &Index)> {
        self.tables.iter().find_map(|(table_name, table)| {
            table
                .indexes
                .iter()
                .find(|index| index.name == name)
                .map(|index| (table_name.as_str(), index))
        })
    }
}

impl Table {
    /// The foreign keys whose column list is exactly `[column]`.
    pub fn foreign_keys_on(&self, column: &str) -> Vec<&ForeignKey> {
        self.foreign_keys
            .iter()
            .filter(|fk| fk.columns.len() == 1 && fk.columns[0] == column)
            .collect()
    }

    /// Unique, non-primary, non-partial indexes: the structures that make columns unique.
    pub fn full_unique_indexes(&self) -> impl Iterator<Item = &Index> {
        self.indexes
            .iter()
            .filter(|index| index.unique && !index.primary && index.predicate.is_none())
    }
}
