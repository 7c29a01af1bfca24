//! Parses `database-schema.md` into the `spec` model: headings, table sections, index lists and
//! primary-key lines (one row of a column table is read by `spec_columns.rs`).
//!
//! The parser is strict inside a table section: a row, constraint, type or bullet it does not
//! understand is an error naming the line, so a reformatted spec fails the test loudly instead of
//! quietly checking less. Outside `# Migration` sections (the preamble, the conventions) headings
//! and prose are ignored.

use std::fmt;

use regex::Regex;

use super::spec::{Index, IndexColumn, Migration, Spec, Table};
use super::spec_columns;

/// Where and why the spec could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line number, when the error belongs to one line.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

const COLUMN_TABLE_HEADER: [&str; 5] = ["Column", "Type", "Constraints", "Default", "Notes"];

/// The line shapes the spec uses; the methods read one line (or cell) each.
struct Parser {
    migration: Regex,
    index: Regex,
    pk_bullet: Regex,
    pk_line: Regex,
    index_column: Regex,
}

/// Where the parser is inside a table section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// After `## name`, before the column table: prose describing the table.
    Description,
    /// The header row has been read; the separator row comes next.
    Header,
    Rows,
    Indexes,
}

/// A table section being read.
struct OpenTable {
    table: Table,
    section: Section,
    composite_key: Option<Vec<String>>,
    first_line: usize,
}

/// Parses the spec markdown.
pub fn parse(markdown: &str) -> Result<Spec, ParseError> {
    let parser = Parser::new();
    let mut spec = Spec {
        migrations: Vec::new(),
        tables: Vec::new(),
    };
    let mut migration: Option<u32> = None;
    let mut open: Option<OpenTable> = None;
    for (index, raw_line) in markdown.lines().enumerate() {
        let line_number = index + 1;
        let line = raw_line.trim_end();
        let fail = |message: String| ParseError {
            line: Some(line_number),
            message,
        };
        let heading_level = line.chars().take_while(|c| *c == '#').count();
        let is_heading = heading_level > 0 && line[heading_level..].starts_with(' ');
        if (is_heading || line == "---")
            && let Some(finished) = open.take()
        {
            spec.tables.push(finished.finish()?);
        }
        if is_heading && heading_level == 1 {
            let heading = parser.migration_heading(line).map_err(fail)?;
            migration = heading.as_ref().map(|found| found.number);
            spec.migrations.extend(heading);
        } else if is_heading && heading_level == 2 {
            if let Some(number) = migration {
                open = Some(parser.open_table(line, number, line_number).map_err(fail)?);
            }
        } else if let Some(current) = open.as_mut() {
            if is_heading {
                return Err(fail(format!("unexpected heading in table section: {line}")));
            }
            parser.table_line(current, line).map_err(fail)?;
        }
    }
    if let Some(finished) = open.take() {
        spec.tables.push(finished.finish()?);
    }
    check_references(&spec)?;
    Ok(spec)
}

impl Parser {
    fn new() -> Self {
        let compile = |pattern: &str| Regex::new(pattern).expect("valid pattern");
        Self {
            migration: compile(r"^# Migration (\d+): (.+)$"),
            index: compile(r"^- `([a-z0-9_]+)` (?:(UNIQUE) )?on \(([^)]*)\)(?: WHERE (.+))?$"),
            pk_bullet: compile(r"^- PK on \(([^)]*)\)$"),
            pk_line: compile(r"^\*\*PK:\*\* \(([^)]*)\)$"),
            index_column: compile(r"^([a-z_][a-z0-9_]*)(?: (ASC|DESC))?$"),
        }
    }

    /// `# Migration 0001: Auth`; any other top-level heading ends the migrations (`None`).
    fn migration_heading(&self, line: &str) -> Result<Option<Migration>, String> {
        let Some(captures) = self.migration.captures(line) else {
            return Ok(None);
        };
        let number = captures[1]
            .parse()
            .map_err(|error| format!("bad migration number in {line}: {error}"))?;
        Ok(Some(Migration {
            number,
            title: captures[2].to_owned(),
        }))
    }

    fn open_table(
        &self,
        line: &str,
        migration: u32,
        first_line: usize,
    ) -> Result<OpenTable, String> {
        let name = line.trim_start_matches("## ").trim();
        spec_columns::check_identifier(name, "table name")?;
        Ok(OpenTable {
            table: Table {
                name: name.to_owned(),
                migration,
                columns: Vec::new(),
                primary_key: Vec::new(),
                indexes: Vec::new(),
            },
            section: Section::Description,
            composite_key: None,
            first_line,
        })
    }

    fn table_line(&self, open: &mut OpenTable, line: &str) -> Result<(), String> {
        if line.is_empty() {
            return Ok(());
        }
        if line.starts_with('|') {
            return self.table_row(open, line);
        }
        if line == "**Indexes:**" {
            open.section = Section::Indexes;
            return Ok(());
        }
        if let Some(captures) = self.pk_line.captures(line) {
            return self.composite_key(open, &captures[1]);
        }
        if open.section == Section::Indexes && line.starts_with("- ") {
            return self.index_bullet(open, line);
        }
        if open.section == Section::Description && open.table.columns.is_empty() {
            return Ok(());
        }
        Err(format!(
            "unrecognised line in table {}: {line}",
            open.table.name
        ))
    }

    fn table_row(&self, open: &mut OpenTable, line: &str) -> Result<(), String> {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        match open.section {
            Section::Description => {
                if cells != COLUMN_TABLE_HEADER {
                    return Err(format!(
                        "expected header {COLUMN_TABLE_HEADER:?}, found {cells:?}"
                    ));
                }
                open.section = Section::Header;
            }
            Section::Header => {
                if cells.len() != COLUMN_TABLE_HEADER.len()
                    || !cells
                        .iter()
                        .all(|cell| !cell.is_empty() && cell.chars().all(|c| c == '-'))
                {
                    return Err(format!("expected a separator row, found {line}"));
                }
                open.section = Section::Rows;
            }
            Section::Rows => open.table.columns.push(spec_columns::parse_row(&cells)?),
            Section::Indexes => return Err(format!("table row after the index list: {line}")),
        }
        Ok(())
    }

    fn index_bullet(&self, open: &mut OpenTable, line: &str) -> Result<(), String> {
        if let Some(captures) = self.pk_bullet.captures(line) {
            return self.composite_key(open, &captures[1]);
        }
        let captures = self
            .index
            .captures(line)
            .ok_or_else(|| format!("unrecognised index bullet: {line}"))?;
        let columns = self.index_columns(&captures[3])?;
        let index = Index {
            name: captures[1].to_owned(),
            unique: captures.get(2).is_some(),
            columns,
            predicate: captures.get(4).map(|m| m.as_str().trim().to_owned()),
        };
        if open.table.index(&index.name).is_some() {
            return Err(format!("index {} listed twice", index.name));
        }
        open.table.indexes.push(index);
        Ok(())
    }

    fn composite_key(&self, open: &mut OpenTable, list: &str) -> Result<(), String> {
        if open.composite_key.is_some() {
            return Err(format!("second primary key for {}", open.table.name));
        }
        let columns = self.index_columns(list)?;
        if let Some(descending) = columns.iter().find(|column| column.descending) {
            return Err(format!("DESC in a primary key: {}", descending.name));
        }
        open.composite_key = Some(columns.into_iter().map(|column| column.name).collect());
        Ok(())
    }

    fn index_columns(&self, list: &str) -> Result<Vec<IndexColumn>, String> {
        list.split(',')
            .map(|entry| {
                let entry = entry.trim();
                let captures = self
                    .index_column
                    .captures(entry)
                    .ok_or_else(|| format!("bad column `{entry}` in ({list})"))?;
                Ok(IndexColumn {
                    name: captures[1].to_owned(),
                    descending: captures.get(2).is_some_and(|m| m.as_str() == "DESC"),
                })
            })
            .collect()
    }
}

impl OpenTable {
    /// Resolves the primary key and checks that every listed column exists in the table.
    fn finish(self) -> Result<Table, ParseError> {
        let fail = |message: String| ParseError {
            line: Some(self.first_line),
            message,
        };
        let mut table = self.table;
        if table.columns.is_empty() {
            return Err(fail(format!("table {} has no columns", table.name)));
        }
        let marked: Vec<String> = table
            .columns
            .iter()
            .filter(|column| column.primary_key)
            .map(|column| column.name.clone())
            .collect();
        table.primary_key = match (marked.is_empty(), self.composite_key) {
            (_, None) => marked,
            (true, Some(composite)) => composite,
            (false, Some(_)) => {
                return Err(fail(format!(
                    "{} has both PK columns and a PK list",
                    table.name
                )));
            }
        };
        let listed = table.primary_key.iter().chain(
            table
                .indexes
                .iter()
                .flat_map(|index| index.columns.iter().map(|c| &c.name)),
        );
        for name in listed {
            if table.column(name).is_none() {
                return Err(fail(format!(
                    "{}.{name} is listed but not a column",
                    table.name
                )));
            }
        }
        Ok(table)
    }
}

/// Every foreign key must point at a column of a table the spec defines.
fn check_references(spec: &Spec) -> Result<(), ParseError> {
    for table in &spec.tables {
        for column in &table.columns {
            let Some(fk) = &column.foreign_key else {
                continue;
            };
            let target_exists = spec
                .table(&fk.table)
                .is_some_and(|target| target.column(&fk.column).is_some());
            if !target_exists {
                return Err(ParseError {
                    line: None,
                    message: format!(
                        "{}.{} references {}({}), which the spec does not define",
                        table.name, column.name, fk.table, fk.column
                    ),
                });
            }
        }
    }
    Ok(())
}
