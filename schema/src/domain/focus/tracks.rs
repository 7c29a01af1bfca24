//! A library's tracks, in the owner's order (`sort_order`): added at the end, removed,
//! reordered. `focus_libraries.tracks_count` moves in the same transaction, with the
//! library row locked, so it always equals the rows.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{focus_libraries, focus_library_tracks};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
    sea_query::{CaseStatement, Expr, ExprTrait},
};
use uuid::Uuid;

use super::{LibraryId, TrackId, libraries::owned};
use crate::domain::{
    Actor, AppError, AppResult, UserId,
    auth::{AuthSettings, gates::require_member},
    db::begin_write,
    ordering, text,
};

pub const MAX_TITLE: usize = 300;
pub const MAX_EXTERNAL_ID: usize = 300;
pub const MAX_URL: usize = 2_000;

#[derive(Debug, Clone)]
pub struct NewTrack {
    pub title: String,
    /// The track's id at its source (a streaming service, a file name).
    pub external_id: Option<String>,
    pub url: Option<String>,
    pub duration_seconds: Option<i32>,
}

/// Adds a track at the end of the library; returns the library and the track.
pub async fn add(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    library: LibraryId,
    new: NewTrack,
    now: DateTime<Utc>,
) -> AppResult<(focus_libraries::Model, focus_library_tracks::Model)> {
    let user = UserId(require_member(db, actor, settings).await?.id);
    let title = text::required("title", &new.title, MAX_TITLE)?;
    let external_id = text::optional("externalId", new.external_id, MAX_EXTERNAL_ID)?;
    let url = text::optional("url", new.url, MAX_URL)?
        .map(|url| web_address(&url))
        .transpose()?;
    if new.duration_seconds.is_some_and(|d| d < 0) {
        return Err(AppError::bad_input("durationSeconds", "cannot be negative"));
    }
    let txn = begin_write(db).await?;
    owned(&txn, user, library).await?;
    let sort_order = ordering::after_last(
        &txn,
        tracks_of(library),
        focus_library_tracks::Column::SortOrder,
    )
    .await?;
    let track = focus_library_tracks::ActiveModel {
        id: Set(Uuid::now_v7()),
        library_id: Set(library.0),
        track_id: Set(external_id),
        track_title: Set(title),
        track_url: Set(url),
        duration_seconds: Set(new.duration_seconds),
        sort_order: Set(sort_order),
        added_at: Set(now.into()),
    }
    .insert(&txn)
    .await?;
    let library = count_moves(&txn, library, 1, now).await?;
    txn.commit().await?;
    Ok((library, track))
}

/// Removes a track; returns its library.
pub async fn remove(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    track: TrackId,
    now: DateTime<Utc>,
) -> AppResult<focus_libraries::Model> {
    let user = UserId(require_member(db, actor, settings).await?.id);
    let txn = begin_write(db).await?;
    let not_found = || AppError::not_found("focus library track", track.0);
    let row = focus_library_tracks::Entity::find_by_id(track.0)
        .one(&txn)
        .await?
        .ok_or_else(not_found)?;
    let library = LibraryId(row.library_id);
    // Someone else's track is as unknown as no track.
    owned(&txn, user, library).await.map_err(|_| not_found())?;
    focus_library_tracks::Entity::delete_by_id(track.0)
        .exec(&txn)
        .await?;
    let library = count_moves(&txn, library, -1, now).await?;
    txn.commit().await?;
    Ok(library)
}

/// Puts the library's tracks in the order of `tracks`, which lists each of them once.
pub async fn reorder(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    library: LibraryId,
    tracks: Vec<Uuid>,
    now: DateTime<Utc>,
) -> AppResult<focus_libraries::Model> {
    let user = UserId(require_member(db, actor, settings).await?.id);
    ordering::check_reorder(&tracks, "trackIds")?;
    let txn = begin_write(db).await?;
    owned(&txn, user, library).await?;
    let stored: HashSet<Uuid> = tracks_of(library)
        .all(&txn)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    if stored != tracks.iter().copied().collect() {
        return Err(AppError::bad_input(
            "trackIds",
            "list every track of the library, each once",
        ));
    }
    if !tracks.is_empty() {
        let mut position = CaseStatement::new();
        for (i, id) in tracks.iter().enumerate() {
            position = position.case(
                Expr::col(focus_library_tracks::Column::Id).eq(*id),
                ordering::position(i),
            );
        }
        focus_library_tracks::Entity::update_many()
            .col_expr(focus_library_tracks::Column::SortOrder, position.into())
            .filter(focus_library_tracks::Column::LibraryId.eq(library.0))
            .exec(&txn)
            .await?;
    }
    let library = count_moves(&txn, library, 0, now).await?;
    txn.commit().await?;
    Ok(library)
}

/// The tracks of many libraries in order, in one statement (for the loader).
pub async fn of_libraries(
    conn: &impl ConnectionTrait,
    libraries: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<focus_library_tracks::Model>>> {
    let rows = focus_library_tracks::Entity::find()
        .filter(focus_library_tracks::Column::LibraryId.is_in(libraries.iter().copied()))
        .order_by_asc(focus_library_tracks::Column::SortOrder)
        .order_by_asc(focus_library_tracks::Column::AddedAt)
        .order_by_asc(focus_library_tracks::Column::Id)
        .all(conn)
        .await?;
    let mut found: HashMap<Uuid, Vec<_>> = HashMap::new();
    for row in rows {
        found.entry(row.library_id).or_default().push(row);
    }
    Ok(found)
}

fn tracks_of(library: LibraryId) -> sea_orm::Select<focus_library_tracks::Entity> {
    focus_library_tracks::Entity::find()
        .filter(focus_library_tracks::Column::LibraryId.eq(library.0))
}

/// Moves `tracks_count` by `by` and touches `updated_at`; returns the library.
async fn count_moves(
    conn: &impl ConnectionTrait,
    library: LibraryId,
    by: i32,
    now: DateTime<Utc>,
) -> AppResult<focus_libraries::Model> {
    focus_libraries::Entity::update_many()
        .col_expr(
            focus_libraries::Column::TracksCount,
            Expr::col(focus_libraries::Column::TracksCount).add(by),
        )
        .col_expr(focus_libraries::Column::UpdatedAt, Expr::value(now))
        .filter(focus_libraries::Column::Id.eq(library.0))
        .exec(conn)
        .await?;
    focus_libraries::Entity::find_by_id(library.0)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("focus library", library.0))
}

/// An http(s) address.
fn web_address(text: &str) -> AppResult<String> {
    match url::Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(text.to_owned()),
        _ => Err(AppError::bad_input("url", "an http or https address")),
    }
}
