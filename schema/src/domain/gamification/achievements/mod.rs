//! Achievements: each definition's trigger (`event`, `threshold`, `compound`) is checked
//! against the user's facts after every recorded action, in the caller's transaction. One
//! earned is stored once (`user_achievements`, unique per user and key), paid once through
//! `award` (idempotency key `achievement:<key>`), written to the feed as an
//! `achievement_earned` event, and `notified = false` until the client acknowledges it.
//!
//! Earning may unlock more (an `achievements_earned` count, a level reached with the
//! reward's XP), so evaluation repeats until a pass earns nothing. It never records an
//! action itself: achievement rewards do not extend streaks, and nothing recurses.
pub mod catalog;
pub mod condition;
mod facts;

use chrono::{DateTime, NaiveDate, Utc};
use entity::user_achievements;
use sea_orm::{ConnectionTrait, EntityTrait, Set, sea_query::OnConflict};
use serde_json::json;
use uuid::Uuid;

pub use catalog::{AchievementView, Definition, acknowledge, list};
pub use condition::{Condition, Malformed, Metric};
pub use facts::Facts;

use super::{
    Action, Awarded, EventType, balances, ledger,
    reward_events::{self, RewardEvent, RewardEventKind},
    rewards, snapshot,
    streaks::Book,
};
use crate::domain::{AppResult, UserId};

/// Reads what evaluation needs (one snapshot, the lifetime XP) and earns what now holds:
/// for rules outside the engine's own recording (an adjustment, a habit's settling).
pub async fn evaluate(
    conn: &impl ConnectionTrait,
    user: UserId,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<Vec<String>> {
    let snapshot = snapshot::read(conn, user, None).await?;
    let total_xp = balances::progress(conn, user).await?.total_xp;
    let streaks = Book::new(snapshot.streaks.clone()).as_of(today);
    let facts = Facts::new(&snapshot, streaks, total_xp);
    earn_what_holds(conn, user, &snapshot.definitions, facts, now).await
}

/// Earns every achievement whose condition holds on `facts` and the user has not earned
/// yet; returns their keys in the order earned.
pub async fn earn_what_holds(
    conn: &impl ConnectionTrait,
    user: UserId,
    definitions: &[Definition],
    mut facts: Facts,
    now: DateTime<Utc>,
) -> AppResult<Vec<String>> {
    let mut earned = Vec::new();
    // A pass that earns nothing ends it; each other pass earns at least one of a finite
    // catalog, so there are at most `len + 1` passes.
    for _ in 0..=definitions.len() {
        let before = earned.len();
        for definition in definitions {
            let key = &definition.key;
            if facts.has_earned(key) || !definition.condition.holds(&facts) {
                continue;
            }
            match earn(conn, user, definition, now).await? {
                Some(awarded) => {
                    let xp = if awarded.repeated {
                        0
                    } else {
                        awarded.entry.xp
                    };
                    facts.earn(key, xp);
                    earned.push(key.clone());
                }
                None => facts.skip(key),
            }
        }
        if earned.len() == before {
            break;
        }
    }
    Ok(earned)
}

/// Stores, pays and announces one achievement; `None` when it was already stored (a
/// concurrent evaluation got there first and paid it).
async fn earn(
    conn: &impl ConnectionTrait,
    user: UserId,
    definition: &Definition,
    now: DateTime<Utc>,
) -> AppResult<Option<Awarded>> {
    let id = Uuid::now_v7();
    let inserted = user_achievements::Entity::insert(user_achievements::ActiveModel {
        id: Set(id),
        user_id: Set(user.0),
        achievement_key: Set(definition.key.clone()),
        earned_at: Set(now.into()),
        notified: Set(false),
    })
    .on_conflict(
        OnConflict::columns([
            user_achievements::Column::UserId,
            user_achievements::Column::AchievementKey,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    if inserted == 0 {
        return Ok(None);
    }
    let action = Action {
        event_type: EventType::AchievementEarned,
        category: Some(definition.category.clone()),
        metadata: Some(json!({ "achievement": definition.key, "name": definition.name })),
        award: rewards::achievement(
            id,
            &definition.key,
            definition.reward_xp,
            definition.reward_coins,
        ),
        habit_date: None,
    };
    let awarded = ledger::award_action(conn, user, &action, now).await?;
    let mut event = RewardEvent::new(
        user,
        RewardEventKind::AchievementEarned,
        definition.name.clone(),
        now,
    )
    .paying(&awarded.entry);
    event.achievement = Some(definition.key.clone());
    reward_events::publish(conn, event).await?;
    Ok(Some(awarded))
}
