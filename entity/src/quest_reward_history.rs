//! `quest_reward_history`: a catalog quest's rewards before an edit (project migration 0022).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "quest_reward_history")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub quest_id: Uuid,
    pub xp_reward: i32,
    pub coin_reward: i32,
    #[sea_orm(column_type = "Text", nullable)]
    pub skill_key: Option<String>,
    pub replaced_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::universal_quests::Entity",
        from = "Column::QuestId",
        to = "super::universal_quests::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade"
    )]
    UniversalQuests,
}

impl Related<super::universal_quests::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::UniversalQuests.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
