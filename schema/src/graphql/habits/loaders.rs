//! The habits area's DataLoaders: completions in a date range, and recent counts per date,
//! of many habits at once (one statement per distinct range).
use std::{collections::HashMap, sync::Arc};

use crate::graphql::reader::Reader;
use async_graphql::dataloader::Loader;
use chrono::NaiveDate;
use uuid::Uuid;

use crate::domain::{AppError, habits, habits::reads::DateRange};

/// Completions of many habits in one date range, each range in one statement.
pub struct CompletionsByHabit(pub Reader);

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
            let mut rows = habits::reads::completions_of(&self.0, &habits, range)
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
pub struct RecentCountsByHabit(pub Reader);

impl Loader<(Uuid, NaiveDate)> for RecentCountsByHabit {
    type Value = habits::streak::Counts;
    type Error = Arc<AppError>;

    async fn load(
        &self,
        keys: &[(Uuid, NaiveDate)],
    ) -> Result<HashMap<(Uuid, NaiveDate), Self::Value>, Self::Error> {
        let mut found = HashMap::new();
        for (since, habits) in by_second(keys) {
            let mut counts = habits::reads::counts_of(&self.0, &habits, since, None)
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
