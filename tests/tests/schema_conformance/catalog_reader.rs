//! Reads the `public` schema of a PostgreSQL database into the `catalog` model: columns from
//! `information_schema.columns`, primary and foreign keys from `pg_constraint`, indexes from
//! `pg_index` (with `pg_attribute` for column names and `indoption` for DESC).

use sea_orm::{ConnectionTrait, DbBackend, DbErr, QueryResult, Statement};

use super::catalog::{Catalog, Column, ForeignKey, Index};

const COLUMNS: &str = "
    SELECT table_name::text AS table_name, column_name::text AS column_name,
           udt_name::text AS udt_name, is_nullable = 'YES' AS nullable,
           column_default::text AS column_default
    FROM information_schema.columns
    WHERE table_schema = 'public'";

/// Key and referenced columns are listed in constraint order (`WITH ORDINALITY`).
const CONSTRAINTS: &str = "
    SELECT con.conname::text AS name, con.contype::text AS kind, tc.relname::text AS table_name,
           ARRAY(SELECT a.attname::text
                 FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                 ORDER BY k.ord) AS columns,
           rc.relname::text AS referenced_table,
           ARRAY(SELECT a.attname::text
                 FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
                 ORDER BY k.ord) AS referenced_columns,
           con.confdeltype::text AS on_delete
    FROM pg_constraint con
    JOIN pg_class tc ON tc.oid = con.conrelid
    JOIN pg_namespace n ON n.oid = tc.relnamespace
    LEFT JOIN pg_class rc ON rc.oid = con.confrelid
    WHERE n.nspname = 'public' AND con.contype IN ('p', 'f')";

/// Key columns only (`indnkeyatts` leaves out INCLUDE columns); an expression column is printed
/// by `pg_get_indexdef`; bit 1 of `indoption` marks DESC.
const INDEXES: &str = "
    SELECT ic.relname::text AS name, tc.relname::text AS table_name,
           i.indisunique AS is_unique, i.indisprimary AS is_primary,
           pg_get_expr(i.indpred, i.indrelid) AS predicate,
           ARRAY(SELECT COALESCE(a.attname::text, pg_get_indexdef(i.indexrelid, k, true))
                        || CASE WHEN i.indoption[k - 1] & 1 = 1 THEN ' DESC' ELSE '' END
                 FROM generate_series(1, i.indnkeyatts) AS k
                 LEFT JOIN pg_attribute a
                        ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1]
                 ORDER BY k) AS columns
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_class tc ON tc.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = tc.relnamespace
    WHERE n.nspname = 'public'";

/// Reads the catalog of the database `db` is connected to.
pub async fn read_catalog(db: &impl ConnectionTrait) -> Result<Catalog, DbErr> {
    let mut catalog = Catalog::default();
    for row in query(db, COLUMNS).await? {
        let column = Column {
            udt_name: row.try_get("", "udt_name")?,
            nullable: row.try_get("", "nullable")?,
            default: row.try_get("", "column_default")?,
        };
        let table: String = row.try_get("", "table_name")?;
        let name: String = row.try_get("", "column_name")?;
        catalog
            .tables
            .entry(table)
            .or_default()
            .columns
            .insert(name, column);
    }
    for row in query(db, CONSTRAINTS).await? {
        let table: String = row.try_get("", "table_name")?;
        let kind: String = row.try_get("", "kind")?;
        let columns: Vec<String> = row.try_get("", "columns")?;
        let entry = catalog.tables.entry(table).or_default();
        if kind == "p" {
            entry.primary_key = Some(columns);
            continue;
        }
        let on_delete: String = row.try_get("", "on_delete")?;
        entry.foreign_keys.push(ForeignKey {
            name: row.try_get("", "name")?,
            columns,
            referenced_table: row.try_get("", "referenced_table")?,
            referenced_columns: row.try_get("", "referenced_columns")?,
            on_delete: on_delete.chars().next().unwrap_or(' '),
        });
    }
    for row in query(db, INDEXES).await? {
        let table: String = row.try_get("", "table_name")?;
        catalog
            .tables
            .entry(table)
            .or_default()
            .indexes
            .push(Index {
                name: row.try_get("", "name")?,
                unique: row.try_get("", "is_unique")?,
                primary: row.try_get("", "is_primary")?,
                columns: row.try_get("", "columns")?,
                predicate: row.try_get("", "predicate")?,
            });
    }
    Ok(catalog)
}

async fn query(db: &impl ConnectionTrait, sql: &str) -> Result<Vec<QueryResult>, DbErr> {
    db.query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
}
