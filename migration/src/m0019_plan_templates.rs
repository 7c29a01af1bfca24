//! Project migration 0019: what plan templates need beside the spec's table. The
//! entitlement `plan_templates:update`, granted to `moderator` (and so to `admin`), lets a
//! moderator unpublish a public template; and `plan_templates_public_idx` on
//! (is_public, created_at) serves the shared list every signed-in user reads. (Daily plans
//! need no change: their version is a hash of their content, computed, not stored.)
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEX: &str = "plan_templates_public_idx";
const ENTITLEMENT: &str = "plan_templates:update";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut insert = Query::insert();
        insert
            .into_table("entitlements")
            .columns(["id", "name", "description", "resource", "action"])
            .values([
                Expr::val(uuid::Uuid::now_v7()),
                Expr::val(ENTITLEMENT),
                Expr::val("Unpublish shared plan templates"),
                Expr::val("plan_templates"),
                Expr::val("update"),
            ])
            .map_err(|err| DbErr::Custom(err.to_string()))?
            .on_conflict(OnConflict::column("name").do_nothing().to_owned());
        m.exec_stmt(insert).await?;
        m.get_connection()
            .execute_unprepared(&format!(
                "INSERT INTO role_entitlements (role_id, entitlement_id) \
                 SELECT r.id, e.id FROM roles r, entitlements e \
                 WHERE r.name = 'moderator' AND e.name = '{ENTITLEMENT}' \
                 ON CONFLICT (role_id, entitlement_id) DO NOTHING"
            ))
            .await?;
        m.create_index(
            Index::create()
                .name(INDEX)
                .table("plan_templates")
                .col("is_public")
                .col("created_at")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name(INDEX).table("plan_templates").to_owned())
            .await?;
        m.get_connection()
            .execute_unprepared(&format!(
                "DELETE FROM entitlements WHERE name = '{ENTITLEMENT}'"
            ))
            .await?;
        Ok(())
    }
}
