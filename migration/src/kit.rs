//! Building blocks shared by the migrations: column types, keys, defaults and indexes, each
//! rendered exactly as the spec writes it on PostgreSQL and in the closest form on SQLite.
//!
//! Where the backends differ:
//! - `gen_random_uuid()` defaults exist on PostgreSQL only (on SQLite the application makes UUIDs);
//! - `NOW()` defaults become an RFC 3339 UTC text on SQLite (the format sqlx writes), so rows
//!   defaulted by the database sort and decode like rows written by the application;
//! - `TEXT[]` / `INTEGER[]` columns are real arrays on PostgreSQL and JSON text on SQLite;
//! - the other types are sea-query's own renderings (`uuid_text`, `jsonb_text`, …) on SQLite.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

/// A `UUID` column, nullable unless told otherwise.
pub fn uuid(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).uuid().to_owned()
}

/// A `TEXT` column, nullable unless told otherwise.
pub fn text(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).text().to_owned()
}

/// An `INTEGER` column, nullable unless told otherwise.
pub fn integer(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).integer().to_owned()
}

/// A `BIGINT` column, nullable unless told otherwise.
pub fn bigint(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).big_integer().to_owned()
}

/// A `BOOLEAN` column, nullable unless told otherwise.
pub fn boolean(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).boolean().to_owned()
}

/// A `DATE` column, nullable unless told otherwise.
pub fn date(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).date().to_owned()
}

/// A `JSONB` column, nullable unless told otherwise.
pub fn jsonb(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).json_binary().to_owned()
}

/// A `TIMESTAMPTZ` column, nullable unless told otherwise.
pub fn timestamptz(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).timestamp_with_time_zone().to_owned()
}

/// An index column sorted descending, e.g. `(created_at DESC)`.
pub fn desc(name: &'static str) -> IndexColumn {
    (name, IndexOrder::Desc).into()
}

/// One table of a migration: its columns, keys and named indexes, created together.
pub struct TableDef<'a, 'c> {
    manager: &'a SchemaManager<'c>,
    name: &'static str,
    table: TableCreateStatement,
    indexes: Vec<IndexCreateStatement>,
}

/// Starts declaring table `name` for the manager's backend.
pub fn table<'a, 'c>(manager: &'a SchemaManager<'c>, name: &'static str) -> TableDef<'a, 'c> {
    TableDef {
        manager,
        name,
        table: Table::create().table(name).to_owned(),
        indexes: Vec::new(),
    }
}

impl TableDef<'_, '_> {
    fn is_postgres(&self) -> bool {
        self.manager.get_database_backend() == DbBackend::Postgres
    }

    /// The backend's spelling of the spec's `NOW()` default.
    fn now(&self) -> Expr {
        if self.is_postgres() {
            Expr::cust("NOW()")
        } else {
            Expr::cust("strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')")
        }
    }

    /// Adds a column as given.
    pub fn col(mut self, column: impl IntoColumnDef) -> Self {
        self.table.col(column);
        self
    }

    /// `id UUID PRIMARY KEY DEFAULT gen_random_uuid()` (constraint `<table>_pkey`).
    pub fn id(self) -> Self {
        let mut id = uuid("id").not_null().primary_key().to_owned();
        if self.is_postgres() {
            id.default(Expr::cust("gen_random_uuid()"));
        }
        self.col(id)
    }

    /// Adds `column` with the spec's `NOW()` default; nullability as given.
    pub fn now_default(self, column: impl IntoColumnDef) -> Self {
        let mut column = column.into_column_def();
        column.default(self.now());
        self.col(column)
    }

    /// `created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()`.
    pub fn created_at(self) -> Self {
        self.now_default(timestamptz("created_at").not_null())
    }

    /// `updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()`.
    pub fn updated_at(self) -> Self {
        self.now_default(timestamptz("updated_at").not_null())
    }

    /// A nullable `TEXT[]` column (JSON text on SQLite).
    pub fn text_array(self, name: &'static str) -> Self {
        self.array(name, ColumnType::Text)
    }

    /// A nullable `INTEGER[]` column (JSON text on SQLite).
    pub fn integer_array(self, name: &'static str) -> Self {
        self.array(name, ColumnType::Integer)
    }

    fn array(self, name: &'static str, element: ColumnType) -> Self {
        let column = if self.is_postgres() {
            ColumnDef::new(name).array(element).to_owned()
        } else {
            text(name)
        };
        self.col(column)
    }

    /// `<column> UUID NOT NULL`, FK `<target>(id) ON DELETE CASCADE`.
    pub fn cascade(self, column: &'static str, target: &'static str) -> Self {
        self.col(uuid(column).not_null()).foreign_key(
            column,
            target,
            Some(ForeignKeyAction::Cascade),
        )
    }

    /// `<column> UUID` (nullable), FK `<target>(id) ON DELETE CASCADE`.
    pub fn nullable_cascade(self, column: &'static str, target: &'static str) -> Self {
        self.col(uuid(column))
            .foreign_key(column, target, Some(ForeignKeyAction::Cascade))
    }

    /// `<column> UUID` (nullable), FK `<target>(id)` with no ON DELETE action (NO ACTION).
    pub fn nullable_ref(self, column: &'static str, target: &'static str) -> Self {
        self.col(uuid(column)).foreign_key(column, target, None)
    }

    fn foreign_key(
        mut self,
        column: &'static str,
        target: &'static str,
        on_delete: Option<ForeignKeyAction>,
    ) -> Self {
        let mut fk = ForeignKey::create()
            .name(format!("{}_{column}_fkey", self.name))
            .from(self.name, column)
            .to(target, "id")
            .to_owned();
        if let Some(action) = on_delete {
            fk.on_delete(action);
        }
        self.table.foreign_key(&mut fk);
        self
    }

    /// A plain `UNIQUE (<column>)` constraint (PostgreSQL names it `<table>_<column>_key`).
    pub fn unique(mut self, column: &'static str) -> Self {
        self.table.index(Index::create().unique().col(column));
        self
    }

    /// A composite primary key (constraint `<table>_pkey`).
    pub fn primary_key<const N: usize>(mut self, columns: [&'static str; N]) -> Self {
        let mut pk = Index::create();
        for column in columns {
            pk.col(column);
        }
        self.table.primary_key(&mut pk);
        self
    }

    /// A named index on `columns`, created right after the table.
    pub fn index<C: IntoIndexColumn>(
        self,
        name: &'static str,
        columns: impl IntoIterator<Item = C>,
    ) -> Self {
        self.push_index(name, columns, false)
    }

    /// A named unique index on `columns`, created right after the table.
    pub fn unique_index<C: IntoIndexColumn>(
        self,
        name: &'static str,
        columns: impl IntoIterator<Item = C>,
    ) -> Self {
        self.push_index(name, columns, true)
    }

    fn push_index<C: IntoIndexColumn>(
        mut self,
        name: &'static str,
        columns: impl IntoIterator<Item = C>,
        unique: bool,
    ) -> Self {
        let mut index = Index::create().name(name).table(self.name).to_owned();
        for column in columns {
            index.col(column);
        }
        if unique {
            index.unique();
        }
        self.indexes.push(index);
        self
    }

    /// Makes the index declared just before partial: `… WHERE <condition>`.
    pub fn partial(mut self, condition: Expr) -> Self {
        let Some(index) = self.indexes.last_mut() else {
            panic!(
                "`partial` must follow `index` or `unique_index` on table {}",
                self.name
            );
        };
        index.and_where(condition);
        self
    }

    /// Creates the table, then its indexes.
    pub async fn create(self) -> Result<(), DbErr> {
        self.manager.create_table(self.table).await?;
        for index in self.indexes {
            self.manager.create_index(index).await?;
        }
        Ok(())
    }
}

/// Drops `tables` in reverse order (dependents first); their indexes go with them.
pub async fn drop_tables(
    manager: &SchemaManager<'_>,
    tables: &[&'static str],
) -> Result<(), DbErr> {
    for name in tables.iter().rev() {
        manager
            .drop_table(Table::drop().table(*name).to_owned())
            .await?;
    }
    Ok(())
}
