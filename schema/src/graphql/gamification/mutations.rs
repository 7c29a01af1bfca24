//! `adjustPoints`: an admin's correction of a user's XP or coins, through the engine.
use async_graphql::{Context, InputObject, Object, SimpleObject};
use uuid::Uuid;

use super::LedgerEntry;
use crate::domain::gamification::adjustments::{self, Adjustment};
use crate::graphql::context::ContextExt;

#[derive(InputObject)]
pub struct AdjustPointsInput {
    user_id: Uuid,
    /// Positive to give, negative to take back; -1,000,000 to 1,000,000. An adjustment
    /// that would carry a total past 2,147,483,647 is CONFLICT `TOTAL_LIMIT_REACHED`.
    #[graphql(default)]
    xp: i32,
    /// -1,000,000 to 1,000,000, like `xp`.
    #[graphql(default)]
    coins: i32,
    reason: String,
    /// One per submission: a retried call pays once.
    idempotency_key: String,
}

#[derive(SimpleObject)]
pub struct AdjustPointsPayload {
    entry: LedgerEntry,
    /// True when this key was already used and nothing more was paid.
    repeated: bool,
}

#[derive(Default)]
pub struct GamificationMutation;

#[Object]
impl GamificationMutation {
    /// Corrects a user's XP or coins (needs `points_ledger:create`).
    async fn adjust_points(
        &self,
        ctx: &Context<'_>,
        input: AdjustPointsInput,
    ) -> async_graphql::Result<AdjustPointsPayload> {
        let adjustment = Adjustment {
            user: input.user_id,
            xp: input.xp,
            coins: input.coins,
            reason: input.reason,
            idempotency_key: input.idempotency_key,
        };
        let (entry, repeated) =
            adjustments::adjust(ctx.db()?, ctx.actor()?, adjustment, ctx.meta()?, ctx.now()?)
                .await?;
        Ok(AdjustPointsPayload {
            entry: entry.into(),
            repeated,
        })
    }
}
