//! Project migration 0015: `write_probe`, one row readiness rewrites to learn whether the
//! database still takes writes (a full disk or a read-only file answers reads but not
//! writes; only a committed write tells).

use sea_orm_migration::prelude::*;

use crate::kit;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("write_probe")
                .col(kit::integer("id").not_null().primary_key())
                .col(kit::bigint("checks").not_null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("write_probe").to_owned())
            .await
    }
}
