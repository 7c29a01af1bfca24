//! DataLoader plumbing: every relation resolves through a loader, so the statements a
//! request runs grow with the depth of the query, never with the number of rows.
use std::{collections::HashMap, marker::PhantomData, sync::Arc};

use async_graphql::dataloader::{DataLoader, Loader};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, Iterable, ModelTrait, PrimaryKeyToColumn,
    QueryFilter, sea_query::ValueType,
};
use uuid::Uuid;

use crate::domain::AppError;

/// Loads rows of `E` by their UUID primary key, all keys of one tick in one statement.
pub struct ById<E> {
    db: DatabaseConnection,
    entity: PhantomData<fn() -> E>,
}

impl<E> ById<E> {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            db,
            entity: PhantomData,
        }
    }
}

impl<E> Loader<Uuid> for ById<E>
where
    E: EntityTrait,
    E::Model: Clone + Send + Sync + 'static,
{
    type Value = E::Model;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, E::Model>, Self::Error> {
        let Some(key) = E::PrimaryKey::iter().next().map(|key| key.into_column()) else {
            return Ok(HashMap::new());
        };
        let rows = E::find()
            .filter(key.is_in(keys.iter().copied()))
            .all(&self.db)
            .await
            .map_err(|err| Arc::new(AppError::from(err)))?;
        Ok(rows
            .into_iter()
            .filter_map(|row| Some((<Uuid as ValueType>::try_from(row.get(key)).ok()?, row)))
            .collect())
    }
}

/// Loads every role grant (live or not) of many users in one statement.
pub struct GrantsByUser {
    db: DatabaseConnection,
}

/// One user's grants with their roles.
pub type Grants = Vec<(entity::roles::Model, entity::user_roles::Model)>;

impl Loader<Uuid> for GrantsByUser {
    type Value = Grants;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Grants>, Self::Error> {
        let mut found = crate::domain::rbac::grants::of_users(&self.db, keys.iter().copied())
            .await
            .map_err(Arc::new)?;
        Ok(keys
            .iter()
            .map(|k| (*k, found.remove(k).unwrap_or_default()))
            .collect())
    }
}

/// A request's loaders. They batch but do not cache, so one open WebSocket never
/// serves stale rows.
/// Each area adds the loaders its relations need.
pub struct Loaders {
    users: DataLoader<ById<entity::users::Entity>>,
    grants: DataLoader<GrantsByUser>,
}

impl Loaders {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            users: DataLoader::new(ById::new(db.clone()), tokio::spawn),
            grants: DataLoader::new(GrantsByUser { db }, tokio::spawn),
        }
    }

    pub fn users(&self) -> &DataLoader<ById<entity::users::Entity>> {
        &self.users
    }

    pub fn grants(&self) -> &DataLoader<GrantsByUser> {
        &self.grants
    }
}

impl std::fmt::Debug for Loaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaders").finish_non_exhaustive()
    }
}
