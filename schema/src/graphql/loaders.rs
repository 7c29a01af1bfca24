//! DataLoader plumbing: every relation resolves through a loader, so the statements a
//! request runs grow with the depth of the query, never with the number of rows. The rule:
//! an area's loaders live with the area (`graphql/<area>/loaders.rs`); this file holds the
//! generic `ById`, the request's set of loaders, and the one conversion of a loader's error.
use std::{collections::HashMap, marker::PhantomData, sync::Arc};

use async_graphql::dataloader::{DataLoader, Loader};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, Iterable, ModelTrait, PrimaryKeyToColumn,
    QueryFilter, sea_query::ValueType,
};
use uuid::Uuid;

use super::{
    focus::loaders::TracksByLibrary,
    goals::loaders::MilestonesByGoal,
    habits::loaders::{CompletionsByHabit, RecentCountsByHabit},
    planning::loaders::ExceptionsBySeries,
    rbac::loaders::GrantsByUser,
};
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

/// A loader's shared failure as the owned error a resolver returns, its code, reason,
/// field and internal cause kept (the cause is logged once, at the GraphQL boundary).
pub fn owned_error(err: Arc<AppError>) -> AppError {
    AppError::from(err)
}

/// A loader that batches the keys of one tick into one call.
fn batched<L: Loader<K>, K: Send + Sync + std::hash::Hash + Eq + Clone + 'static>(
    loader: L,
) -> DataLoader<L> {
    DataLoader::new(loader, tokio::spawn)
}

/// A request's loaders. They batch but do not cache, so one open WebSocket never
/// serves stale rows.
/// Each area adds the loaders its relations need.
pub struct Loaders {
    users: DataLoader<ById<entity::users::Entity>>,
    grants: DataLoader<GrantsByUser>,
    completions: DataLoader<CompletionsByHabit>,
    recent_counts: DataLoader<RecentCountsByHabit>,
    milestones: DataLoader<MilestonesByGoal>,
    focus_tracks: DataLoader<TracksByLibrary>,
    habits: DataLoader<ById<entity::habits::Entity>>,
    goals: DataLoader<ById<entity::goals::Entity>>,
    calendar_exceptions: DataLoader<ExceptionsBySeries>,
    milestones_by_id: DataLoader<ById<entity::goal_milestones::Entity>>,
    calendar_events: DataLoader<ById<entity::calendar_events::Entity>>,
}

impl Loaders {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            users: batched(ById::new(db.clone())),
            grants: batched(GrantsByUser(db.clone())),
            completions: batched(CompletionsByHabit(db.clone())),
            recent_counts: batched(RecentCountsByHabit(db.clone())),
            milestones: batched(MilestonesByGoal(db.clone())),
            focus_tracks: batched(TracksByLibrary(db.clone())),
            habits: batched(ById::new(db.clone())),
            goals: batched(ById::new(db.clone())),
            calendar_exceptions: batched(ExceptionsBySeries(db.clone())),
            milestones_by_id: batched(ById::new(db.clone())),
            calendar_events: batched(ById::new(db)),
        }
    }

    pub fn users(&self) -> &DataLoader<ById<entity::users::Entity>> {
        &self.users
    }

    pub fn grants(&self) -> &DataLoader<GrantsByUser> {
        &self.grants
    }

    pub fn completions(&self) -> &DataLoader<CompletionsByHabit> {
        &self.completions
    }

    pub fn recent_counts(&self) -> &DataLoader<RecentCountsByHabit> {
        &self.recent_counts
    }

    pub fn milestones(&self) -> &DataLoader<MilestonesByGoal> {
        &self.milestones
    }

    pub fn focus_tracks(&self) -> &DataLoader<TracksByLibrary> {
        &self.focus_tracks
    }

    pub fn habits(&self) -> &DataLoader<ById<entity::habits::Entity>> {
        &self.habits
    }

    pub fn goals(&self) -> &DataLoader<ById<entity::goals::Entity>> {
        &self.goals
    }

    pub fn calendar_exceptions(&self) -> &DataLoader<ExceptionsBySeries> {
        &self.calendar_exceptions
    }

    pub fn milestones_by_id(&self) -> &DataLoader<ById<entity::goal_milestones::Entity>> {
        &self.milestones_by_id
    }

    pub fn calendar_events(&self) -> &DataLoader<ById<entity::calendar_events::Entity>> {
        &self.calendar_events
    }
}

impl std::fmt::Debug for Loaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaders").finish_non_exhaustive()
    }
}
