//! Project migration 0016: the starting quest catalog, across the target types and
//! periods. Idempotent by title (a quest with that title is left as it is); `down` removes
//! the seeded quests nobody holds.
use sea_orm_migration::{prelude::*, sea_orm::entity::prelude::Json};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (title, description, period, target type, target, config, xp, coins, skill).
type Seed = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i32,
    Option<&'static str>,
    i32,
    i32,
    Option<&'static str>,
);

#[rustfmt::skip]
const CATALOG: &[Seed] = &[
    ("Deep work: 50 focus minutes today", "Fifty minutes of completed work sessions today.", "daily", "focus_minutes", 50, None, 20, 5, Some("focus")),
    ("Two focus sessions today", "Complete two work sessions of at least 25 minutes.", "daily", "focus_sessions", 2, Some(r#"{"minSessionMinutes":25}"#), 15, 3, Some("focus")),
    ("Three habits today", "Complete three habits today.", "daily", "habit_completions", 3, None, 15, 3, Some("discipline")),
    ("Earn 100 XP today", "Any action but a quest claim counts.", "daily", "xp_earned", 100, None, 15, 3, None),
    ("Five habits this week", "Complete habits five times this week.", "weekly", "habit_completions", 5, None, 30, 8, Some("discipline")),
    ("Focus for 5 hours this week", "300 minutes of completed work sessions this week.", "weekly", "focus_minutes", 300, None, 60, 15, Some("focus")),
    ("Finish a milestone this week", "Reach one of your goals' milestones.", "weekly", "milestones_completed", 1, None, 25, 5, Some("planning")),
    ("Active five days this week", "Do something rewarded on five days this week.", "weekly", "active_days", 5, None, 40, 10, None),
    ("Complete a goal this month", "See one goal through.", "monthly", "goals_completed", 1, None, 100, 25, Some("planning")),
    ("Twenty focus sessions this month", "Twenty completed work sessions this month.", "monthly", "focus_sessions", 20, None, 120, 30, Some("focus")),
    ("Earn 2,000 XP this month", "Any action but a quest claim counts.", "monthly", "xp_earned", 2000, None, 150, 40, None),
    ("First steps: complete your first focus session", "One completed work session.", "one_time", "focus_sessions", 1, None, 10, 5, Some("focus")),
    ("Ten milestones", "Reach ten milestones, however long it takes.", "one_time", "milestones_completed", 10, None, 80, 20, Some("planning")),
    ("Thirty active days", "Thirty days with something done.", "one_time", "active_days", 30, None, 150, 40, None),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (
            sort_order,
            (title, description, period, target_type, target, config, xp, coins, skill),
        ) in (0_i32..).step_by(10).zip(CATALOG)
        {
            let exists = m
                .get_connection()
                .query_one(
                    &Query::select()
                        .column("id")
                        .from("universal_quests")
                        .and_where(Expr::col("title").eq(*title))
                        .to_owned(),
                )
                .await?
                .is_some();
            if exists {
                continue;
            }
            let config: Option<Json> = config
                .map(|c| {
                    c.parse()
                        .map_err(|err| DbErr::Custom(format!("quest {title}: {err}")))
                })
                .transpose()?;
            let mut insert = Query::insert();
            insert
                .into_table("universal_quests")
                .columns([
                    "id",
                    "title",
                    "description",
                    "type",
                    "xp_reward",
                    "coin_reward",
                    "target",
                    "target_type",
                    "target_config",
                    "skill_key",
                    "is_active",
                    "sort_order",
                ])
                .values([
                    // Bound, not spelled: each backend stores a UUID its own way.
                    Expr::val(uuid::Uuid::now_v7()),
                    Expr::val(*title),
                    Expr::val(*description),
                    Expr::val(*period),
                    Expr::val(*xp),
                    Expr::val(*coins),
                    Expr::val(*target),
                    Expr::val(*target_type),
                    Expr::val(config),
                    Expr::val(skill.map(str::to_owned)),
                    Expr::val(true),
                    Expr::val(sort_order),
                ])
                .map_err(|err| DbErr::Custom(err.to_string()))?;
            m.exec_stmt(insert).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let titles = CATALOG.iter().map(|entry| Expr::val(entry.0));
        m.exec_stmt(
            Query::delete()
                .from_table("universal_quests")
                .and_where(Expr::col("title").is_in(titles))
                .and_where(Expr::col("created_by").is_null())
                .to_owned(),
        )
        .await
    }
}
