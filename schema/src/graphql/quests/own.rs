//! The viewer's own quests: `createMyQuest`, `updateMyQuest`, `deleteMyQuest`,
//! `logMyQuestProgress`, `completeMyQuest`, `claimMyQuest`. There is no XP or coin field:
//! a claim pays by the difficulty. Another user's quest is NOT_FOUND.
use async_graphql::{Context, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Quest, QuestDifficulty, QuestPeriod};
use crate::graphql::gamification::reward::Reward;
use crate::{
    domain::quests::{
        OwnQuestId,
        input::OwnQuestChanges,
        own::{self, Call, Move},
    },
    graphql::{context::ContextExt, input::change},
};

#[derive(InputObject)]
pub struct CreateMyQuestInput {
    title: String,
    description: Option<String>,
    category: Option<String>,
    #[graphql(default_with = "QuestDifficulty::Normal")]
    difficulty: QuestDifficulty,
    #[graphql(default = 1)]
    target: i32,
    /// DAILY or WEEKLY to start over each period; omit for a one-off.
    repeat: Option<QuestPeriod>,
    /// Past it the quest takes no progress and no claim.
    expires_at: Option<DateTime<Utc>>,
}

#[derive(InputObject)]
pub struct UpdateMyQuestInput {
    quest_id: Uuid,
    title: Option<String>,
    /// Omit to keep, null to clear (likewise below).
    description: MaybeUndefined<String>,
    category: MaybeUndefined<String>,
    difficulty: Option<QuestDifficulty>,
    target: Option<i32>,
    repeat: MaybeUndefined<QuestPeriod>,
    expires_at: MaybeUndefined<DateTime<Utc>>,
}

#[derive(InputObject)]
pub struct MyQuestInput {
    quest_id: Uuid,
}

#[derive(InputObject)]
pub struct LogMyQuestProgressInput {
    quest_id: Uuid,
    /// 1 or more; progress stops at the target.
    amount: i32,
}

#[derive(SimpleObject)]
pub struct MyQuestPayload {
    quest: Quest,
}

#[derive(SimpleObject)]
pub struct DeleteMyQuestPayload {
    deleted_quest_id: Uuid,
}

#[derive(SimpleObject)]
pub struct ClaimMyQuestPayload {
    quest: Quest,
    repeated: bool,
    /// False when the day's cap of rewarded own-quest claims was reached: nothing paid.
    rewarded: bool,
    xp_awarded: i32,
    coins_awarded: i32,
    /// What the claim earned, as every rewarding payload says it.
    reward: Reward,
}

#[derive(Default)]
pub struct OwnQuestsMutation;

pub(super) fn call<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<Call<'a>> {
    Ok(Call {
        actor: ctx.actor()?,
        settings: &ctx.identity()?.settings,
        now: ctx.now()?,
    })
}

async fn step(ctx: &Context<'_>, id: Uuid, step: Move) -> async_graphql::Result<MyQuestPayload> {
    let quest = own::progress(ctx.db()?, call(ctx)?, OwnQuestId(id), step).await?;
    Ok(MyQuestPayload {
        quest: quest.into(),
    })
}

#[Object]
impl OwnQuestsMutation {
    async fn create_my_quest(
        &self,
        ctx: &Context<'_>,
        input: CreateMyQuestInput,
    ) -> async_graphql::Result<MyQuestPayload> {
        let changes = OwnQuestChanges {
            title: Some(input.title),
            description: Some(input.description),
            category: Some(input.category),
            difficulty: Some(input.difficulty.into()),
            target: Some(input.target),
            repeat: Some(input.repeat.map(Into::into)),
            expires_at: Some(input.expires_at),
        };
        let quest = own::create(ctx.db()?, call(ctx)?, changes).await?;
        Ok(MyQuestPayload {
            quest: quest.into(),
        })
    }

    async fn update_my_quest(
        &self,
        ctx: &Context<'_>,
        input: UpdateMyQuestInput,
    ) -> async_graphql::Result<MyQuestPayload> {
        let changes = OwnQuestChanges {
            title: input.title,
            description: change(input.description),
            category: change(input.category),
            difficulty: input.difficulty.map(Into::into),
            target: input.target,
            repeat: change(input.repeat).map(|r| r.map(Into::into)),
            expires_at: change(input.expires_at),
        };
        let id = OwnQuestId(input.quest_id);
        let quest = own::update(ctx.db()?, call(ctx)?, id, changes).await?;
        Ok(MyQuestPayload {
            quest: quest.into(),
        })
    }

    async fn delete_my_quest(
        &self,
        ctx: &Context<'_>,
        input: MyQuestInput,
    ) -> async_graphql::Result<DeleteMyQuestPayload> {
        let id = own::delete(ctx.db()?, call(ctx)?, OwnQuestId(input.quest_id)).await?;
        Ok(DeleteMyQuestPayload {
            deleted_quest_id: id.0,
        })
    }

    /// Adds progress by hand; reaching the target completes the quest (CONFLICT
    /// `QUEST_EXPIRED` past its expiry).
    async fn log_my_quest_progress(
        &self,
        ctx: &Context<'_>,
        input: LogMyQuestProgressInput,
    ) -> async_graphql::Result<MyQuestPayload> {
        step(ctx, input.quest_id, Move::Log(input.amount)).await
    }

    async fn complete_my_quest(
        &self,
        ctx: &Context<'_>,
        input: MyQuestInput,
    ) -> async_graphql::Result<MyQuestPayload> {
        step(ctx, input.quest_id, Move::Complete).await
    }

    /// Pays a completed own quest by its difficulty, once per period.
    async fn claim_my_quest(
        &self,
        ctx: &Context<'_>,
        input: MyQuestInput,
    ) -> async_graphql::Result<ClaimMyQuestPayload> {
        let claimed = own::claim(ctx.db()?, call(ctx)?, OwnQuestId(input.quest_id)).await?;
        Ok(ClaimMyQuestPayload {
            quest: claimed.quest.into(),
            repeated: claimed.repeated,
            rewarded: claimed.rewarded,
            xp_awarded: claimed.earned.xp,
            coins_awarded: claimed.earned.coins,
            reward: claimed.earned.into(),
        })
    }
}
