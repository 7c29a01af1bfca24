//! Live reward events (a level reached, an achievement earned, a quest completed or
//! claimed), for a second device's toast. The engine publishes each in the reward's own
//! transaction, so an event exists only if its reward committed: on PostgreSQL as `NOTIFY
//! reward_events` (delivered to every instance at commit, never on rollback), on SQLite as
//! a row of the `reward_events` outbox that the instance delivers after the request
//! (`reward_feed`). Events are moments, not a record: the ledger is the record, and a
//! device that was away reads it.
use chrono::{DateTime, Utc};
use entity::reward_events;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::{AppError, AppResult, UserId, live};

/// The NOTIFY channel of reward events.
pub const CHANNEL: &str = "reward_events";

/// How long an outbox row waits for a subscriber: a drain skips what is older than that
/// beside the newest row, and [`prune`] deletes it.
pub const UNDRAINED_LIFE: chrono::TimeDelta = chrono::TimeDelta::minutes(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RewardEventKind {
    LevelUp,
    AchievementEarned,
    QuestCompleted,
    QuestClaimed,
}

/// One event, with what it paid (zero for a completion, which pays at its claim).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RewardEvent {
    pub user: Uuid,
    pub kind: RewardEventKind,
    pub at: DateTime<Utc>,
    /// What to show: the level, the achievement's or the quest's name.
    pub title: String,
    pub xp: i32,
    pub coins: i32,
    pub stars: i32,
    pub skill: Option<String>,
    /// The level reached (level up).
    pub level: Option<i32>,
    /// The achievement's key (achievement earned).
    pub achievement: Option<String>,
    /// The catalog quest or the user's own quest (quest completed or claimed).
    pub quest: Option<Uuid>,
}

impl RewardEvent {
    pub fn new(user: UserId, kind: RewardEventKind, title: String, at: DateTime<Utc>) -> Self {
        Self {
            user: user.0,
            kind,
            at,
            title,
            xp: 0,
            coins: 0,
            stars: 0,
            skill: None,
            level: None,
            achievement: None,
            quest: None,
        }
    }

    /// A catalog quest's or an own quest's event.
    pub fn quest(
        user: UserId,
        kind: RewardEventKind,
        quest: Uuid,
        title: &str,
        at: DateTime<Utc>,
    ) -> Self {
        let mut event = Self::new(user, kind, title.to_owned(), at);
        event.quest = Some(quest);
        event
    }

    /// What a ledger row paid.
    pub fn paying(mut self, entry: &entity::points_ledger::Model) -> Self {
        self.xp = entry.xp;
        self.coins = entry.coins;
        self.stars = entry.skill_stars.unwrap_or(0);
        self.skill.clone_from(&entry.skill_key);
        self
    }
}

/// Publishes `event` with what `awarded` paid, unless the award was a repeat (the first
/// call published it).
pub async fn publish_payment(
    conn: &impl ConnectionTrait,
    event: RewardEvent,
    awarded: &super::Awarded,
) -> AppResult<()> {
    if awarded.repeated {
        return Ok(());
    }
    publish(conn, event.paying(&awarded.entry)).await
}

/// Publishes `event` in the caller's transaction: it reaches the user's subscribers only
/// if that transaction commits.
pub async fn publish(conn: &impl ConnectionTrait, event: RewardEvent) -> AppResult<()> {
    let payload = serde_json::to_string(&event).map_err(AppError::internal)?;
    if conn.get_database_backend() == DbBackend::Postgres {
        return live::notify(conn, CHANNEL, payload).await;
    }
    reward_events::Entity::insert(reward_events::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(event.user),
        payload: Set(payload),
        created_at: Set(event.at.into()),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Deletes the outbox rows nobody drained in time (SQLite's only: PostgreSQL has none).
/// What nobody drained within a minute had nobody to show it to; run by the periodic
/// sweep, off every request's path.
pub async fn prune(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> AppResult<u64> {
    Ok(reward_events::Entity::delete_many()
        .filter(reward_events::Column::CreatedAt.lt(now - UNDRAINED_LIFE))
        .exec(conn)
        .await?
        .rows_affected)
}
