//! Admin point adjustments: a correction or a gift, paid through `award` like everything
//! else, once per idempotency key, and audited.
use chrono::{DateTime, Utc};
use entity::points_ledger;
use sea_orm::DatabaseConnection;
use serde_json::json;
use uuid::Uuid;

use super::{achievements, award, rewards};
use crate::domain::{
    Actor, AppError, AppResult, RequestMeta, UserId,
    auth::{
        audit::{self, AuditEntry},
        preferences, users,
    },
    db::begin_write,
    rbac::{self, Entitlement},
};

/// The largest XP or coins one adjustment may give or take.
pub const MAX_ADJUSTMENT: i32 = 1_000_000;

#[derive(Debug, Clone)]
pub struct Adjustment {
    pub user: Uuid,
    pub xp: i32,
    pub coins: i32,
    pub reason: String,
    /// The admin client's key for this submission; a retry pays once.
    pub idempotency_key: String,
}

/// The ledger row, and whether it was an earlier call's.
pub async fn adjust(
    db: &DatabaseConnection,
    actor: &Actor,
    adjustment: Adjustment,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<(points_ledger::Model, bool)> {
    let admin = rbac::require(db, actor, Entitlement::POINTS_LEDGER_CREATE, now).await?;
    if adjustment.xp == 0 && adjustment.coins == 0 {
        return Err(AppError::bad_input("xp", "adjust XP, coins or both"));
    }
    for (field, amount) in [("xp", adjustment.xp), ("coins", adjustment.coins)] {
        if amount.unsigned_abs() > MAX_ADJUSTMENT.unsigned_abs() {
            return Err(AppError::bad_input(
                field,
                format!("from -{MAX_ADJUSTMENT} to {MAX_ADJUSTMENT}"),
            ));
        }
    }
    let reason = adjustment.reason.trim();
    if reason.is_empty() || reason.len() > 500 {
        return Err(AppError::bad_input(
            "reason",
            "say why, in at most 500 characters",
        ));
    }
    let key = adjustment.idempotency_key.trim();
    if key.is_empty() || key.len() > 200 {
        return Err(AppError::bad_input("idempotencyKey", "1 to 200 characters"));
    }
    let txn = begin_write(db).await?;
    let target = users::find(&txn, adjustment.user).await?;
    let paid = award(
        &txn,
        UserId(target.id),
        rewards::adjustment(adjustment.xp, adjustment.coins, reason, key),
        now,
    )
    .await?;
    if !paid.repeated {
        let today = preferences::load(&txn, UserId(target.id))
            .await?
            .local_date(now);
        achievements::evaluate(&txn, UserId(target.id), today, now).await?;
    }
    let entry = AuditEntry {
        resource_type: Some("points_ledger"),
        resource_id: Some(paid.entry.id),
        action: Some("create"),
        ..AuditEntry::success("points_adjusted").user(admin.0).details(json!({
            "target_user_id": target.id,
            "before": null,
            "after": { "xp": paid.entry.xp, "coins": paid.entry.coins, "reason": paid.entry.reason },
            "repeated": paid.repeated,
        }))
    };
    audit::record(&txn, meta, now, entry).await?;
    txn.commit().await?;
    Ok((paid.entry, paid.repeated))
}
