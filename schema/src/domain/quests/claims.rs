//! Accepting a catalog quest and claiming it. A claim pays the quest's own rewards through
//! the engine (`quest_claim`), keyed per (user, quest, period): concurrent claims lock the
//! standing and pay once, a repeat returns the first payment as `repeated`; claiming an
//! active quest is CONFLICT `QUEST_NOT_COMPLETED`. An undo that drops a claimed quest below
//! its target takes the claim back as a reversal; claiming again is the next occurrence.
use chrono::{DateTime, Utc};
use entity::{points_ledger, universal_quests, user_quest_progress};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set, sea_query::OnConflict,
};
use serde_json::json;
use uuid::Uuid;

use super::{
    QuestId, Standing,
    progress::{self, Held},
    reads::{self, QuestView},
    store,
};
use crate::domain::{
    Actor, AppError, AppResult, Reason, UserId,
    auth::{
        AuthSettings,
        preferences::{self, Preferences},
    },
    db::begin_write,
    gamification::{
        self, Action, Earned, EventType, RewardEvent, RewardEventKind, activity,
        reversals::Payments,
        reward_events,
        rewards::{self, LedgerSource, QuestClaim, keys},
    },
};

/// Accepts a catalog quest; accepting one already held changes nothing. Counting starts
/// now: activity earlier in the period does not count.
pub async fn accept(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    id: QuestId,
    now: DateTime<Utc>,
) -> AppResult<QuestView> {
    let user = store::member(db, actor, settings).await?;
    let txn = begin_write(db).await?;
    let quest = universal_quests::Entity::find_by_id(id.0)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("quest", id.0))?;
    if store::standing(&txn, user, id, false).await.is_err() && !quest.is_active {
        return Err(AppError::conflict(
            Reason::QuestRetired,
            "this quest is retired",
        ));
    }
    let prefs = preferences::load(&txn, user).await?;
    let period = super::Period::parse(&quest.r#type).unwrap_or(super::Period::OneTime);
    let window = period.window(&prefs, now, now);
    user_quest_progress::Entity::insert(user_quest_progress::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.0),
        quest_id: Set(quest.id),
        status: Set(Standing::Active.as_str().to_owned()),
        progress: Set(0),
        accepted_at: Set(now.into()),
        completed_at: Set(None),
        claimed_at: Set(None),
        last_reset_at: Set(Some(window.start.into())),
        times_completed: Set(0),
        created_at: Set(now.into()),
        updated_at: Set(now.into()),
    })
    .on_conflict(
        OnConflict::columns([
            user_quest_progress::Column::UserId,
            user_quest_progress::Column::QuestId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let held = store::standing(&txn, user, id, false).await?;
    txn.commit().await?;
    Ok(reads::standing(&held, &prefs, now))
}

/// What a claim did: the standing after it, and the payment (the first one when repeated).
#[derive(Debug, Clone)]
pub struct Claimed {
    pub quest: QuestView,
    pub repeated: bool,
    /// What the claim paid (for a repeat, what the first claim paid).
    pub earned: Earned,
}

pub async fn claim(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    id: QuestId,
    now: DateTime<Utc>,
) -> AppResult<Claimed> {
    let user = store::member(db, actor, settings).await?;
    let prefs = preferences::of_actor(db, actor, user).await?;
    let txn = begin_write(db).await?;
    store::lock_standing(&txn, user, id).await?;
    let followed = progress::follow(&txn, user, &prefs, now).await?;
    let held = match followed.into_iter().find(|h| h.quest.id == id.0) {
        Some(held) => held,
        // A retired quest's last period: no current one to count.
        None => store::standing(&txn, user, id, false).await?,
    };
    let key = held.window(&prefs, now).key;
    let claimed = match held.standing() {
        Standing::Active => {
            return Err(AppError::conflict(
                Reason::QuestNotCompleted,
                "this quest is not completed yet",
            ));
        }
        Standing::Claimed => {
            let first = standing_claims(&txn, user, &held, &key).await?.1.pop();
            Claimed {
                repeated: true,
                earned: first.as_ref().map(Earned::entry).unwrap_or_default(),
                quest: reads::standing(&held, &prefs, now),
            }
        }
        Standing::Completed => {
            let paid = pay(&txn, user, &prefs, &held, &key, now).await?;
            let mut row: user_quest_progress::ActiveModel = held.row.into();
            row.status = Set(Standing::Claimed.as_str().to_owned());
            row.claimed_at = Set(Some(now.into()));
            row.updated_at = Set(now.into());
            let row = row.update(&txn).await?;
            Claimed {
                quest: reads::standing(
                    &Held {
                        row,
                        quest: held.quest,
                    },
                    &prefs,
                    now,
                ),
                repeated: false,
                earned: paid,
            }
        }
    };
    txn.commit().await?;
    Ok(claimed)
}

/// Pays the claim of `held` in the period `period_key` through the engine, as the next
/// occurrence of that period's claims.
pub(super) async fn pay(
    conn: &impl ConnectionTrait,
    user: UserId,
    prefs: &Preferences,
    held: &Held,
    period_key: &str,
    now: DateTime<Utc>,
) -> AppResult<Earned> {
    let payments = Payments::of(conn, user, LedgerSource::Quest, held.row.id).await?;
    let prefix = keys::quest_period(held.quest.id, period_key);
    let occurrence = payments.all().filter(|p| in_period(p, &prefix)).count() + 1;
    let award = rewards::quest_claim(QuestClaim {
        subject: held.row.id,
        title: &held.quest.title,
        xp: held.quest.xp_reward,
        coins: held.quest.coin_reward,
        skill: held.quest.skill_key.as_deref(),
        key: keys::quest_claim(held.quest.id, period_key, occurrence),
    });
    let action = Action {
        event_type: EventType::QuestClaim,
        category: held.quest.skill_key.clone(),
        metadata: Some(json!({
            "questId": held.quest.id,
            "progressId": held.row.id,
            "period": period_key,
        })),
        award,
        habit_date: None,
    };
    let recorded = gamification::record_claim(conn, user, prefs, action, now).await?;
    let claimed = RewardEvent::quest(
        user,
        RewardEventKind::QuestClaimed,
        held.quest.id,
        &held.quest.title,
        now,
    );
    reward_events::publish_payment(conn, claimed, &recorded.awarded).await?;
    Ok(Earned::of(&recorded))
}

fn in_period(paid: &points_ledger::Model, prefix: &str) -> bool {
    paid.idempotency_key
        .as_deref()
        .is_some_and(|k| k.starts_with(prefix))
}

/// What `held`'s claims were paid, and those of the period that still stand, oldest first.
async fn standing_claims(
    conn: &impl ConnectionTrait,
    user: UserId,
    held: &Held,
    period_key: &str,
) -> AppResult<(Payments, Vec<points_ledger::Model>)> {
    let prefix = keys::quest_period(held.quest.id, period_key);
    let payments = Payments::of(conn, user, LedgerSource::Quest, held.row.id).await?;
    let standing = payments
        .standing()
        .filter(|p| in_period(p, &prefix))
        .cloned()
        .collect();
    Ok((payments, standing))
}

/// Takes back the standing claims of `held` in the period (reversal rows) and retracts
/// the claim's activity event, so what was claimed for what no longer stands is undone.
pub(super) async fn take_back(
    conn: &impl ConnectionTrait,
    user: UserId,
    held: &Held,
    period_key: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let (payments, standing) = standing_claims(conn, user, held, period_key).await?;
    for paid in &standing {
        payments.reverse(conn, user, paid, now).await?;
    }
    if let Some(at) = held.row.claimed_at {
        activity::retract(
            conn,
            user,
            EventType::QuestClaim,
            at,
            "progressId",
            held.row.id,
        )
        .await?;
    }
    Ok(())
}
