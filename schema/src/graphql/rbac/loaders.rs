//! The access area's DataLoaders: every role grant of many users in one statement.
use std::{collections::HashMap, sync::Arc};

use crate::graphql::reader::Reader;
use async_graphql::dataloader::Loader;
use uuid::Uuid;

use crate::domain::{AppError, rbac};

/// Loads every role grant (live or not) of many users in one statement.
pub struct GrantsByUser(pub Reader);

/// One user's grants with their roles.
pub type Grants = Vec<(entity::roles::Model, entity::user_roles::Model)>;

impl Loader<Uuid> for GrantsByUser {
    type Value = Grants;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Grants>, Self::Error> {
        let mut found = rbac::grants::of_users(&self.0, keys.iter().copied())
            .await
            .map_err(Arc::new)?;
        Ok(keys
            .iter()
            .map(|k| (*k, found.remove(k).unwrap_or_default()))
            .collect())
    }
}
