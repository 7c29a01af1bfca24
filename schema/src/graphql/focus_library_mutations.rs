//! The owner's mutations on focus libraries and their tracks: create, update (rename,
//! describe, favourite), delete; add, remove and reorder tracks.
use async_graphql::{Context, InputObject, Object, SimpleObject};
use uuid::Uuid;

use super::{
    context::ContextExt,
    focus_libraries::{FocusLibrary, FocusLibraryTrack, LibraryType},
};
use crate::domain::focus::{
    LibraryId, TrackId,
    libraries::{self, LibraryForCreate, LibraryForUpdate},
    tracks::{self, TrackForCreate},
};

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

#[derive(InputObject)]
pub struct AddFocusLibraryTrackInput {
    library_id: Uuid,
    title: String,
    external_id: Option<String>,
    /// An http or https address.
    url: Option<String>,
    duration_seconds: Option<i32>,
}

#[derive(InputObject)]
pub struct RemoveFocusLibraryTrackInput {
    track_id: Uuid,
}

#[derive(InputObject)]
pub struct ReorderFocusLibraryTracksInput {
    library_id: Uuid,
    /// Every track of the library, each once, in the new order.
    track_ids: Vec<Uuid>,
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

#[derive(SimpleObject)]
pub struct AddFocusLibraryTrackPayload {
    library: FocusLibrary,
    track: FocusLibraryTrack,
}

#[derive(Default)]
pub struct FocusLibrariesMutation;

#[Object]
impl FocusLibrariesMutation {
    async fn create_focus_library(
        &self,
        ctx: &Context<'_>,
        input: CreateFocusLibraryInput,
    ) -> async_graphql::Result<FocusLibraryPayload> {
        let new = LibraryForCreate {
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
        let changes = LibraryForUpdate {
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

    /// Adds a track at the end of a library.
    async fn add_focus_library_track(
        &self,
        ctx: &Context<'_>,
        input: AddFocusLibraryTrackInput,
    ) -> async_graphql::Result<AddFocusLibraryTrackPayload> {
        let new = TrackForCreate {
            title: input.title,
            external_id: input.external_id,
            url: input.url,
            duration_seconds: input.duration_seconds,
        };
        let id = LibraryId(input.library_id);
        let settings = &ctx.identity()?.settings;
        let (library, track) =
            tracks::add(ctx.db()?, ctx.actor()?, settings, id, new, ctx.now()?).await?;
        Ok(AddFocusLibraryTrackPayload {
            library: FocusLibrary(library),
            track: track.into(),
        })
    }

    async fn remove_focus_library_track(
        &self,
        ctx: &Context<'_>,
        input: RemoveFocusLibraryTrackInput,
    ) -> async_graphql::Result<FocusLibraryPayload> {
        let id = TrackId(input.track_id);
        let settings = &ctx.identity()?.settings;
        let library = tracks::remove(ctx.db()?, ctx.actor()?, settings, id, ctx.now()?).await?;
        Ok(library.into())
    }

    async fn reorder_focus_library_tracks(
        &self,
        ctx: &Context<'_>,
        input: ReorderFocusLibraryTracksInput,
    ) -> async_graphql::Result<FocusLibraryPayload> {
        let id = LibraryId(input.library_id);
        let settings = &ctx.identity()?.settings;
        let (db, actor, now) = (ctx.db()?, ctx.actor()?, ctx.now()?);
        let library = tracks::reorder(db, actor, settings, id, input.track_ids, now).await?;
        Ok(library.into())
    }
}
