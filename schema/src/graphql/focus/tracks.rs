//! The tracks of a focus library over GraphQL: the track object and the owner's track
//! mutations (add at the end, remove, reorder).
use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::libraries::{FocusLibrary, FocusLibraryPayload};
use crate::domain::focus::{
    LibraryId, TrackId,
    tracks::{self, NewTrack},
};
use crate::graphql::context::ContextExt;

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
pub struct AddFocusLibraryTrackPayload {
    library: FocusLibrary,
    track: FocusLibraryTrack,
}

#[derive(Default)]
pub struct TracksMutation;

#[Object]
impl TracksMutation {
    /// Adds a track at the end of a library.
    async fn add_focus_library_track(
        &self,
        ctx: &Context<'_>,
        input: AddFocusLibraryTrackInput,
    ) -> async_graphql::Result<AddFocusLibraryTrackPayload> {
        let new = NewTrack {
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
