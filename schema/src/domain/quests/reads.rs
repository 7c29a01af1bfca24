//! `viewer.quests`: the catalog merged with the viewer's standing in one list (AVAILABLE,
//! ACTIVE, COMPLETED, CLAIMED, RETIRED), their own quests alongside. A read that finds a
//! period over starts the new one first (the lazy reset), so what it shows is current.
//! A handful of statements however many quests there are.
use chrono::{DateTime, Utc};
use entity::{universal_quests, user_quests};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;
use uuid::Uuid;

use super::{
    OwnQuestId, Period, Standing, TargetType, own, own_rules,
    progress::{self, Held},
};
use crate::domain::{
    AppResult,
    auth::preferences::{self, Preferences},
    clock::utc,
    db::{ReadWrite, begin_write},
    gamification::rewards::Difficulty,
};

/// Where a quest in the list comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Catalog,
    Own,
}

/// Where the viewer stands on a quest in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// In the catalog, not accepted.
    Available,
    Active,
    Completed,
    Claimed,
    /// Retired from the catalog, its last period over.
    Retired,
}

impl From<Standing> for Status {
    fn from(s: Standing) -> Self {
        match s {
            Standing::Active => Self::Active,
            Standing::Completed => Self::Completed,
            Standing::Claimed => Self::Claimed,
        }
    }
}

/// One quest as the viewer sees it.
#[derive(Debug, Clone)]
pub struct QuestView {
    pub id: Uuid,
    pub source: Source,
    pub title: String,
    pub description: Option<String>,
    pub period: Period,
    /// None for an own quest (progressed by hand).
    pub target_type: Option<TargetType>,
    pub target_config: Option<Value>,
    pub target: i32,
    pub progress: i32,
    pub status: Status,
    pub retired: bool,
    pub xp_reward: i32,
    pub coin_reward: i32,
    pub skill_key: Option<String>,
    pub times_completed: i32,
    pub accepted_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub period_ends_at: Option<DateTime<Utc>>,
    pub streak: Option<i32>,
    pub difficulty: Option<Difficulty>,
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct QuestFilter {
    pub status: Option<Status>,
    pub period: Option<Period>,
    pub source: Option<Source>,
}

pub async fn list(
    db: &impl ReadWrite,
    call: own::Call<'_>,
    filter: QuestFilter,
) -> AppResult<Vec<QuestView>> {
    let (user, now) = (call.actor.require_user()?, call.now);
    let prefs = preferences::of_actor(db, call.actor, user).await?;
    let mut held = progress::held(db, user).await?;
    let mut mine = own_quests(db, user.0).await?;
    let stale_held = held.iter().any(|h| {
        h.is_stale(&h.window(&prefs, now))
            && (h.quest.is_active || h.standing() == Standing::Completed)
    });
    let stale_own: Vec<OwnQuestId> = mine
        .iter()
        .filter(|q| own_rules::is_stale(q, &own_rules::window(q, &prefs, now)))
        .map(|q| OwnQuestId(q.id))
        .collect();
    if stale_held || !stale_own.is_empty() {
        let txn = begin_write(db).await?;
        progress::follow(&txn, user, &prefs, now).await?;
        for id in stale_own {
            own::settled(&txn, user, id, call).await?;
        }
        txn.commit().await?;
        held = progress::held(db, user).await?;
        mine = own_quests(db, user.0).await?;
    }
    let catalog = universal_quests::Entity::find()
        .filter(universal_quests::Column::IsActive.eq(true))
        .order_by_asc(universal_quests::Column::SortOrder)
        .order_by_asc(universal_quests::Column::Title)
        .all(db)
        .await?;
    let mut views: Vec<QuestView> = catalog
        .into_iter()
        .filter(|q| held.iter().all(|h| h.quest.id != q.id))
        .map(|q| available(q, &prefs, now))
        .collect();
    views.extend(held.iter().map(|h| standing(h, &prefs, now)));
    views.extend(mine.iter().map(|q| own_view(q, &prefs, now)));
    views.retain(|v| {
        filter.status.is_none_or(|s| s == v.status)
            && filter.period.is_none_or(|p| p == v.period)
            && filter.source.is_none_or(|s| s == v.source)
    });
    Ok(views)
}

async fn own_quests(db: &impl ConnectionTrait, user: Uuid) -> AppResult<Vec<user_quests::Model>> {
    Ok(user_quests::Entity::find()
        .filter(user_quests::Column::UserId.eq(user))
        .order_by_asc(user_quests::Column::CreatedAt)
        .order_by_asc(user_quests::Column::Id)
        .all(db)
        .await?)
}

fn catalog_view(quest: &universal_quests::Model) -> QuestView {
    QuestView {
        id: quest.id,
        source: Source::Catalog,
        title: quest.title.clone(),
        description: quest.description.clone(),
        period: Period::parse(&quest.r#type).unwrap_or(Period::OneTime),
        target_type: TargetType::parse(&quest.target_type),
        target_config: quest.target_config.clone(),
        target: quest.target,
        progress: 0,
        status: Status::Available,
        retired: !quest.is_active,
        xp_reward: quest.xp_reward,
        coin_reward: quest.coin_reward,
        skill_key: quest.skill_key.clone(),
        times_completed: 0,
        accepted_at: None,
        completed_at: None,
        claimed_at: None,
        period_ends_at: None,
        streak: None,
        difficulty: None,
        expires_at: None,
    }
}

fn available(quest: universal_quests::Model, prefs: &Preferences, now: DateTime<Utc>) -> QuestView {
    let view = catalog_view(&quest);
    QuestView {
        period_ends_at: view.period.window(prefs, now, now).end,
        ..view
    }
}

/// A held quest: a catalog quest with the viewer's standing (current after `follow`).
pub fn standing(held: &Held, prefs: &Preferences, now: DateTime<Utc>) -> QuestView {
    let window = held.window(prefs, now);
    let over = held.is_stale(&window);
    let row = &held.row;
    QuestView {
        progress: row.progress,
        status: if over {
            Status::Retired
        } else {
            held.standing().into()
        },
        times_completed: row.times_completed,
        accepted_at: Some(utc(&row.accepted_at)),
        completed_at: row.completed_at.as_ref().map(utc),
        claimed_at: row.claimed_at.as_ref().map(utc),
        period_ends_at: if over { None } else { window.end },
        ..catalog_view(&held.quest)
    }
}

/// One of the viewer's own quests.
pub fn own_view(quest: &user_quests::Model, prefs: &Preferences, now: DateTime<Utc>) -> QuestView {
    let period = own_rules::period_of(quest);
    let window = own_rules::window(quest, prefs, now);
    let start = period.start_date(prefs.local_date(now));
    let difficulty = Difficulty::stored(quest.difficulty.as_deref());
    let (xp, coins) = difficulty.rewards();
    QuestView {
        id: quest.id,
        source: Source::Own,
        title: quest.title.clone(),
        description: quest.description.clone(),
        period,
        target_type: None,
        target_config: None,
        target: quest.target,
        progress: quest.progress,
        status: Standing::stored(&quest.status).into(),
        retired: false,
        xp_reward: xp,
        coin_reward: coins,
        skill_key: None,
        times_completed: quest.streak_count,
        accepted_at: Some(utc(&quest.accepted_at)),
        completed_at: quest.completed_at.as_ref().map(utc),
        claimed_at: quest.claimed_at.as_ref().map(utc),
        period_ends_at: window.end,
        streak: Some(own_rules::live_streak(
            period,
            quest.last_completed_date,
            quest.streak_count,
            start,
        )),
        difficulty: Some(difficulty),
        expires_at: quest.expires_at.as_ref().map(utc),
    }
}
