//! Project migration 0011: the seeded roles `user` ⊂ `moderator` ⊂ `admin`, the
//! entitlements (`<resource>:<action>`) they grant, and the `user` role for every existing
//! user. Idempotent: running it over rows that already exist changes nothing.
use sea_orm_migration::{prelude::*, sea_orm::ConnectionTrait};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (resource, action, description) of every seeded entitlement.
const ENTITLEMENTS: &[(&str, &str, &str)] = &[
    ("users", "read", "List and inspect users"),
    ("users", "update", "Approve users and edit their accounts"),
    ("users", "delete", "Delete users"),
    ("user_roles", "create", "Grant roles to users"),
    ("user_roles", "read", "See which roles users hold"),
    ("user_roles", "delete", "Revoke roles from users"),
    ("roles", "create", "Create roles"),
    ("roles", "read", "List roles"),
    (
        "roles",
        "update",
        "Change roles, their parents and entitlements",
    ),
    ("roles", "delete", "Delete roles"),
    ("entitlements", "create", "Create entitlements"),
    ("entitlements", "read", "List entitlements"),
    ("entitlements", "update", "Describe entitlements"),
    ("entitlements", "delete", "Delete entitlements"),
    ("audit_log", "read", "Read the security audit log"),
    ("points_ledger", "create", "Adjust users' XP and coins"),
    ("points_ledger", "read", "Read users' ledgers"),
    ("universal_quests", "create", "Add quests to the catalog"),
    ("universal_quests", "update", "Edit catalog quests"),
    ("universal_quests", "delete", "Remove catalog quests"),
];

/// (role, parent, description, entitlements it adds to its parent's).
const ROLES: &[(&str, Option<&str>, &str, &[&str])] = &[
    ("user", None, "Every signed-in user", &[]),
    (
        "moderator",
        Some("user"),
        "Approves users, curates quests, reads the audit log",
        &[
            "users:read",
            "users:update",
            "user_roles:read",
            "roles:read",
            "entitlements:read",
            "audit_log:read",
            "universal_quests:create",
            "universal_quests:update",
            "universal_quests:delete",
        ],
    ),
    (
        "admin",
        Some("moderator"),
        "Manages roles, entitlements, grants and points",
        &[
            "users:delete",
            "user_roles:create",
            "user_roles:delete",
            "roles:create",
            "roles:update",
            "roles:delete",
            "entitlements:create",
            "entitlements:update",
            "entitlements:delete",
            "points_ledger:create",
            "points_ledger:read",
        ],
    ),
];

/// Quotes a literal for SQL. Every value here is a constant of this file.
fn lit(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Inserts a row with a new id, its `name` and other text columns, unless the name exists.
async fn insert_named(
    m: &SchemaManager<'_>,
    table: &'static str,
    columns: &[&'static str],
    name: &str,
    values: &[&str],
) -> Result<(), DbErr> {
    let mut insert = Query::insert();
    insert
        .into_table(table)
        .columns(["id", "name"].iter().chain(columns).copied())
        .values(
            [Expr::val(uuid::Uuid::now_v7()), Expr::val(name)]
                .into_iter()
                .chain(values.iter().map(|v| Expr::val(*v))),
        )
        .map_err(|err| DbErr::Custom(err.to_string()))?
        .on_conflict(OnConflict::column("name").do_nothing().to_owned());
    m.exec_stmt(insert).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        // Ids are bound, not spelled: each backend stores a UUID its own way.
        for (resource, action, description) in ENTITLEMENTS {
            let name = format!("{resource}:{action}");
            insert_named(
                m,
                "entitlements",
                &["description", "resource", "action"],
                &name,
                &[description, resource, action],
            )
            .await?;
        }
        for (name, parent, description, entitlements) in ROLES {
            insert_named(m, "roles", &["description"], name, &[description]).await?;
            if let Some(parent) = parent {
                db.execute_unprepared(&format!(
                    "UPDATE roles SET parent_role_id = (SELECT id FROM roles WHERE name = {}) \
                     WHERE name = {} AND parent_role_id IS NULL",
                    lit(parent),
                    lit(name),
                ))
                .await?;
            }
            for entitlement in *entitlements {
                db.execute_unprepared(&format!(
                    "INSERT INTO role_entitlements (role_id, entitlement_id) \
                     SELECT r.id, e.id FROM roles r, entitlements e \
                     WHERE r.name = {} AND e.name = {} \
                     ON CONFLICT (role_id, entitlement_id) DO NOTHING",
                    lit(name),
                    lit(entitlement),
                ))
                .await?;
            }
        }
        db.execute_unprepared(
            "INSERT INTO user_roles (user_id, role_id) \
             SELECT u.id, r.id FROM users u, roles r WHERE r.name = 'user' \
             AND NOT EXISTS (SELECT 1 FROM user_roles g WHERE g.user_id = u.id AND g.role_id = r.id)",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let roles: Vec<String> = ROLES.iter().map(|(name, ..)| lit(name)).collect();
        // Children first: a parent may not go while a child points at it.
        for role in roles.iter().rev() {
            db.execute_unprepared(&format!("DELETE FROM roles WHERE name = {role}"))
                .await?;
        }
        let names: Vec<String> = ENTITLEMENTS
            .iter()
            .map(|(resource, action, _)| lit(&format!("{resource}:{action}")))
            .collect();
        db.execute_unprepared(&format!(
            "DELETE FROM entitlements WHERE name IN ({})",
            names.join(", ")
        ))
        .await?;
        Ok(())
    }
}
