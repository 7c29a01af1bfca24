//! Reads one row of a spec column table, `| name | TYPE | constraints | default | notes |`,
//! strictly: an unknown type or constraint token is an error, never skipped. The Notes cell is
//! prose and is not read (e.g. "FK to skill_definitions.key" there is not a constraint).

use std::sync::LazyLock;

use regex::Regex;

use super::spec::{Column, DefaultCell, ForeignKey, OnDelete, SqlType};

/// `users(id)` after `FK`.
static FOREIGN_KEY_TARGET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([a-z_][a-z0-9_]*)\(([a-z_][a-z0-9_]*)\)$").expect("valid pattern")
});

/// A lower-case SQL identifier, as the spec writes every table and column name.
pub fn check_identifier(text: &str, what: &str) -> Result<(), String> {
    let mut chars = text.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    if first_ok && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        Ok(())
    } else {
        Err(format!("bad {what} `{text}`"))
    }
}

/// The trimmed cells of one row.
pub fn parse_row(cells: &[&str]) -> Result<Column, String> {
    let [name, sql_type, constraints, default, _notes] = cells else {
        return Err(format!(
            "expected 5 cells, found {}: {cells:?}",
            cells.len()
        ));
    };
    check_identifier(name, "column name")?;
    let sql_type =
        SqlType::from_spec(sql_type).ok_or_else(|| format!("unknown type `{sql_type}`"))?;
    let mut column = Column {
        name: (*name).to_owned(),
        sql_type,
        primary_key: false,
        unique: false,
        not_null: false,
        foreign_key: None,
        default: match *default {
            "" => DefaultCell::Empty,
            "NULL" => DefaultCell::Null,
            expr => DefaultCell::Expr(expr.to_owned()),
        },
    };
    parse_constraints(&mut column, constraints)?;
    Ok(column)
}

/// `PK`, `UNIQUE NOT NULL`, `FK users(id) CASCADE UNIQUE`, …; each at most once.
fn parse_constraints(column: &mut Column, cell: &str) -> Result<(), String> {
    let mut tokens = cell.split_whitespace();
    let mut seen: Vec<&str> = Vec::new();
    while let Some(token) = tokens.next() {
        if seen.contains(&token) {
            return Err(format!("`{token}` repeated in `{cell}`"));
        }
        seen.push(token);
        match token {
            "PK" => column.primary_key = true,
            "UNIQUE" => column.unique = true,
            "NOT" if tokens.next() == Some("NULL") => column.not_null = true,
            "FK" => {
                let target = tokens.next().unwrap_or_default();
                let captures = FOREIGN_KEY_TARGET
                    .captures(target)
                    .ok_or_else(|| format!("bad foreign key target `{target}` in `{cell}`"))?;
                column.foreign_key = Some(ForeignKey {
                    table: captures[1].to_owned(),
                    column: captures[2].to_owned(),
                    on_delete: OnDelete::Unspecified,
                });
            }
            "CASCADE" | "RESTRICT" => {
                let foreign_key = column
                    .foreign_key
                    .as_mut()
                    .filter(|fk| fk.on_delete == OnDelete::Unspecified)
                    .ok_or_else(|| format!("`{token}` without a foreign key in `{cell}`"))?;
                foreign_key.on_delete = if token == "CASCADE" {
                    OnDelete::Cascade
                } else {
                    OnDelete::Restrict
                };
            }
            _ => return Err(format!("unknown constraint `{token}` in `{cell}`")),
        }
    }
    Ok(())
}
