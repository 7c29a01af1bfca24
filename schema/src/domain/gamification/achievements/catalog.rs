//! The achievement catalog as the user sees it: every definition in `sort_order`, earned or
//! locked (a hidden one only once earned), and acknowledging the earned ones' notices.
use std::collections::HashMap;

use entity::{achievement_definitions, user_achievements};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr,
};

use super::condition::Condition;
use crate::domain::{Actor, AppError, AppResult, UserId};

/// The most keys one acknowledgement takes (the catalog is far smaller).
pub const MAX_ACKNOWLEDGED: usize = 200;

/// A definition as evaluation needs it: what it pays, and its parsed trigger.
#[derive(Debug, Clone)]
pub struct Definition {
    pub key: String,
    pub name: String,
    pub category: String,
    pub reward_xp: i32,
    pub reward_coins: i32,
    pub condition: Condition,
}

impl Definition {
    /// The definition, when its trigger parses; a malformed one is logged and left out: it
    /// never matches, and never stops the others.
    pub fn parse(
        key: String,
        name: String,
        category: String,
        (reward_xp, reward_coins): (i32, i32),
        trigger_type: &str,
        trigger_config: &serde_json::Value,
    ) -> Option<Self> {
        match Condition::parse(trigger_type, trigger_config) {
            Ok(condition) => Some(Self {
                key,
                name,
                category,
                reward_xp,
                reward_coins,
                condition,
            }),
            Err(err) => {
                tracing::warn!(
                    achievement = %key,
                    error = %err,
                    "malformed achievement trigger skipped"
                );
                None
            }
        }
    }
}

async fn ordered(conn: &impl ConnectionTrait) -> AppResult<Vec<achievement_definitions::Model>> {
    Ok(achievement_definitions::Entity::find()
        .order_by_asc(achievement_definitions::Column::SortOrder)
        .order_by_asc(achievement_definitions::Column::Key)
        .all(conn)
        .await?)
}

/// One achievement as its user sees it; `earned` is `None` while locked.
#[derive(Debug, Clone)]
pub struct AchievementView {
    pub definition: achievement_definitions::Model,
    pub earned: Option<user_achievements::Model>,
}

/// The signed-in user's achievements: earned and locked, in `sort_order`; hidden ones only
/// once earned.
pub async fn list(conn: &impl ConnectionTrait, actor: &Actor) -> AppResult<Vec<AchievementView>> {
    of_user(conn, actor.require_user()?).await
}

/// Marks the signed-in user's earned achievements among `keys` as notified and returns the
/// list afterwards. Keys the user has not earned (or that do not exist) are ignored, so a
/// client may acknowledge from a stale list; a repeat changes nothing.
pub async fn acknowledge(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    keys: Vec<String>,
) -> AppResult<Vec<AchievementView>> {
    let user = actor.require_user()?;
    if keys.len() > MAX_ACKNOWLEDGED {
        return Err(AppError::bad_input(
            "keys",
            format!("acknowledge at most {MAX_ACKNOWLEDGED} achievements at once"),
        ));
    }
    if !keys.is_empty() {
        user_achievements::Entity::update_many()
            .col_expr(user_achievements::Column::Notified, Expr::value(true))
            .filter(user_achievements::Column::UserId.eq(user.0))
            .filter(user_achievements::Column::AchievementKey.is_in(keys))
            .filter(user_achievements::Column::Notified.eq(false))
            .exec(conn)
            .await?;
    }
    of_user(conn, user).await
}

async fn of_user(conn: &impl ConnectionTrait, user: UserId) -> AppResult<Vec<AchievementView>> {
    let mut earned: HashMap<String, user_achievements::Model> = user_achievements::Entity::find()
        .filter(user_achievements::Column::UserId.eq(user.0))
        .all(conn)
        .await?
        .into_iter()
        .map(|row| (row.achievement_key.clone(), row))
        .collect();
    Ok(ordered(conn)
        .await?
        .into_iter()
        .filter_map(|definition| {
            let earned = earned.remove(&definition.key);
            (earned.is_some() || !definition.is_hidden)
                .then_some(AchievementView { definition, earned })
        })
        .collect())
}
