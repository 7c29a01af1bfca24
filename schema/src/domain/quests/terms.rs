//! A catalog quest's rewards as they stood when a holder's period began, so an admin's edit
//! of `xpReward`, `coinReward` or `skillKey` applies from each holder's next period (a
//! period under way pays what it started with). `updateQuest` keeps the rewards it
//! replaces (`keep_replaced`); every standing read for the rules carries the rewards in
//! force for its period (`in_force`), in one statement for all of a user's standings.
use chrono::{DateTime, Utc};
use entity::{quest_reward_history, universal_quests};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use super::progress::Held;
use crate::domain::{AppResult, clock::utc};

/// Records `before`'s rewards as replaced at `now`, when `after` pays differently.
pub async fn keep_replaced(
    conn: &impl ConnectionTrait,
    before: &universal_quests::Model,
    after: &universal_quests::Model,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let unchanged = (before.xp_reward, before.coin_reward, &before.skill_key)
        == (after.xp_reward, after.coin_reward, &after.skill_key);
    if unchanged {
        return Ok(());
    }
    quest_reward_history::Entity::insert(quest_reward_history::ActiveModel {
        id: Set(Uuid::now_v7()),
        quest_id: Set(before.id),
        xp_reward: Set(before.xp_reward),
        coin_reward: Set(before.coin_reward),
        skill_key: Set(before.skill_key.clone()),
        replaced_at: Set(now.into()),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

impl Held {
    /// When the stored period began for this holder: its reset, or the acceptance when
    /// that came later.
    pub fn began(&self) -> DateTime<Utc> {
        let accepted = utc(&self.row.accepted_at);
        self.row
            .last_reset_at
            .as_ref()
            .map_or(accepted, |reset| utc(reset).max(accepted))
    }
}

/// Gives each standing the rewards in force when its period began: those an edit replaced
/// after that instant, or the quest's current ones. Every edit stamps the quest's
/// `updated_at` with the instant it stamps on what it replaced, so when no quest was
/// edited since its standing's period began there is nothing to read.
pub async fn in_force(conn: &impl ConnectionTrait, held: &mut [Held]) -> AppResult<()> {
    let edited_since = |standing: &Held| utc(&standing.quest.updated_at) > standing.began();
    let Some(earliest) = held
        .iter()
        .filter(|standing| edited_since(standing))
        .map(Held::began)
        .min()
    else {
        return Ok(());
    };
    let replaced = quest_reward_history::Entity::find()
        .filter(
            quest_reward_history::Column::QuestId.is_in(
                held.iter()
                    .filter(|standing| edited_since(standing))
                    .map(|standing| standing.quest.id),
            ),
        )
        .filter(quest_reward_history::Column::ReplacedAt.gt(earliest))
        .order_by_asc(quest_reward_history::Column::ReplacedAt)
        .all(conn)
        .await?;
    for standing in held.iter_mut() {
        let began = standing.began();
        let then = replaced
            .iter()
            .find(|r| r.quest_id == standing.quest.id && utc(&r.replaced_at) > began);
        if let Some(then) = then {
            standing.quest.xp_reward = then.xp_reward;
            standing.quest.coin_reward = then.coin_reward;
            standing.quest.skill_key.clone_from(&then.skill_key);
        }
    }
    Ok(())
}
