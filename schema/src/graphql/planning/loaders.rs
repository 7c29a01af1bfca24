//! The planning area's DataLoaders: the exceptions of many series in one statement.
use std::{collections::HashMap, sync::Arc};

use crate::graphql::reader::Reader;
use async_graphql::dataloader::Loader;
use uuid::Uuid;

use crate::domain::{AppError, planning::calendar::store};

/// The exception rows (overrides and cancellations) of many series at once.
pub struct ExceptionsBySeries(pub Reader);

impl Loader<Uuid> for ExceptionsBySeries {
    type Value = Vec<entity::calendar_events::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let mut found = store::exceptions_of(&self.0, keys)
            .await
            .map_err(Arc::new)?;
        Ok(keys
            .iter()
            .map(|k| (*k, found.remove(k).unwrap_or_default()))
            .collect())
    }
}
