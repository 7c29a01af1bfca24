//! The focus area's DataLoaders: the tracks of many libraries in one statement.
use std::{collections::HashMap, sync::Arc};

use crate::graphql::reader::Reader;
use async_graphql::dataloader::Loader;
use uuid::Uuid;

use crate::domain::{AppError, focus::tracks};

/// The tracks of many libraries in one statement.
pub struct TracksByLibrary(pub Reader);

impl Loader<Uuid> for TracksByLibrary {
    type Value = Vec<entity::focus_library_tracks::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        tracks::of_libraries(&self.0, keys).await.map_err(Arc::new)
    }
}
