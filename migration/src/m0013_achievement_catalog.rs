//! Project migration 0013: the achievement catalog. Idempotent by `key`: a definition that
//! exists is left as it is (a later change to one takes a migration of its own).
//!
//! Triggers as DESIGN writes them: `event` (the first event of a type), `threshold` (a
//! count of events, or a metric: `total_xp`, `level`, `streak_<type>`,
//! `longest_streak_<type>`, `achievements_earned`), `compound` (`all` / `any` of those).
use sea_orm_migration::{prelude::*, sea_orm::entity::prelude::Json};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One catalog entry; `sort_order` is its position × 10, leaving room between.
struct Achievement {
    key: &'static str,
    category: &'static str,
    name: &'static str,
    description: &'static str,
    icon: &'static str,
    trigger_type: &'static str,
    config: &'static str,
    xp: i32,
    coins: i32,
    hidden: bool,
}

const fn a(
    key: &'static str,
    category: &'static str,
    name: &'static str,
    description: &'static str,
    icon: &'static str,
    (trigger_type, config): (&'static str, &'static str),
    (xp, coins): (i32, i32),
) -> Achievement {
    Achievement {
        key,
        category,
        name,
        description,
        icon,
        trigger_type,
        config,
        xp,
        coins,
        hidden: false,
    }
}

const fn hidden(achievement: Achievement) -> Achievement {
    Achievement {
        hidden: true,
        ..achievement
    }
}

const EVENT: &str = "event";
const THRESHOLD: &str = "threshold";
const COMPOUND: &str = "compound";

// One entry a line or two, as a table reads best.
#[rustfmt::skip]
const CATALOG: &[Achievement] = &[
    // Focus.
    a("first_focus", "focus", "First Focus", "Complete your first focus session.", "timer",
        (EVENT, r#"{"event":"focus_complete"}"#), (10, 5)),
    a("focus_10", "focus", "In the Zone", "Complete 10 focus sessions.", "target",
        (THRESHOLD, r#"{"event":"focus_complete","count":10}"#), (50, 10)),
    a("focus_50", "focus", "Deep Worker", "Complete 50 focus sessions.", "brain",
        (THRESHOLD, r#"{"event":"focus_complete","count":50}"#), (150, 30)),
    a("focus_100", "focus", "Focus Master", "Complete 100 focus sessions.", "crown",
        (THRESHOLD, r#"{"event":"focus_complete","count":100}"#), (300, 60)),
    // Habits.
    a("first_habit", "habit", "Small Step", "Complete a habit for the first time.", "check",
        (EVENT, r#"{"event":"habit_done"}"#), (10, 5)),
    a("habit_25", "habit", "Creature of Habit", "Complete habits 25 times.", "repeat",
        (THRESHOLD, r#"{"event":"habit_done","count":25}"#), (50, 10)),
    a("habit_100", "habit", "Second Nature", "Complete habits 100 times.", "leaf",
        (THRESHOLD, r#"{"event":"habit_done","count":100}"#), (200, 40)),
    // Streaks.
    a("streak_3", "streak", "Warming Up", "Be active 3 days in a row.", "flame",
        (THRESHOLD, r#"{"metric":"streak_daily","gte":3}"#), (15, 5)),
    a("momentum", "streak", "Momentum", "Keep a focus or a habit streak for 3 days.", "trending-up",
        (COMPOUND, r#"{"any":[{"metric":"streak_focus","gte":3},{"metric":"streak_habit","gte":3}]}"#), (20, 5)),
    a("streak_7", "streak", "On Fire", "Be active 7 days in a row.", "fire",
        (THRESHOLD, r#"{"metric":"streak_daily","gte":7}"#), (50, 15)),
    a("focus_streak_7", "streak", "Focused Week", "Focus 7 days in a row.", "calendar-check",
        (THRESHOLD, r#"{"metric":"streak_focus","gte":7}"#), (70, 15)),
    a("streak_30", "streak", "Unstoppable", "Be active 30 days in a row.", "rocket",
        (THRESHOLD, r#"{"metric":"streak_daily","gte":30}"#), (200, 50)),
    a("habit_streak_30", "streak", "Iron Will", "Complete habits 30 days in a row.", "shield",
        (THRESHOLD, r#"{"metric":"streak_habit","gte":30}"#), (150, 30)),
    hidden(a("double_streak", "streak", "Double Down", "Hold a 7-day focus streak and a 7-day habit streak at once.", "infinity",
        (COMPOUND, r#"{"all":[{"metric":"streak_focus","gte":7},{"metric":"streak_habit","gte":7}]}"#), (100, 25))),
    hidden(a("streak_100", "streak", "Centurion", "Reach a 100-day activity streak.", "medal",
        (THRESHOLD, r#"{"metric":"longest_streak_daily","gte":100}"#), (500, 100))),
    // Levels and XP.
    a("level_2", "level", "Level Up", "Reach level 2.", "arrow-up",
        (THRESHOLD, r#"{"metric":"level","gte":2}"#), (10, 5)),
    a("level_5", "level", "Rising Star", "Reach level 5.", "star",
        (THRESHOLD, r#"{"metric":"level","gte":5}"#), (50, 20)),
    a("xp_1000", "level", "Thousand Strong", "Earn 1,000 XP.", "zap",
        (THRESHOLD, r#"{"metric":"total_xp","gte":1000}"#), (25, 10)),
    a("level_10", "level", "Seasoned", "Reach level 10.", "stars",
        (THRESHOLD, r#"{"metric":"level","gte":10}"#), (100, 50)),
    hidden(a("level_25", "level", "Legend", "Reach level 25.", "gem",
        (THRESHOLD, r#"{"metric":"level","gte":25}"#), (250, 100))),
    // Goals.
    a("first_milestone", "goal", "Milestone", "Reach a goal's milestone.", "flag",
        (EVENT, r#"{"event":"milestone_done"}"#), (10, 2)),
    a("first_goal", "goal", "Goal Getter", "Complete your first goal.", "trophy",
        (EVENT, r#"{"event":"goal_complete"}"#), (25, 10)),
    a("goal_10", "goal", "Visionary", "Complete 10 goals.", "mountain",
        (THRESHOLD, r#"{"event":"goal_complete","count":10}"#), (150, 50)),
    // Quests.
    a("first_quest", "quest", "Adventurer", "Claim your first quest.", "scroll",
        (EVENT, r#"{"event":"quest_claim"}"#), (10, 5)),
    a("quest_25", "quest", "Quest Hunter", "Claim 25 quests.", "map",
        (THRESHOLD, r#"{"event":"quest_claim","count":25}"#), (100, 30)),
    // Across areas.
    a("well_rounded", "special", "Well-Rounded", "Focus, complete a habit and reach a milestone.", "compass",
        (COMPOUND, r#"{"all":[{"event":"focus_complete"},{"event":"habit_done"},{"event":"milestone_done"}]}"#), (30, 10)),
    a("collector_5", "special", "Collector", "Earn 5 achievements.", "badge",
        (THRESHOLD, r#"{"metric":"achievements_earned","gte":5}"#), (25, 10)),
    hidden(a("collector_15", "special", "Completionist", "Earn 15 achievements.", "award",
        (THRESHOLD, r#"{"event":"achievement_earned","count":15}"#), (100, 30))),
    hidden(a("renaissance", "special", "Renaissance", "Reach level 10 and complete 5 goals or claim 10 quests.", "sparkles",
        (COMPOUND, r#"{"all":[{"metric":"level","gte":10},{"any":[{"event":"goal_complete","count":5},{"event":"quest_claim","count":10}]}]}"#), (200, 50))),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (sort_order, entry) in (0_i32..).step_by(10).zip(CATALOG) {
            let config: Json = entry
                .config
                .parse()
                .map_err(|err| DbErr::Custom(format!("achievement {}: {err}", entry.key)))?;
            let mut insert = Query::insert();
            insert
                .into_table("achievement_definitions")
                .columns([
                    "id",
                    "key",
                    "name",
                    "description",
                    "category",
                    "icon",
                    "trigger_type",
                    "trigger_config",
                    "reward_coins",
                    "reward_xp",
                    "is_hidden",
                    "sort_order",
                ])
                .values([
                    // Bound, not spelled: each backend stores a UUID its own way.
                    Expr::val(uuid::Uuid::now_v7()),
                    Expr::val(entry.key),
                    Expr::val(entry.name),
                    Expr::val(entry.description),
                    Expr::val(entry.category),
                    Expr::val(entry.icon),
                    Expr::val(entry.trigger_type),
                    Expr::val(config),
                    Expr::val(entry.coins),
                    Expr::val(entry.xp),
                    Expr::val(entry.hidden),
                    Expr::val(sort_order),
                ])
                .map_err(|err| DbErr::Custom(err.to_string()))?
                .on_conflict(OnConflict::column("key").do_nothing().to_owned());
            m.exec_stmt(insert).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let keys = CATALOG.iter().map(|entry| Expr::val(entry.key));
        m.exec_stmt(
            Query::delete()
                .from_table("achievement_definitions")
                .and_where(Expr::col("key").is_in(keys))
                .to_owned(),
        )
        .await
    }
}
