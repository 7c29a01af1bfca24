//! Focus music libraries over GraphQL: `viewer { focusLibraries { tracks } }`, tracks
//! through a DataLoader (one statement for every library of a response). The owner's
//! mutations live in `focus_library_mutations`.
use std::{collections::HashMap, sync::Arc};

use async_graphql::{
    Context, Enum, Object, SimpleObject,
    dataloader::{DataLoader, Loader},
};
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::{context::ContextExt, loaders::owned_error};
use crate::domain::{
    AppError,
    focus::{libraries, tracks},
};

#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
#[graphql(name = "FocusLibraryType")]
pub enum LibraryType {
    #[default]
    Playlist,
    Album,
    Custom,
}

impl From<LibraryType> for libraries::LibraryType {
    fn from(kind: LibraryType) -> Self {
        match kind {
            LibraryType::Playlist => Self::Playlist,
            LibraryType::Album => Self::Album,
            LibraryType::Custom => Self::Custom,
        }
    }
}

impl From<libraries::LibraryType> for LibraryType {
    fn from(kind: libraries::LibraryType) -> Self {
        match kind {
            libraries::LibraryType::Playlist => Self::Playlist,
            libraries::LibraryType::Album => Self::Album,
            libraries::LibraryType::Custom => Self::Custom,
        }
    }
}

/// A library of music or sounds to focus with.
pub struct FocusLibrary(pub(super) entity::focus_libraries::Model);

#[Object]
impl FocusLibrary {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    async fn library_type(&self) -> LibraryType {
        libraries::LibraryType::parse(&self.0.library_type)
            .map(Into::into)
            .unwrap_or_default()
    }

    async fn is_favorite(&self) -> bool {
        self.0.is_favorite
    }

    async fn tracks_count(&self) -> i32 {
        self.0.tracks_count
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at.with_timezone(&Utc)
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at.with_timezone(&Utc)
    }

    /// The tracks in the owner's order.
    async fn tracks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<FocusLibraryTrack>> {
        let found = ctx
            .loaders()?
            .focus_tracks()
            .load_one(self.0.id)
            .await
            .map_err(owned_error)?;
        Ok(found
            .unwrap_or_default()
            .into_iter()
            .map(FocusLibraryTrack::from)
            .collect())
    }
}

#[derive(SimpleObject)]
pub struct FocusLibraryTrack {
    id: Uuid,
    title: String,
    /// The track's id at its source (a streaming service, a file name).
    external_id: Option<String>,
    url: Option<String>,
    duration_seconds: Option<i32>,
    /// Its place in the library, from 0.
    position: i32,
    added_at: DateTime<Utc>,
}

impl From<entity::focus_library_tracks::Model> for FocusLibraryTrack {
    fn from(row: entity::focus_library_tracks::Model) -> Self {
        Self {
            id: row.id,
            title: row.track_title,
            external_id: row.track_id,
            url: row.track_url,
            duration_seconds: row.duration_seconds,
            position: row.sort_order,
            added_at: row.added_at.with_timezone(&Utc),
        }
    }
}

/// The tracks of many libraries in one statement.
pub struct TracksByLibrary {
    db: DatabaseConnection,
}

impl TracksByLibrary {
    pub fn loader(db: DatabaseConnection) -> DataLoader<Self> {
        DataLoader::new(Self { db }, tokio::spawn)
    }
}

impl Loader<Uuid> for TracksByLibrary {
    type Value = Vec<entity::focus_library_tracks::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        tracks::of_libraries(&self.db, keys).await.map_err(Arc::new)
    }
}

/// `viewer { focusLibraries }`.
pub struct ViewerFocusLibraries;

#[Object]
impl ViewerFocusLibraries {
    /// The viewer's libraries: favourites first, then oldest first.
    async fn focus_libraries(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<FocusLibrary>> {
        let found = libraries::list(ctx.db()?, ctx.actor()?).await?;
        Ok(found.into_iter().map(FocusLibrary).collect())
    }
}
