//! Spending coins: the one move that refuses when the balance is short. The check and the
//! debit are one conditional update, so racing spends can never overdraw.
use chrono::{DateTime, Utc};
use entity::{points_ledger, user_wallet};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};

use super::{
    ledger::{ensure_balances, write_entry},
    rewards,
};
use crate::domain::{AppError, AppResult, Reason, UserId};

/// Spends `coins` (> 0) for `reason` inside the caller's transaction; the ledger records a
/// `purchase` of minus that many coins. A repeated `idempotency_key` spends nothing more
/// and returns the first purchase.
pub async fn spend(
    conn: &impl ConnectionTrait,
    user: UserId,
    coins: i32,
    reason: &str,
    idempotency_key: Option<String>,
    now: DateTime<Utc>,
) -> AppResult<points_ledger::Model> {
    if coins <= 0 {
        return Err(AppError::bad_input(
            "coins",
            "a purchase costs at least one coin",
        ));
    }
    let purchase = rewards::purchase(coins, reason, idempotency_key);
    let (entry, repeated) = write_entry(conn, user, &purchase, now).await?;
    if repeated {
        return Ok(entry);
    }
    ensure_balances(conn, user, now).await?;
    let debited = user_wallet::Entity::update_many()
        .col_expr(
            user_wallet::Column::Coins,
            Expr::col(user_wallet::Column::Coins).sub(coins),
        )
        .col_expr(
            user_wallet::Column::TotalSpent,
            Expr::col(user_wallet::Column::TotalSpent).add(coins),
        )
        .col_expr(user_wallet::Column::UpdatedAt, Expr::value(now))
        .filter(user_wallet::Column::UserId.eq(user.0))
        .filter(user_wallet::Column::Coins.gte(coins))
        .exec(conn)
        .await?
        .rows_affected;
    if debited == 0 {
        // The caller's transaction rolls back the ledger row with this error.
        return Err(AppError::Conflict {
            reason: Some(Reason::InsufficientCoins),
            message: format!("not enough coins for this ({coins} needed)"),
        });
    }
    Ok(entry)
}
