//! DataLoader plumbing: every relation resolves through a loader, so the statements a
//! request runs grow with the depth of the query, never with the number of rows.
use std::{collections::HashMap, marker::PhantomData, sync::Arc};

use async_graphql::dataloader::{DataLoader, Loader};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, Iterable, ModelTrait, PrimaryKeyToColumn,
    QueryFilter, sea_query::ValueType,
};
use uuid::Uuid;

use chrono::NaiveDate;

use crate::domain::{AppError, goals, habits, habits::reads::DateRange};

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

/// A loader's shared failure as the owned error a resolver returns, its code, reason,
/// field and internal cause kept (the cause is logged once, at the GraphQL boundary).
pub fn owned_error(err: Arc<AppError>) -> AppError {
    AppError::from(err)
}

/// Completions of many habits in one date range, each range in one statement.
pub struct CompletionsByHabit {
    db: DatabaseConnection,
}

/// A habit and the dates (both included) its completions are read for.
pub type HabitRange = (Uuid, DateRange);

impl Loader<HabitRange> for CompletionsByHabit {
    type Value = Vec<entity::habit_completions::Model>;
    type Error = Arc<AppError>;

    async fn load(
        &self,
        keys: &[HabitRange],
    ) -> Result<HashMap<HabitRange, Self::Value>, Self::Error> {
        let mut found = HashMap::new();
        for (range, habits) in by_second(keys) {
            let mut rows = habits::reads::completions_of(&self.db, &habits, range)
                .await
                .map_err(Arc::new)?;
            for habit in habits {
                found.insert((habit, range), rows.remove(&habit).unwrap_or_default());
            }
        }
        Ok(found)
    }
}

/// Completions per date of many habits since a date, for "today" reads and live streaks.
pub struct RecentCountsByHabit {
    db: DatabaseConnection,
}

impl Loader<(Uuid, NaiveDate)> for RecentCountsByHabit {
    type Value = habits::streak::Counts;
    type Error = Arc<AppError>;

    async fn load(
        &self,
        keys: &[(Uuid, NaiveDate)],
    ) -> Result<HashMap<(Uuid, NaiveDate), Self::Value>, Self::Error> {
        let mut found = HashMap::new();
        for (since, habits) in by_second(keys) {
            let mut counts = habits::reads::counts_of(&self.db, &habits, since, None)
                .await
                .map_err(Arc::new)?;
            for habit in habits {
                found.insert((habit, since), counts.remove(&habit).unwrap_or_default());
            }
        }
        Ok(found)
    }
}

/// Groups `(id, arg)` keys by their argument: one statement per distinct argument.
fn by_second<A: Copy + Eq + std::hash::Hash>(keys: &[(Uuid, A)]) -> HashMap<A, Vec<Uuid>> {
    let mut groups: HashMap<A, Vec<Uuid>> = HashMap::new();
    for (id, arg) in keys {
        groups.entry(*arg).or_default().push(*id);
    }
    groups
}

/// The milestones of many goals in one statement.
pub struct MilestonesByGoal {
    db: DatabaseConnection,
}

impl Loader<Uuid> for MilestonesByGoal {
    type Value = Vec<entity::goal_milestones::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let mut found = goals::reads::milestones_of(&self.db, keys)
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
    completions: DataLoader<CompletionsByHabit>,
    recent_counts: DataLoader<RecentCountsByHabit>,
    milestones: DataLoader<MilestonesByGoal>,
    focus_tracks: DataLoader<super::focus_libraries::TracksByLibrary>,
}

impl Loaders {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            users: DataLoader::new(ById::new(db.clone()), tokio::spawn),
            grants: DataLoader::new(GrantsByUser { db: db.clone() }, tokio::spawn),
            completions: DataLoader::new(CompletionsByHabit { db: db.clone() }, tokio::spawn),
            recent_counts: DataLoader::new(RecentCountsByHabit { db: db.clone() }, tokio::spawn),
            milestones: DataLoader::new(MilestonesByGoal { db: db.clone() }, tokio::spawn),
            focus_tracks: super::focus_libraries::TracksByLibrary::loader(db),
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

    pub fn focus_tracks(&self) -> &DataLoader<super::focus_libraries::TracksByLibrary> {
        &self.focus_tracks
    }
}

impl std::fmt::Debug for Loaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaders").finish_non_exhaustive()
    }
}
