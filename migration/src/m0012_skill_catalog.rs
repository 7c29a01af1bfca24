//! Project migration 0012: the skill tree every user's stars land in. Idempotent by `key`.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (key, name, category, icon, description), in display order.
const SKILLS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "focus",
        "Focus",
        "mental",
        "target",
        "Deep work: a star per 25 focused minutes",
    ),
    (
        "discipline",
        "Discipline",
        "mental",
        "check-circle",
        "Habits kept, day after day",
    ),
    (
        "planning",
        "Planning",
        "mental",
        "calendar",
        "Days planned and goals broken down",
    ),
    (
        "learning",
        "Learning",
        "mental",
        "book",
        "Time spent learning something new",
    ),
    (
        "wellbeing",
        "Wellbeing",
        "physical",
        "heart",
        "Rest, movement and care",
    ),
    (
        "creativity",
        "Creativity",
        "creative",
        "palette",
        "Making things",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (order, (key, name, category, icon, description)) in SKILLS.iter().enumerate() {
            let mut insert = Query::insert();
            insert
                .into_table("skill_definitions")
                .columns([
                    "id",
                    "key",
                    "name",
                    "category",
                    "icon",
                    "description",
                    "max_level",
                    "stars_per_level",
                    "sort_order",
                ])
                .values([
                    // Bound, not spelled: each backend stores a UUID its own way.
                    Expr::val(uuid::Uuid::now_v7()),
                    Expr::val(*key),
                    Expr::val(*name),
                    Expr::val(*category),
                    Expr::val(*icon),
                    Expr::val(*description),
                    Expr::val(100),
                    Expr::val(10),
                    Expr::val(
                        <i32 as std::convert::TryFrom<usize>>::try_from(order).unwrap_or(i32::MAX),
                    ),
                ])
                .map_err(|err| DbErr::Custom(err.to_string()))?
                .on_conflict(OnConflict::column("key").do_nothing().to_owned());
            m.exec_stmt(insert).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let keys = SKILLS.iter().map(|(key, ..)| Expr::val(*key));
        m.exec_stmt(
            Query::delete()
                .from_table("skill_definitions")
                .and_where(Expr::col("key").is_in(keys))
                .to_owned(),
        )
        .await
    }
}
