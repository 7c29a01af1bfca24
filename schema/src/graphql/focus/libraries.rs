//! Focus music libraries over GraphQL: `viewer { focusLibraries { tracks } }` and the
//! owner's library mutations (create, update: rename, describe, favourite; delete). Tracks
//! resolve through a DataLoader (one statement for every library of a response).
use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::tracks::FocusLibraryTrack;
use crate::domain::focus::{
    LibraryId,
    libraries::{self, LibraryChanges, NewLibrary},
};
use crate::graphql::{context::ContextExt, loaders::owned_error};

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

/// `viewer { focusLibraries }`.
pub struct ViewerFocusLibraries;

#[Object]
impl ViewerFocusLibraries {
    /// The viewer's libraries: favourites first, then oldest first.
    async fn focus_libraries(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<FocusLibrary>> {
        let found = libraries::list(ctx.reader()?, ctx.actor()?).await?;
        Ok(found.into_iter().map(FocusLibrary).collect())
    }
}

#[derive(InputObject)]
pub struct CreateFocusLibraryInput {
    name: String,
    description: Option<String>,
    #[graphql(default)]
    library_type: LibraryType,
    #[graphql(default)]
    is_favorite: bool,
}

/// Renames, describes or (un)favourites a library; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateFocusLibraryInput {
    library_id: Uuid,
    name: Option<String>,
    /// A blank description clears it.
    description: Option<String>,
    is_favorite: Option<bool>,
}

#[derive(InputObject)]
pub struct DeleteFocusLibraryInput {
    library_id: Uuid,
}

#[derive(SimpleObject)]
pub struct FocusLibraryPayload {
    library: FocusLibrary,
}

impl From<entity::focus_libraries::Model> for FocusLibraryPayload {
    fn from(row: entity::focus_libraries::Model) -> Self {
        Self {
            library: FocusLibrary(row),
        }
    }
}

#[derive(SimpleObject)]
pub struct DeleteFocusLibraryPayload {
    deleted_library_id: Uuid,
}

#[derive(Default)]
pub struct LibrariesMutation;

#[Object]
impl LibrariesMutation {
    async fn create_focus_library(
        &self,
        ctx: &Context<'_>,
        input: CreateFocusLibraryInput,
    ) -> async_graphql::Result<FocusLibraryPayload> {
        let new = NewLibrary {
            name: input.name,
            description: input.description,
            library_type: input.library_type.into(),
            is_favorite: input.is_favorite,
        };
        let settings = &ctx.identity()?.settings;
        let created = libraries::create(ctx.db()?, ctx.actor()?, settings, new, ctx.now()?);
        Ok(created.await?.into())
    }

    async fn update_focus_library(
        &self,
        ctx: &Context<'_>,
        input: UpdateFocusLibraryInput,
    ) -> async_graphql::Result<FocusLibraryPayload> {
        let changes = LibraryChanges {
            name: input.name,
            description: input.description,
            is_favorite: input.is_favorite,
        };
        let id = LibraryId(input.library_id);
        let settings = &ctx.identity()?.settings;
        let updated = libraries::update(ctx.db()?, ctx.actor()?, settings, id, changes, ctx.now()?);
        Ok(updated.await?.into())
    }

    /// Deletes a library with its tracks.
    async fn delete_focus_library(
        &self,
        ctx: &Context<'_>,
        input: DeleteFocusLibraryInput,
    ) -> async_graphql::Result<DeleteFocusLibraryPayload> {
        let id = LibraryId(input.library_id);
        let settings = &ctx.identity()?.settings;
        let deleted = libraries::delete(ctx.db()?, ctx.actor()?, settings, id).await?;
        Ok(DeleteFocusLibraryPayload {
            deleted_library_id: deleted.0,
        })
    }
}
