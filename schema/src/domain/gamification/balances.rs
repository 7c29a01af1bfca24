//! Reading a user's standing: progress on the level curve, the wallet, and the ledger.
use entity::{points_ledger, user_progress, user_wallet};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::levels::{self, Standing};
use crate::domain::{
    Actor, AppResult, UserId,
    pagination::{self, Keyset, Listing, PageRequest},
};

/// Lifetime XP, where it stands on the curve, and all stars earned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub total_xp: i64,
    pub standing: Standing,
    pub total_skill_stars: i64,
}

pub async fn progress(conn: &impl ConnectionTrait, user: UserId) -> AppResult<Progress> {
    let row = user_progress::Entity::find()
        .filter(user_progress::Column::UserId.eq(user.0))
        .one(conn)
        .await?;
    let (total_xp, stars) = row.map_or((0, 0), |r| {
        (i64::from(r.total_xp), i64::from(r.total_skill_stars))
    });
    Ok(Progress {
        total_xp,
        standing: levels::standing(total_xp),
        total_skill_stars: stars,
    })
}

/// Coins now, earned in all, spent in all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Wallet {
    pub coins: i32,
    pub total_earned: i32,
    pub total_spent: i32,
}

pub async fn wallet(conn: &impl ConnectionTrait, user: UserId) -> AppResult<Wallet> {
    let row = user_wallet::Entity::find()
        .filter(user_wallet::Column::UserId.eq(user.0))
        .one(conn)
        .await?;
    Ok(row.map_or_else(Wallet::default, |w| Wallet {
        coins: w.coins,
        total_earned: w.total_earned,
        total_spent: w.total_spent,
    }))
}

/// The signed-in user's ledger, newest first.
pub async fn ledger(
    db: &impl ConnectionTrait,
    actor: &Actor,
    request: PageRequest,
) -> AppResult<Listing<points_ledger::Entity>> {
    let user = actor.require_user()?;
    let select = points_ledger::Entity::find().filter(points_ledger::Column::UserId.eq(user.0));
    let keyset = Keyset::newest_first(points_ledger::Column::CreatedAt, points_ledger::Column::Id);
    pagination::paginate(db, select, keyset, request).await
}
