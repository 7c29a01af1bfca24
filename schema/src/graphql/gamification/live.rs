//! `subscription { rewardEvents }`: the viewer's level-ups, achievements and quest
//! completions and claims as they commit, on every device and instance, for a toast; and
//! the extension that hands a request's committed events to the feed once it is over.
use std::sync::Arc;

use async_graphql::{
    Context, Enum, Response, SimpleObject, Subscription,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute},
};
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use uuid::Uuid;

use crate::domain::gamification::{RewardEventKind as Kind, RewardFeed, reward_events};
use crate::graphql::context::ContextExt;

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "RewardEventKind")]
pub enum RewardEventKind {
    /// A new level; `level` says which.
    LevelUp,
    /// An achievement; `achievementKey` names it, with what it paid.
    AchievementEarned,
    /// A quest reached its target; it pays when claimed.
    QuestCompleted,
    /// A quest's claim was paid (by `claimQuest`, `claimMyQuest`, or at its period's end).
    QuestClaimed,
}

impl From<Kind> for RewardEventKind {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::LevelUp => Self::LevelUp,
            Kind::AchievementEarned => Self::AchievementEarned,
            Kind::QuestCompleted => Self::QuestCompleted,
            Kind::QuestClaimed => Self::QuestClaimed,
        }
    }
}

/// Something the viewer just earned, with what it paid.
#[derive(SimpleObject)]
pub struct RewardEvent {
    kind: RewardEventKind,
    at: DateTime<Utc>,
    /// What to show: "Level 5", the achievement's name, or the quest's title.
    title: String,
    xp: i32,
    coins: i32,
    stars: i32,
    skill: Option<String>,
    /// The level reached (`LEVEL_UP`).
    level: Option<i32>,
    /// The achievement earned (`ACHIEVEMENT_EARNED`).
    achievement_key: Option<String>,
    /// The catalog quest, or the viewer's own quest (`QUEST_COMPLETED`, `QUEST_CLAIMED`).
    quest_id: Option<Uuid>,
}

impl From<&reward_events::RewardEvent> for RewardEvent {
    fn from(event: &reward_events::RewardEvent) -> Self {
        Self {
            kind: event.kind.into(),
            at: event.at,
            title: event.title.clone(),
            xp: event.xp,
            coins: event.coins,
            stars: event.stars,
            skill: event.skill.clone(),
            level: event.level,
            achievement_key: event.achievement.clone(),
            quest_id: event.quest,
        }
    }
}

#[derive(Default)]
pub struct RewardSubscription;

#[Subscription]
impl RewardSubscription {
    /// The viewer's rewards as they commit, from any device and any server instance: a
    /// level reached, an achievement earned, a quest completed or claimed. Events are
    /// moments for a toast, not a record: what a device missed while away stays in
    /// `viewer { ledger activity }`.
    async fn reward_events(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = RewardEvent> + use<>> {
        let events = feed(ctx)?.events(ctx.actor()?)?;
        Ok(events.map(|event| RewardEvent::from(event.as_ref())))
    }
}

fn feed<'c>(ctx: &Context<'c>) -> async_graphql::Result<&'c RewardFeed> {
    ctx.data::<RewardFeed>()
}

/// Tells the feed when a request is over, so its committed events go out (SQLite's outbox).
pub struct DeliverRewardEvents;

impl ExtensionFactory for DeliverRewardEvents {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(AfterRequest)
    }
}

struct AfterRequest;

#[async_graphql::async_trait::async_trait]
impl Extension for AfterRequest {
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let response = next.run(ctx, operation_name).await;
        if let Ok(feed) = ctx.data::<RewardFeed>() {
            feed.after_request();
        }
        response
    }
}
