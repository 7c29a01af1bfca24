//! The model of the database contract: migrations, tables, columns, keys and indexes, the
//! facts the spec writes. It is kept in the repo as `docs/schema-contract.json`
//! (`contract.rs`); `spec_parser.rs` reads the same facts from the spec's markdown, for the
//! one test that checks the two agree; `rules.rs` turns them into expectations about
//! PostgreSQL.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The whole spec: its migrations in order and every table they create.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spec {
    pub migrations: Vec<Migration>,
    pub tables: Vec<Table>,
}

/// A `# Migration 0001: Auth` heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Migration {
    pub number: u32,
    pub title: String,
}

/// A `## <table>` section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    /// Number of the migration whose heading the table sits under.
    pub migration: u32,
    pub columns: Vec<Column>,
    /// The columns marked `PK`, or the list of a `**PK:**` line / `- PK on (…)` bullet.
    pub primary_key: Vec<String>,
    /// The named indexes of the `**Indexes:**` list.
    pub indexes: Vec<Index>,
}

/// One row of a table's `| Column | Type | Constraints | Default | Notes |` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    pub sql_type: SqlType,
    /// `PK` in the Constraints cell.
    pub primary_key: bool,
    /// `UNIQUE` in the Constraints cell.
    pub unique: bool,
    /// `NOT NULL` in the Constraints cell.
    pub not_null: bool,
    /// `FK table(column) [CASCADE|RESTRICT]` in the Constraints cell.
    pub foreign_key: Option<ForeignKey>,
    pub default: DefaultCell,
}

/// The types the spec uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SqlType {
    #[serde(rename = "UUID")]
    Uuid,
    #[serde(rename = "TEXT")]
    Text,
    #[serde(rename = "TIMESTAMPTZ")]
    Timestamptz,
    #[serde(rename = "JSONB")]
    Jsonb,
    #[serde(rename = "INTEGER")]
    Integer,
    #[serde(rename = "BIGINT")]
    Bigint,
    #[serde(rename = "BOOLEAN")]
    Boolean,
    #[serde(rename = "DATE")]
    Date,
    #[serde(rename = "TEXT[]")]
    TextArray,
    #[serde(rename = "INTEGER[]")]
    IntegerArray,
}

impl SqlType {
    const ALL: [(SqlType, &'static str); 10] = [
        (SqlType::Uuid, "UUID"),
        (SqlType::Text, "TEXT"),
        (SqlType::Timestamptz, "TIMESTAMPTZ"),
        (SqlType::Jsonb, "JSONB"),
        (SqlType::Integer, "INTEGER"),
        (SqlType::Bigint, "BIGINT"),
        (SqlType::Boolean, "BOOLEAN"),
        (SqlType::Date, "DATE"),
        (SqlType::TextArray, "TEXT[]"),
        (SqlType::IntegerArray, "INTEGER[]"),
    ];

    /// The type written in a Type cell, e.g. `TEXT[]`.
    pub fn from_spec(cell: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(_, spelling)| *spelling == cell)
            .map(|(sql_type, _)| *sql_type)
    }
}

impl fmt::Display for SqlType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let spelling = Self::ALL
            .iter()
            .find(|(sql_type, _)| sql_type == self)
            .map_or("?", |(_, spelling)| spelling);
        f.write_str(spelling)
    }
}

/// A Default cell. An empty cell and `NULL` both mean "no default", but the nullability rule
/// tells them apart for foreign keys (DESIGN.md § Decisions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DefaultCell {
    Empty,
    Null,
    Expr(String),
}

/// `FK users(id) CASCADE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub table: String,
    pub column: String,
    pub on_delete: OnDelete,
}

/// The delete action written after a foreign key, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OnDelete {
    Unspecified,
    Cascade,
    Restrict,
}

/// ``- `audit_log_created_at_idx` on (created_at DESC)``.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    pub unique: bool,
    pub columns: Vec<IndexColumn>,
    /// The text after `WHERE`, as written.
    pub predicate: Option<String>,
}

/// One entry of an index's column list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexColumn {
    pub name: String,
    pub descending: bool,
}

impl fmt::Display for IndexColumn {
    /// `created_at DESC`, the form the catalog reader reports too.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if self.descending {
            f.write_str(" DESC")?;
        }
        Ok(())
    }
}

impl Spec {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|table| table.name == name)
    }
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|column| column.name == name)
    }

    pub fn index(&self, name: &str) -> Option<&Index> {
        self.indexes.iter().find(|index| index.name == name)
    }
}

impl Index {
    /// The column list rendered as the catalog reports it, e.g. `created_at DESC`.
    pub fn column_list(&self) -> Vec<String> {
        self.columns.iter().map(ToString::to_string).collect()
    }

    pub fn leading_column(&self) -> Option<&str> {
        self.columns.first().map(|column| column.name.as_str())
    }
}
