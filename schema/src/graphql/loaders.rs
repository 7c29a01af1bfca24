//! DataLoader plumbing: every relation resolves through a loader, so the statements a
//! request runs grow with the depth of the query, never with the number of rows. The rule:
//! an area's loaders live with the area (`graphql/<area>/loaders.rs`); this file holds the
//! generic `ById`, the request's set of loaders, and the one conversion of a loader's error.
use std::{collections::HashMap, marker::PhantomData, sync::Arc};

use async_graphql::dataloader::Loader;
use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, EntityTrait, Iterable, ModelTrait, PrimaryKeyToColumn, QueryFilter,
    sea_query::ValueType,
};
use uuid::Uuid;

use super::{
    batch::Batch,
    focus::loaders::TracksByLibrary,
    goals::loaders::MilestonesByGoal,
    habits::loaders::{CompletionsByHabit, HabitRange, RecentCountsByHabit},
    planning::loaders::ExceptionsBySeries,
    rbac::loaders::GrantsByUser,
    reader::Reader,
};
use crate::domain::AppError;

/// Loads rows of `E` by their UUID primary key, all keys of one tick in one statement.
pub struct ById<E> {
    db: Reader,
    entity: PhantomData<fn() -> E>,
}

impl<E> ById<E> {
    pub fn new(db: Reader) -> Self {
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

/// A request's loaders. They batch but do not cache, so one open WebSocket never
/// serves stale rows.
/// Each area adds the loaders its relations need.
pub struct Loaders {
    users: Batch<Uuid, ById<entity::users::Entity>>,
    grants: Batch<Uuid, GrantsByUser>,
    completions: Batch<HabitRange, CompletionsByHabit>,
    recent_counts: Batch<(Uuid, NaiveDate), RecentCountsByHabit>,
    milestones: Batch<Uuid, MilestonesByGoal>,
    focus_tracks: Batch<Uuid, TracksByLibrary>,
    habits: Batch<Uuid, ById<entity::habits::Entity>>,
    goals: Batch<Uuid, ById<entity::goals::Entity>>,
    calendar_exceptions: Batch<Uuid, ExceptionsBySeries>,
    milestones_by_id: Batch<Uuid, ById<entity::goal_milestones::Entity>>,
    calendar_events: Batch<Uuid, ById<entity::calendar_events::Entity>>,
}

impl Loaders {
    pub fn new(db: Reader) -> Self {
        Self {
            users: Batch::new(ById::new(db.clone())),
            grants: Batch::new(GrantsByUser(db.clone())),
            completions: Batch::new(CompletionsByHabit(db.clone())),
            recent_counts: Batch::new(RecentCountsByHabit(db.clone())),
            milestones: Batch::new(MilestonesByGoal(db.clone())),
            focus_tracks: Batch::new(TracksByLibrary(db.clone())),
            habits: Batch::new(ById::new(db.clone())),
            goals: Batch::new(ById::new(db.clone())),
            calendar_exceptions: Batch::new(ExceptionsBySeries(db.clone())),
            milestones_by_id: Batch::new(ById::new(db.clone())),
            calendar_events: Batch::new(ById::new(db)),
        }
    }

    pub fn users(&self) -> &Batch<Uuid, ById<entity::users::Entity>> {
        &self.users
    }

    pub fn grants(&self) -> &Batch<Uuid, GrantsByUser> {
        &self.grants
    }

    pub fn completions(&self) -> &Batch<HabitRange, CompletionsByHabit> {
        &self.completions
    }

    pub fn recent_counts(&self) -> &Batch<(Uuid, NaiveDate), RecentCountsByHabit> {
        &self.recent_counts
    }

    pub fn milestones(&self) -> &Batch<Uuid, MilestonesByGoal> {
        &self.milestones
    }

    pub fn focus_tracks(&self) -> &Batch<Uuid, TracksByLibrary> {
        &self.focus_tracks
    }

    pub fn habits(&self) -> &Batch<Uuid, ById<entity::habits::Entity>> {
        &self.habits
    }

    pub fn goals(&self) -> &Batch<Uuid, ById<entity::goals::Entity>> {
        &self.goals
    }

    pub fn calendar_exceptions(&self) -> &Batch<Uuid, ExceptionsBySeries> {
        &self.calendar_exceptions
    }

    pub fn milestones_by_id(&self) -> &Batch<Uuid, ById<entity::goal_milestones::Entity>> {
        &self.milestones_by_id
    }

    pub fn calendar_events(&self) -> &Batch<Uuid, ById<entity::calendar_events::Entity>> {
        &self.calendar_events
    }
}

impl std::fmt::Debug for Loaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaders").finish_non_exhaustive()
    }
}
