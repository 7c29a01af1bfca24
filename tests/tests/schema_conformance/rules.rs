//! What the spec means for PostgreSQL: the type mapping, the nullability and foreign-key rules of
//! DESIGN.md § Decisions, the project's index-every-bare-foreign-key rule, and the normalisation
//! that lets a default or predicate as PostgreSQL prints it (`'user'::text`,
//! `(status = 'active'::text)`) be compared with the spec's text (`'user'`, `status = 'active'`).

use super::spec::{Column, DefaultCell, Index, IndexColumn, OnDelete, Spec, SqlType, Table};

/// DESIGN.md § Backends: "The spec leaves 18 foreign keys without an index".
pub const BARE_FOREIGN_KEY_COUNT: usize = 18;

/// `information_schema.columns.udt_name` for a spec type.
pub fn udt_name(sql_type: SqlType) -> &'static str {
    match sql_type {
        SqlType::Uuid => "uuid",
        SqlType::Text => "text",
        SqlType::Timestamptz => "timestamptz",
        SqlType::Jsonb => "jsonb",
        SqlType::Integer => "int4",
        SqlType::Bigint => "int8",
        SqlType::Boolean => "bool",
        SqlType::Date => "date",
        SqlType::TextArray => "_text",
        SqlType::IntegerArray => "_int4",
    }
}

/// The type as PostgreSQL spells it in a cast inside a default (`format_type`).
pub fn cast_name(sql_type: SqlType) -> &'static str {
    match sql_type {
        SqlType::Uuid => "uuid",
        SqlType::Text => "text",
        SqlType::Timestamptz => "timestamp with time zone",
        SqlType::Jsonb => "jsonb",
        SqlType::Integer => "integer",
        SqlType::Bigint => "bigint",
        SqlType::Boolean => "boolean",
        SqlType::Date => "date",
        SqlType::TextArray => "text[]",
        SqlType::IntegerArray => "integer[]",
    }
}

/// NOT NULL when written, for primary-key columns (single or composite), and for a foreign key
/// whose Default cell is empty; otherwise nullable, even with a default.
pub fn is_not_null(table: &Table, column: &Column) -> bool {
    column.not_null
        || table.primary_key.contains(&column.name)
        || (column.foreign_key.is_some() && column.default == DefaultCell::Empty)
}

/// The column's default in normalised form; `None` for an empty cell or `NULL`.
pub fn expected_default(column: &Column) -> Option<String> {
    match &column.default {
        DefaultCell::Empty | DefaultCell::Null => None,
        DefaultCell::Expr(expr) => Some(normalise_default(expr, column.sql_type)),
    }
}

/// Normalises a default expression: drops one trailing cast to the column's own type
/// (`'[]'::jsonb` → `'[]'`, but `'[]'::json` stays as it is), lowercases everything outside
/// string literals (`NOW()` → `now()`), reads `CURRENT_TIMESTAMP` as `now()`, which
/// PostgreSQL documents as the same function, and unquotes a number (PostgreSQL prints a negative
/// integer default as `'-1'::integer`).
pub fn normalise_default(expr: &str, sql_type: SqlType) -> String {
    let lowered = lowercase_outside_literals(expr.trim());
    let own_cast = format!("::{}", cast_name(sql_type));
    let uncast = lowered.strip_suffix(&own_cast).unwrap_or(&lowered);
    let quoted_number = uncast
        .strip_prefix('\'')
        .and_then(|rest| rest.strip_suffix('\''))
        .filter(|inner| inner.parse::<i64>().is_ok());
    match (uncast, quoted_number) {
        (_, Some(number)) if matches!(sql_type, SqlType::Integer | SqlType::Bigint) => {
            number.to_owned()
        }
        ("current_timestamp", _) => "now()".to_owned(),
        (other, _) => other.to_owned(),
    }
}

/// Normalises a partial-index predicate: strips wrapping parentheses and the `::text` PostgreSQL
/// adds after a string literal, collapses whitespace and lowercases outside literals, so
/// `(status = 'active'::text)` and `status = 'active'` agree.
pub fn normalise_predicate(predicate: &str) -> String {
    let mut text = predicate.split_whitespace().collect::<Vec<_>>().join(" ");
    while let Some(inner) = strip_wrapping_parens(&text) {
        text = inner.to_owned();
    }
    lowercase_outside_literals(&text.replace("'::text", "'"))
}

/// `pg_constraint.confdeltype` values the spec's delete action allows: CASCADE when written,
/// otherwise RESTRICT (`r`) or the default NO ACTION (`a`), never CASCADE or SET NULL.
pub fn allowed_delete_actions(on_delete: OnDelete) -> &'static [char] {
    match on_delete {
        OnDelete::Cascade => &['c'],
        OnDelete::Restrict => &['r'],
        OnDelete::Unspecified => &['r', 'a'],
    }
}

/// Names a `pg_constraint.confdeltype` code.
pub fn delete_action_name(code: char) -> &'static str {
    match code {
        'a' => "NO ACTION",
        'r' => "RESTRICT",
        'c' => "CASCADE",
        'n' => "SET NULL",
        'd' => "SET DEFAULT",
        _ => "unknown",
    }
}

/// A foreign key of the spec: table and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKeyColumn {
    pub table: String,
    pub column: String,
}

/// The spec's foreign keys that nothing indexes: no primary key, UNIQUE mark or full (non-partial)
/// named index leads with the column.
pub fn bare_foreign_keys(spec: &Spec) -> Vec<ForeignKeyColumn> {
    spec.tables
        .iter()
        .flat_map(|table| {
            table
                .columns
                .iter()
                .filter(|column| column.foreign_key.is_some() && !is_indexed(table, column))
                .map(|column| ForeignKeyColumn {
                    table: table.name.clone(),
                    column: column.name.clone(),
                })
        })
        .collect()
}

fn is_indexed(table: &Table, column: &Column) -> bool {
    let leads = |name: Option<&str>| name == Some(column.name.as_str());
    column.unique
        || leads(table.primary_key.first().map(String::as_str))
        || table
            .indexes
            .iter()
            .any(|index| index.predicate.is_none() && leads(index.leading_column()))
}

/// The index the project's own migration adds for a bare foreign key: `<table>_<column>_idx`,
/// plain, on (column).
pub fn foreign_key_index(foreign_key: &ForeignKeyColumn) -> Index {
    Index {
        name: format!("{}_{}_idx", foreign_key.table, foreign_key.column),
        unique: false,
        columns: vec![IndexColumn {
            name: foreign_key.column.clone(),
            descending: false,
        }],
        predicate: None,
    }
}

/// A uniqueness the spec asks for: the columns a full unique index must cover exactly, and the
/// index name when the spec names one (it must then be the only unique index on them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uniqueness {
    /// What a failure is reported against: the UNIQUE column, or the named index.
    pub subject: String,
    pub columns: Vec<String>,
    pub name: Option<String>,
}

/// Each UNIQUE column (named after the unique index on exactly that column, if the spec lists
/// one: DESIGN.md says it then gets just that index) and each other non-partial unique index.
pub fn uniqueness_requirements(table: &Table) -> Vec<Uniqueness> {
    let full_unique: Vec<&Index> = table
        .indexes
        .iter()
        .filter(|index| index.unique && index.predicate.is_none())
        .collect();
    let mut requirements: Vec<Uniqueness> = table
        .columns
        .iter()
        .filter(|column| column.unique)
        .map(|column| {
            let columns = vec![column.name.clone()];
            let name = full_unique
                .iter()
                .find(|index| index.column_list() == columns)
                .map(|index| index.name.clone());
            Uniqueness {
                subject: column.name.clone(),
                columns,
                name,
            }
        })
        .collect();
    for index in full_unique {
        let columns = index.column_list();
        if !requirements.iter().any(|seen| seen.columns == columns) {
            requirements.push(Uniqueness {
                subject: index.name.clone(),
                columns,
                name: Some(index.name.clone()),
            });
        }
    }
    requirements
}

fn strip_wrapping_parens(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('(')?.strip_suffix(')')?;
    let mut depth = 0_i32;
    for c in inner.chars() {
        depth += match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        };
        if depth < 0 {
            return None;
        }
    }
    (depth == 0).then_some(inner.trim())
}

fn lowercase_outside_literals(text: &str) -> String {
    let mut in_literal = false;
    text.chars()
        .map(|c| {
            if c == '\'' {
                in_literal = !in_literal;
            }
            if in_literal {
                c
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}
