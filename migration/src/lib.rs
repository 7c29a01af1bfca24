//! Schema migrations: the spec's 0001–0007, then the project's own.
pub use sea_orm_migration::prelude::*;

mod kit;
mod m0001_auth;
mod m0002_rbac;
mod m0003_gamification;
mod m0004_focus;
mod m0005_habits_goals;
mod m0006_quests;
mod m0007_planning;
mod m0008_foreign_key_indexes;
mod m0009_user_settings;
mod m0010_passkey_ceremonies;
mod m0011_rbac_seeds;
mod m0012_skill_catalog;
mod m0013_achievement_catalog;
mod m0014_focus_active_session;
mod m0015_write_probe;
mod m0016_quest_catalog;
mod m0017_calendar;
mod m0018_reward_events;
mod m0019_plan_templates;
mod m0022_quest_reward_history;
mod m0023_actor_changes;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_auth::Migration),
            Box::new(m0002_rbac::Migration),
            Box::new(m0003_gamification::Migration),
            Box::new(m0004_focus::Migration),
            Box::new(m0005_habits_goals::Migration),
            Box::new(m0006_quests::Migration),
            Box::new(m0007_planning::Migration),
            Box::new(m0008_foreign_key_indexes::Migration),
            Box::new(m0009_user_settings::Migration),
            Box::new(m0010_passkey_ceremonies::Migration),
            Box::new(m0011_rbac_seeds::Migration),
            Box::new(m0012_skill_catalog::Migration),
            Box::new(m0013_achievement_catalog::Migration),
            Box::new(m0014_focus_active_session::Migration),
            Box::new(m0015_write_probe::Migration),
            Box::new(m0016_quest_catalog::Migration),
            Box::new(m0017_calendar::Migration),
            Box::new(m0018_reward_events::Migration),
            Box::new(m0019_plan_templates::Migration),
            Box::new(m0022_quest_reward_history::Migration),
            Box::new(m0023_actor_changes::Migration),
        ]
    }
}
