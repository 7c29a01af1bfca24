//! SQLite: an award's ledger row, wallet, progress and skill written one statement each
//! (PostgreSQL sends them as one, `award_statement`), each balance refused past the
//! INTEGER range in its upsert's WHERE, so the refusal holds under races.
use chrono::{DateTime, Utc};
use entity::{user_progress, user_wallet};
use sea_orm::{
    ConnectionTrait, EntityTrait, Set,
    sea_query::{Alias, Expr, ExprTrait, OnConflict},
};
use uuid::Uuid;

use super::{
    ledger::{Award, Moved, first_to_next, returned_nothing, total_limit, write_entry},
    skills::{self, SkillRule},
};
use crate::domain::{AppResult, UserId};

/// The ledger row, the wallet, the progress and the skill, one statement each (SQLite;
/// PostgreSQL sends them as one, `award_statement`).
pub(super) async fn write(
    conn: &impl ConnectionTrait,
    user: UserId,
    award: &Award,
    rule: Option<&SkillRule>,
    now: DateTime<Utc>,
) -> AppResult<Moved> {
    let (entry, repeated) = write_entry(conn, user, award, now).await?;
    if repeated {
        return Ok(Moved {
            entry,
            repeated,
            progress: None,
            skill: None,
        });
    }
    move_wallet(conn, user, award.coins, now).await?;
    let progress = move_progress(conn, user, award.xp, award.stars(), now).await?;
    let skill = match rule {
        Some(rule) => Some(skills::add_stars(conn, user, rule, award.stars(), now).await?),
        None => None,
    };
    Ok(Moved {
        entry,
        repeated,
        progress,
        skill,
    })
}

/// Coins earned (or taken back): the balance and lifetime earnings move together, in one
/// upsert that also creates the wallet on a user's first award.
async fn move_wallet(
    conn: &impl ConnectionTrait,
    user: UserId,
    coins: i32,
    now: DateTime<Utc>,
) -> AppResult<()> {
    use user_wallet::Column as C;
    let moved = user_wallet::Entity::insert(user_wallet::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.0),
        coins: Set(coins),
        total_earned: Set(coins),
        total_spent: Set(0),
        created_at: Set(now.into()),
        updated_at: Set(now.into()),
    })
    .on_conflict(
        OnConflict::column(C::UserId)
            .values([
                (C::Coins, stored(user_wallet::Entity, C::Coins).add(coins)),
                (
                    C::TotalEarned,
                    stored(user_wallet::Entity, C::TotalEarned).add(coins),
                ),
                (C::UpdatedAt, Expr::value(now)),
            ])
            .action_and_where(
                fits(stored(user_wallet::Entity, C::Coins), coins)
                    .and(fits(stored(user_wallet::Entity, C::TotalEarned), coins)),
            )
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    if moved == 0 {
        return Err(total_limit("coins"));
    }
    Ok(())
}

/// A column of the row an upsert found (not the one it tried to insert).
fn stored<E: sea_orm::EntityTrait, C: sea_orm::sea_query::IntoIden>(entity: E, column: C) -> Expr {
    Expr::col((entity, column))
}

/// Whether `column + delta` stays within the INTEGER columns' range, computed in 64 bits so
/// the check itself cannot overflow. Used in the UPDATE's WHERE, so it holds under races.
fn fits(column: Expr, delta: i32) -> Expr {
    column
        .cast_as(Alias::new("BIGINT"))
        .add(i64::from(delta))
        .between(i64::from(i32::MIN), i64::from(i32::MAX))
}

/// Lifetime XP and stars move, with the XP still missing for the next level, in one upsert
/// that also creates the progress row on a user's first award. Returns the row, when
/// anything moved; [`settle_level`] then corrects its level.
async fn move_progress(
    conn: &impl ConnectionTrait,
    user: UserId,
    xp: i32,
    stars: i32,
    now: DateTime<Utc>,
) -> AppResult<Option<user_progress::Model>> {
    use user_progress::Column as C;
    if xp == 0 && stars == 0 {
        return Ok(None);
    }
    let moved = user_progress::Entity::insert(user_progress::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.0),
        total_xp: Set(xp),
        current_level: Set(1),
        xp_to_next_level: Set(first_to_next(xp)),
        total_skill_stars: Set(stars),
        created_at: Set(now.into()),
        updated_at: Set(now.into()),
    })
    .on_conflict(
        OnConflict::column(C::UserId)
            .values([
                (
                    C::TotalXp,
                    stored(user_progress::Entity, C::TotalXp).add(xp),
                ),
                (
                    C::TotalSkillStars,
                    stored(user_progress::Entity, C::TotalSkillStars).add(stars),
                ),
                (
                    C::XpToNextLevel,
                    stored(user_progress::Entity, C::XpToNextLevel).sub(xp),
                ),
                (C::UpdatedAt, Expr::value(now)),
            ])
            .action_and_where(
                fits(stored(user_progress::Entity, C::TotalXp), xp).and(fits(
                    stored(user_progress::Entity, C::TotalSkillStars),
                    stars,
                )),
            )
            .to_owned(),
    )
    .exec_with_returning(conn)
    .await;
    match moved {
        Ok(row) => Ok(Some(row)),
        Err(err) if returned_nothing(&err) => Err(total_limit("XP or skill stars")),
        Err(err) => Err(err.into()),
    }
}
