//! Achievements over GraphQL: `viewer { achievements }` and `acknowledgeAchievements`.
use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::domain::gamification::achievements::{self, AchievementView};
use crate::graphql::context::ContextExt;

/// An achievement, earned or still locked.
#[derive(SimpleObject)]
pub struct Achievement {
    /// Stable identifier, e.g. `first_focus`.
    key: String,
    name: String,
    description: Option<String>,
    /// A short icon identifier, e.g. `trophy`.
    icon: Option<String>,
    /// focus, habit, streak, level, goal, quest or special.
    category: String,
    /// When the user earned it; null while locked.
    earned_at: Option<DateTime<Utc>>,
    /// Whether the client acknowledged having shown it; false while locked.
    notified: bool,
    /// A secret achievement: listed only once earned.
    hidden: bool,
    reward_xp: i32,
    reward_coins: i32,
}

impl From<AchievementView> for Achievement {
    fn from(view: AchievementView) -> Self {
        let d = view.definition;
        Self {
            key: d.key,
            name: d.name,
            description: d.description,
            icon: d.icon,
            category: d.category,
            earned_at: view
                .earned
                .as_ref()
                .map(|e| e.earned_at.with_timezone(&Utc)),
            notified: view.earned.is_some_and(|e| e.notified),
            hidden: d.is_hidden,
            reward_xp: d.reward_xp,
            reward_coins: d.reward_coins,
        }
    }
}

fn convert(views: Vec<AchievementView>) -> Vec<Achievement> {
    views.into_iter().map(Achievement::from).collect()
}

/// `viewer { achievements }`.
pub struct ViewerAchievements;

#[Object]
impl ViewerAchievements {
    /// Earned and locked achievements in catalog order; hidden ones only once earned.
    async fn achievements(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Achievement>> {
        Ok(convert(
            achievements::list(ctx.reader()?, ctx.actor()?).await?,
        ))
    }
}

#[derive(InputObject)]
pub struct AcknowledgeAchievementsInput {
    /// Keys of earned achievements the client has shown; others are ignored.
    keys: Vec<String>,
}

#[derive(SimpleObject)]
pub struct AcknowledgeAchievementsPayload {
    /// The viewer's achievements afterwards, as `viewer.achievements` lists them.
    achievements: Vec<Achievement>,
}

#[derive(Default)]
pub struct AchievementsMutation;

#[Object]
impl AchievementsMutation {
    /// Marks earned achievements as shown (`notified: true`). Keys not earned are ignored;
    /// more than 200 keys is BAD_USER_INPUT on `keys`.
    async fn acknowledge_achievements(
        &self,
        ctx: &Context<'_>,
        input: AcknowledgeAchievementsInput,
    ) -> async_graphql::Result<AcknowledgeAchievementsPayload> {
        let views = achievements::acknowledge(ctx.db()?, ctx.actor()?, input.keys).await?;
        Ok(AcknowledgeAchievementsPayload {
            achievements: convert(views),
        })
    }
}
