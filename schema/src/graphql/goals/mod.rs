//! Goals over GraphQL, along `domain/goals`: the objects here, each goal's milestones
//! batched; `viewer { goals goal }` in `queries`, the goal mutations in `mutations`, the
//! milestone mutations in `milestones`.
pub mod loaders;
pub mod milestones;
pub mod mutations;
pub mod queries;

use async_graphql::{Context, Enum, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{goal_milestones, goals};
use uuid::Uuid;

use crate::domain::clock::utc;
use crate::graphql::{context::ContextExt, loaders::owned_error, scalars::Date};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum GoalStatus {
    Active,
    Paused,
    Completed,
}

impl From<GoalStatus> for crate::domain::goals::GoalStatus {
    fn from(s: GoalStatus) -> Self {
        match s {
            GoalStatus::Active => Self::Active,
            GoalStatus::Paused => Self::Paused,
            GoalStatus::Completed => Self::Completed,
        }
    }
}

impl From<crate::domain::goals::GoalStatus> for GoalStatus {
    fn from(s: crate::domain::goals::GoalStatus) -> Self {
        use crate::domain::goals::GoalStatus as S;
        match s {
            S::Active => Self::Active,
            S::Paused => Self::Paused,
            S::Completed => Self::Completed,
        }
    }
}

/// A goal the viewer pursues.
pub struct Goal(goals::Model);

impl From<goals::Model> for Goal {
    fn from(row: goals::Model) -> Self {
        Self(row)
    }
}

#[Object]
impl Goal {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    async fn category(&self) -> Option<&str> {
        self.0.category.as_deref()
    }

    async fn target_date(&self) -> Option<Date> {
        self.0.target_date.map(Date)
    }

    async fn started_at(&self) -> Option<DateTime<Utc>> {
        self.0.started_at.as_ref().map(utc)
    }

    async fn completed_at(&self) -> Option<DateTime<Utc>> {
        self.0.completed_at.as_ref().map(utc)
    }

    async fn status(&self) -> GoalStatus {
        crate::domain::goals::GoalStatus::stored(&self.0.status).into()
    }

    /// 0–100: the share of milestones done (rounded down), or set by hand while the goal
    /// has none.
    async fn progress(&self) -> i32 {
        self.0.progress
    }

    /// 0 (none) to 10.
    async fn priority(&self) -> i32 {
        self.0.priority
    }

    /// The viewer's order (ascending).
    async fn sort_order(&self) -> i32 {
        self.0.sort_order
    }

    async fn created_at(&self) -> DateTime<Utc> {
        utc(&self.0.created_at)
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        utc(&self.0.updated_at)
    }

    /// The goal's milestones in their order.
    async fn milestones(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Milestone>> {
        let rows = ctx
            .loaders()?
            .milestones()
            .load_one(self.0.id)
            .await
            .map_err(owned_error)?
            .unwrap_or_default();
        Ok(rows.into_iter().map(Milestone::from).collect())
    }
}

/// A step towards a goal.
#[derive(SimpleObject)]
pub struct Milestone {
    id: Uuid,
    goal_id: Uuid,
    title: String,
    description: Option<String>,
    is_completed: bool,
    completed_at: Option<DateTime<Utc>>,
    /// Its place in the goal (ascending).
    sort_order: i32,
}

impl From<goal_milestones::Model> for Milestone {
    fn from(row: goal_milestones::Model) -> Self {
        Self {
            id: row.id,
            goal_id: row.goal_id,
            title: row.title,
            description: row.description,
            is_completed: row.is_completed,
            completed_at: row.completed_at.as_ref().map(utc),
            sort_order: row.sort_order,
        }
    }
}
