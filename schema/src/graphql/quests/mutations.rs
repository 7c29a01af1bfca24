//! The catalog's admin mutations (`createQuest`, `updateQuest`, `retireQuest`,
//! `reinstateQuest`, `deleteQuest`: FORBIDDEN without `universal_quests:*`) and the
//! viewer's `acceptQuest` and `claimQuest`.
use async_graphql::{Context, InputObject, Json, MaybeUndefined, Object, SimpleObject};
use uuid::Uuid;

use super::{CatalogQuest, Quest, QuestPeriod, QuestTargetType};
use crate::graphql::gamification::reward::Reward;
use crate::{
    domain::quests::{
        QuestId,
        catalog::{self, AdminCall},
        claims,
        input::QuestChanges,
    },
    graphql::{context::ContextExt, input::change},
};

#[derive(InputObject)]
pub struct CreateQuestInput {
    title: String,
    description: Option<String>,
    period: QuestPeriod,
    target_type: QuestTargetType,
    /// 1 or more.
    #[graphql(default = 1)]
    target: i32,
    /// Only the conditions the target type allows (BAD_USER_INPUT naming the key else).
    target_config: Option<Json<serde_json::Value>>,
    #[graphql(default)]
    xp_reward: i32,
    #[graphql(default)]
    coin_reward: i32,
    skill_key: Option<String>,
    #[graphql(default)]
    sort_order: i32,
}

#[derive(InputObject)]
pub struct UpdateQuestInput {
    quest_id: Uuid,
    title: Option<String>,
    /// Omit to keep, null to clear (likewise below).
    description: MaybeUndefined<String>,
    period: Option<QuestPeriod>,
    target_type: Option<QuestTargetType>,
    target: Option<i32>,
    target_config: MaybeUndefined<Json<serde_json::Value>>,
    xp_reward: Option<i32>,
    coin_reward: Option<i32>,
    skill_key: MaybeUndefined<String>,
    sort_order: Option<i32>,
}

#[derive(InputObject)]
pub struct QuestInput {
    quest_id: Uuid,
}

#[derive(SimpleObject)]
pub struct CatalogQuestPayload {
    quest: CatalogQuest,
}

#[derive(SimpleObject)]
pub struct DeleteQuestPayload {
    deleted_quest_id: Uuid,
}

#[derive(SimpleObject)]
pub struct AcceptQuestPayload {
    quest: Quest,
}

#[derive(SimpleObject)]
pub struct ClaimQuestPayload {
    quest: Quest,
    /// True when this quest was already claimed this period: the first claim's amounts.
    repeated: bool,
    xp_awarded: i32,
    coins_awarded: i32,
    /// What the claim earned, as every rewarding payload says it.
    reward: Reward,
}

#[derive(Default)]
pub struct QuestsMutation;

fn call<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<AdminCall<'a>> {
    Ok(AdminCall {
        actor: ctx.actor()?,
        meta: ctx.meta()?,
        now: ctx.now()?,
    })
}

#[Object]
impl QuestsMutation {
    /// Adds a quest to the catalog (`universal_quests:create`).
    async fn create_quest(
        &self,
        ctx: &Context<'_>,
        input: CreateQuestInput,
    ) -> async_graphql::Result<CatalogQuestPayload> {
        let changes = QuestChanges {
            title: Some(input.title),
            description: Some(input.description),
            period: Some(input.period.into()),
            target_type: Some(input.target_type.into()),
            target: Some(input.target),
            target_config: Some(input.target_config.map(|j| j.0)),
            xp_reward: Some(input.xp_reward),
            coin_reward: Some(input.coin_reward),
            skill_key: Some(input.skill_key),
            sort_order: Some(input.sort_order),
        };
        let quest = catalog::create(ctx.db()?, call(ctx)?, changes).await?;
        Ok(CatalogQuestPayload {
            quest: quest.into(),
        })
    }

    /// Edits a catalog quest (`universal_quests:update`). New rewards (`xpReward`,
    /// `coinReward`, `skillKey`) apply from each holder's next period: a period under way
    /// pays, and shows, what it started with.
    async fn update_quest(
        &self,
        ctx: &Context<'_>,
        input: UpdateQuestInput,
    ) -> async_graphql::Result<CatalogQuestPayload> {
        let changes = QuestChanges {
            title: input.title,
            description: change(input.description),
            period: input.period.map(Into::into),
            target_type: input.target_type.map(Into::into),
            target: input.target,
            target_config: change(input.target_config).map(|c| c.map(|j| j.0)),
            xp_reward: input.xp_reward,
            coin_reward: input.coin_reward,
            skill_key: change(input.skill_key),
            sort_order: input.sort_order,
        };
        let id = QuestId(input.quest_id);
        let quest = catalog::update(ctx.db()?, call(ctx)?, id, changes).await?;
        Ok(CatalogQuestPayload {
            quest: quest.into(),
        })
    }

    /// Hides a quest from the catalog and refuses new accepts; holders finish their
    /// current period and may claim it (`universal_quests:update`).
    async fn retire_quest(
        &self,
        ctx: &Context<'_>,
        input: QuestInput,
    ) -> async_graphql::Result<CatalogQuestPayload> {
        let id = QuestId(input.quest_id);
        let quest = catalog::set_active(ctx.db()?, call(ctx)?, id, false).await?;
        Ok(CatalogQuestPayload {
            quest: quest.into(),
        })
    }

    /// Puts a retired quest back in the catalog (`universal_quests:update`).
    async fn reinstate_quest(
        &self,
        ctx: &Context<'_>,
        input: QuestInput,
    ) -> async_graphql::Result<CatalogQuestPayload> {
        let id = QuestId(input.quest_id);
        let quest = catalog::set_active(ctx.db()?, call(ctx)?, id, true).await?;
        Ok(CatalogQuestPayload {
            quest: quest.into(),
        })
    }

    /// Deletes a quest nobody holds; one someone holds is CONFLICT `QUEST_IN_USE` (retire
    /// it instead) (`universal_quests:delete`).
    async fn delete_quest(
        &self,
        ctx: &Context<'_>,
        input: QuestInput,
    ) -> async_graphql::Result<DeleteQuestPayload> {
        let id = catalog::delete(ctx.db()?, call(ctx)?, QuestId(input.quest_id)).await?;
        Ok(DeleteQuestPayload {
            deleted_quest_id: id.0,
        })
    }

    /// Accepts a catalog quest (a retired one: CONFLICT `QUEST_RETIRED`); accepting one
    /// already held changes nothing. Progress counts from now: activity earlier in the
    /// period does not count.
    async fn accept_quest(
        &self,
        ctx: &Context<'_>,
        input: QuestInput,
    ) -> async_graphql::Result<AcceptQuestPayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let quest =
            claims::accept(db, actor, settings, QuestId(input.quest_id), ctx.now()?).await?;
        Ok(AcceptQuestPayload {
            quest: quest.into(),
        })
    }

    /// Claims a completed quest's rewards, once per period (an active one: CONFLICT
    /// `QUEST_NOT_COMPLETED`; NOT_FOUND unless the viewer accepted it).
    async fn claim_quest(
        &self,
        ctx: &Context<'_>,
        input: QuestInput,
    ) -> async_graphql::Result<ClaimQuestPayload> {
        let (db, actor, settings) = (ctx.db()?, ctx.actor()?, &ctx.identity()?.settings);
        let claimed =
            claims::claim(db, actor, settings, QuestId(input.quest_id), ctx.now()?).await?;
        Ok(ClaimQuestPayload {
            quest: claimed.quest.into(),
            repeated: claimed.repeated,
            xp_awarded: claimed.earned.xp,
            coins_awarded: claimed.earned.coins,
            reward: claimed.earned.into(),
        })
    }
}
