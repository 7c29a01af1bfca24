//! A user's own quests (`user_quests`): kept, progressed by hand (`log_progress`,
//! `complete`) and claimed. Rewards come from the difficulty alone (`rewards::Difficulty`),
//! at most `own_quest_claims_per_day` rewarded claims a local day (config; past it a
//! claim succeeds and pays nothing). Repeatable ones start over each daily or weekly
//! period, once, paying a completion left unclaimed; past `expires_at` a quest takes no
//! progress and no claim (CONFLICT `QUEST_EXPIRED`). Another user's quest is NOT_FOUND.
use chrono::{DateTime, Utc};
use entity::{points_ledger, user_quests};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set, sea_query::Expr,
};
use serde_json::json;
use uuid::Uuid;

use super::{
    OwnQuestId, Period, Standing,
    input::{OwnQuestChanges, OwnQuestForWrite},
    own_rules,
    reads::{self, QuestView},
    store,
};
use crate::domain::{
    Actor, AppError, AppResult, Reason, UserId,
    auth::{
        AuthSettings,
        preferences::{self, Preferences},
    },
    clock::utc,
    db::begin_write,
    gamification::{
        self, Action, Earned, EventType, RewardEvent, RewardEventKind, reward_events,
        rewards::{self, Difficulty, keys},
    },
};

/// Who asks, with what configuration, and when.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    pub actor: &'a Actor,
    pub settings: &'a AuthSettings,
    pub now: DateTime<Utc>,
}

/// What a change to an own quest does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// Adds this much progress (1 or more), up to the target.
    Log(i32),
    Complete,
}

/// What an own quest's claim did.
#[derive(Debug, Clone)]
pub struct OwnClaimed {
    pub quest: QuestView,
    pub repeated: bool,
    /// False when the day's cap of rewarded claims was reached: nothing was paid.
    pub rewarded: bool,
    /// What the claim paid (for a repeat, what the first claim paid).
    pub earned: Earned,
}

pub async fn create(
    db: &DatabaseConnection,
    call: Call<'_>,
    input: OwnQuestChanges,
) -> AppResult<QuestView> {
    let user = store::member(db, call.actor, call.settings).await?;
    let quest = input.for_create()?;
    let (xp, coins) = quest.difficulty.rewards();
    let txn = begin_write(db).await?;
    let row = user_quests::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.0),
        source_quest_id: Set(None),
        xp_reward: Set(xp),
        coin_reward: Set(coins),
        status: Set(Standing::Active.as_str().to_owned()),
        progress: Set(0),
        is_active: Set(true),
        accepted_at: Set(call.now.into()),
        completed_at: Set(None),
        claimed_at: Set(None),
        last_completed_date: Set(None),
        streak_count: Set(0),
        created_at: Set(call.now.into()),
        updated_at: Set(call.now.into()),
        ..written(&quest)
    }
    .insert(&txn)
    .await?;
    let prefs = preferences::load(&txn, user).await?;
    txn.commit().await?;
    Ok(reads::own_view(&row, &prefs, call.now))
}

pub async fn update(
    db: &DatabaseConnection,
    call: Call<'_>,
    id: OwnQuestId,
    changes: OwnQuestChanges,
) -> AppResult<QuestView> {
    let user = store::member(db, call.actor, call.settings).await?;
    let txn = begin_write(db).await?;
    let (quest, prefs) = settled(&txn, user, id, call).await?;
    let base = OwnQuestForWrite {
        title: quest.title.clone(),
        description: quest.description.clone(),
        category: quest.category.clone(),
        difficulty: Difficulty::stored(quest.difficulty.as_deref()),
        target: quest.target,
        repeat: Some(own_rules::period_of(&quest)).filter(|p| *p != Period::OneTime),
        expires_at: quest.expires_at.as_ref().map(utc),
    };
    let changed = changes.apply(base)?;
    let (xp, coins) = changed.difficulty.rewards();
    let mut row = written(&changed);
    row.id = sea_orm::ActiveValue::Unchanged(quest.id);
    row.xp_reward = Set(xp);
    row.coin_reward = Set(coins);
    row.progress = Set(quest.progress.min(changed.target));
    row.updated_at = Set(call.now.into());
    let quest = row.update(&txn).await?;
    txn.commit().await?;
    Ok(reads::own_view(&quest, &prefs, call.now))
}

pub async fn delete(
    db: &DatabaseConnection,
    call: Call<'_>,
    id: OwnQuestId,
) -> AppResult<OwnQuestId> {
    let user = store::member(db, call.actor, call.settings).await?;
    let txn = begin_write(db).await?;
    let quest = store::own(&txn, user, id, true).await?;
    user_quests::Entity::delete_by_id(quest.id)
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(id)
}

/// Logs progress or completes the quest; reaching the target completes it and extends
/// its streak. A completed quest takes no more progress (changes nothing).
pub async fn progress(
    db: &DatabaseConnection,
    call: Call<'_>,
    id: OwnQuestId,
    step: Move,
) -> AppResult<QuestView> {
    if let Move::Log(amount) = step
        && !(1..=1_000_000).contains(&amount)
    {
        return Err(AppError::bad_input("amount", "from 1 to 1000000"));
    }
    let user = store::member(db, call.actor, call.settings).await?;
    let txn = begin_write(db).await?;
    let (quest, prefs) = settled(&txn, user, id, call).await?;
    refuse_expired(&quest, call.now)?;
    if Standing::stored(&quest.status) != Standing::Active {
        txn.commit().await?;
        return Ok(reads::own_view(&quest, &prefs, call.now));
    }
    let progress = match step {
        Move::Log(amount) => quest.progress.saturating_add(amount).min(quest.target),
        Move::Complete => quest.target,
    };
    let period = own_rules::period_of(&quest);
    let start = period.start_date(prefs.local_date(call.now));
    let mut row: user_quests::ActiveModel = quest.clone().into();
    row.progress = Set(progress);
    row.updated_at = Set(call.now.into());
    if progress >= quest.target {
        row.status = Set(Standing::Completed.as_str().to_owned());
        row.completed_at = Set(Some(call.now.into()));
        row.streak_count = Set(own_rules::streak_after(
            period,
            quest.last_completed_date,
            quest.streak_count,
            start,
        ));
        row.last_completed_date = Set(Some(start));
        let completed = RewardEvent::quest(
            user,
            RewardEventKind::QuestCompleted,
            quest.id,
            &quest.title,
            call.now,
        );
        reward_events::publish(&txn, completed).await?;
    }
    let quest = row.update(&txn).await?;
    txn.commit().await?;
    Ok(reads::own_view(&quest, &prefs, call.now))
}

pub async fn claim(
    db: &DatabaseConnection,
    call: Call<'_>,
    id: OwnQuestId,
) -> AppResult<OwnClaimed> {
    let user = store::member(db, call.actor, call.settings).await?;
    let txn = begin_write(db).await?;
    let (quest, prefs) = settled(&txn, user, id, call).await?;
    refuse_expired(&quest, call.now)?;
    let key = own_rules::window(&quest, &prefs, call.now).key;
    let claimed = match Standing::stored(&quest.status) {
        Standing::Active => {
            return Err(AppError::conflict(
                Reason::QuestNotCompleted,
                "this quest is not completed yet",
            ));
        }
        Standing::Claimed => {
            let paid = points_ledger::Entity::find()
                .filter(points_ledger::Column::UserId.eq(user.0))
                .filter(
                    points_ledger::Column::IdempotencyKey.eq(keys::own_quest_claim(quest.id, &key)),
                )
                .one(&txn)
                .await?;
            OwnClaimed {
                repeated: true,
                rewarded: paid.is_some(),
                earned: paid.as_ref().map(Earned::entry).unwrap_or_default(),
                quest: reads::own_view(&quest, &prefs, call.now),
            }
        }
        Standing::Completed => {
            let cap = call.settings.own_quest_claims_per_day;
            let paid = pay(&txn, user, &quest, &key, (&prefs, cap), call.now).await?;
            let mut row: user_quests::ActiveModel = quest.into();
            row.status = Set(Standing::Claimed.as_str().to_owned());
            row.claimed_at = Set(Some(call.now.into()));
            row.updated_at = Set(call.now.into());
            OwnClaimed {
                quest: reads::own_view(&row.update(&txn).await?, &prefs, call.now),
                repeated: false,
                rewarded: paid.is_some(),
                earned: paid.unwrap_or_default(),
            }
        }
    };
    txn.commit().await?;
    Ok(claimed)
}

fn refuse_expired(quest: &user_quests::Model, now: DateTime<Utc>) -> AppResult<()> {
    match quest.expires_at.as_ref() {
        Some(at) if utc(at) <= now => Err(AppError::conflict(
            Reason::QuestExpired,
            "this quest has expired",
        )),
        _ => Ok(()),
    }
}

/// Pays an own quest's claim in period `key`, unless today's rewarded claims reached the
/// cap (then nothing is paid: `None`).
async fn pay(
    conn: &impl ConnectionTrait,
    user: UserId,
    quest: &user_quests::Model,
    key: &str,
    (prefs, cap): (&Preferences, u32),
    now: DateTime<Utc>,
) -> AppResult<Option<Earned>> {
    let today = Period::Daily.window(prefs, now, now);
    let paid_today = points_ledger::Entity::find()
        .filter(points_ledger::Column::UserId.eq(user.0))
        .filter(points_ledger::Column::IdempotencyKey.starts_with(keys::OWN_QUEST_PREFIX))
        .filter(points_ledger::Column::CreatedAt.gte(today.start))
        .count(conn)
        .await?;
    if paid_today >= u64::from(cap) {
        return Ok(None);
    }
    let difficulty = Difficulty::stored(quest.difficulty.as_deref());
    let action = Action {
        event_type: EventType::QuestClaim,
        category: quest.category.clone(),
        metadata: Some(json!({ "ownQuestId": quest.id, "period": key })),
        award: rewards::own_quest_claim(quest.id, &quest.title, difficulty, key),
        habit_date: None,
    };
    let recorded = gamification::record_claim(conn, user, prefs, action, now).await?;
    let claimed = RewardEvent::quest(
        user,
        RewardEventKind::QuestClaimed,
        quest.id,
        &quest.title,
        now,
    );
    reward_events::publish_payment(conn, claimed, &recorded.awarded).await?;
    Ok(Some(Earned::of(&recorded)))
}

/// The caller's own quest, locked, with a stale period started over first (once, by a
/// conditional update; the winner pays a completion left unclaimed).
pub(super) async fn settled(
    conn: &impl ConnectionTrait,
    user: UserId,
    id: OwnQuestId,
    call: Call<'_>,
) -> AppResult<(user_quests::Model, Preferences)> {
    let (now, cap) = (call.now, call.settings.own_quest_claims_per_day);
    let quest = store::own(conn, user, id, true).await?;
    let prefs = preferences::load(conn, user).await?;
    let window = own_rules::window(&quest, &prefs, now);
    if !own_rules::is_stale(&quest, &window) {
        return Ok((quest, prefs));
    }
    let won = user_quests::Entity::update_many()
        .col_expr(
            user_quests::Column::Status,
            Expr::value(Standing::Active.as_str()),
        )
        .col_expr(user_quests::Column::Progress, Expr::value(0))
        .col_expr(
            user_quests::Column::CompletedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            user_quests::Column::ClaimedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(user_quests::Column::UpdatedAt, Expr::value(now))
        .filter(user_quests::Column::Id.eq(quest.id))
        .filter(user_quests::Column::UpdatedAt.lt(window.start))
        .exec(conn)
        .await?
        .rows_affected
        == 1;
    if won && Standing::stored(&quest.status) == Standing::Completed {
        let old = own_rules::period_of(&quest).key_at(&prefs, utc(&quest.updated_at));
        pay(conn, user, &quest, &old, (&prefs, cap), now).await?;
    }
    Ok((store::own(conn, user, id, true).await?, prefs))
}

fn written(quest: &OwnQuestForWrite) -> user_quests::ActiveModel {
    user_quests::ActiveModel {
        title: Set(quest.title.clone()),
        description: Set(quest.description.clone()),
        category: Set(quest.category.clone()),
        difficulty: Set(Some(quest.difficulty.as_str().to_owned())),
        target: Set(quest.target),
        is_repeatable: Set(quest.repeat.is_some()),
        repeat_frequency: Set(quest.repeat.map(|p| p.as_str().to_owned())),
        expires_at: Set(quest.expires_at.map(Into::into)),
        ..Default::default()
    }
}
