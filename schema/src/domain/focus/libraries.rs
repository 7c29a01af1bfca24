//! Music and sound libraries for focusing: the owner creates, renames, favourites and
//! deletes them (tracks go with them). Only the owner ever sees one: another user's id is
//! NOT_FOUND, never the row.
use chrono::{DateTime, Utc};
use entity::focus_libraries;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::LibraryId;
use crate::domain::{
    Actor, AppError, AppResult, UserId,
    auth::{AuthSettings, gates::require_member},
    db::begin_write,
    text,
};

pub const MAX_NAME: usize = 200;
pub const MAX_DESCRIPTION: usize = 2_000;

/// `focus_libraries.library_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LibraryType {
    Playlist,
    Album,
    Custom,
}

impl LibraryType {
    pub const ALL: [Self; 3] = [Self::Playlist, Self::Album, Self::Custom];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Playlist => "playlist",
            Self::Album => "album",
            Self::Custom => "custom",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

#[derive(Debug, Clone)]
pub struct NewLibrary {
    pub name: String,
    pub description: Option<String>,
    pub library_type: LibraryType,
    pub is_favorite: bool,
}

/// Changes to a library; `None` leaves a field as it is (a blank description clears it).
#[derive(Debug, Clone, Default)]
pub struct LibraryChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    pub is_favorite: Option<bool>,
}

/// The signed-in user's libraries: favourites first, then oldest first.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> AppResult<Vec<focus_libraries::Model>> {
    let user = actor.require_user()?;
    Ok(focus_libraries::Entity::find()
        .filter(focus_libraries::Column::UserId.eq(user.0))
        .order_by_desc(focus_libraries::Column::IsFavorite)
        .order_by_asc(focus_libraries::Column::CreatedAt)
        .order_by_asc(focus_libraries::Column::Id)
        .all(db)
        .await?)
}

pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    new: NewLibrary,
    now: DateTime<Utc>,
) -> AppResult<focus_libraries::Model> {
    let user = require_member(db, actor, settings).await?;
    let name = text::required("name", &new.name, MAX_NAME)?;
    let description = text::optional("description", new.description, MAX_DESCRIPTION)?;
    Ok(focus_libraries::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.id),
        name: Set(name),
        description: Set(description),
        library_type: Set(new.library_type.as_str().to_owned()),
        tracks_count: Set(0),
        is_favorite: Set(new.is_favorite),
        created_at: Set(now.into()),
        updated_at: Set(now.into()),
    }
    .insert(db)
    .await?)
}

/// Renames, describes or (un)favourites a library.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    id: LibraryId,
    changes: LibraryChanges,
    now: DateTime<Utc>,
) -> AppResult<focus_libraries::Model> {
    let user = UserId(require_member(db, actor, settings).await?.id);
    let name = changes
        .name
        .map(|name| text::required("name", &name, MAX_NAME))
        .transpose()?;
    let description = changes
        .description
        .map(|d| text::optional("description", Some(d), MAX_DESCRIPTION))
        .transpose()?;
    let txn = begin_write(db).await?;
    let mut library: focus_libraries::ActiveModel = owned(&txn, user, id).await?.into();
    if let Some(name) = name {
        library.name = Set(name);
    }
    if let Some(description) = description {
        library.description = Set(description);
    }
    if let Some(favorite) = changes.is_favorite {
        library.is_favorite = Set(favorite);
    }
    library.updated_at = Set(now.into());
    let library = library.update(&txn).await?;
    txn.commit().await?;
    Ok(library)
}

/// Deletes a library and its tracks.
pub async fn delete(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    id: LibraryId,
) -> AppResult<LibraryId> {
    let user = UserId(require_member(db, actor, settings).await?.id);
    let txn = begin_write(db).await?;
    owned(&txn, user, id).await?;
    // The tracks' foreign key cascades.
    focus_libraries::Entity::delete_by_id(id.0)
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(id)
}

/// The user's library `id`, locked for the rest of the transaction; NOT_FOUND otherwise.
pub(super) async fn owned(
    conn: &impl ConnectionTrait,
    user: UserId,
    id: LibraryId,
) -> AppResult<focus_libraries::Model> {
    focus_libraries::Entity::find_by_id(id.0)
        .filter(focus_libraries::Column::UserId.eq(user.0))
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("focus library", id.0))
}
