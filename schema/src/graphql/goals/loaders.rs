//! The goals area's DataLoaders: the milestones of many goals in one statement.
use std::{collections::HashMap, sync::Arc};

use crate::graphql::reader::Reader;
use async_graphql::dataloader::Loader;
use uuid::Uuid;

use crate::domain::{AppError, goals};

/// The milestones of many goals in one statement.
pub struct MilestonesByGoal(pub Reader);

impl Loader<Uuid> for MilestonesByGoal {
    type Value = Vec<entity::goal_milestones::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let mut found = goals::reads::milestones_of(&self.0, keys)
            .await
            .map_err(Arc::new)?;
        Ok(keys
            .iter()
            .map(|k| (*k, found.remove(k).unwrap_or_default()))
            .collect())
    }
}
