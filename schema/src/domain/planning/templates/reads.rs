//! Listing templates: what the viewer may read (their own and every public one), narrowed
//! by `mine`, `public` and `category`, newest first; and one template.
use entity::plan_templates;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{TemplateId, TemplateView, store};
use crate::domain::{
    Actor, AppResult,
    pagination::{self, Keyset, Listing, PageRequest},
};

/// Which templates to list; every field narrows.
#[derive(Debug, Clone, Default)]
pub struct TemplateFilter {
    /// True: the viewer's own only; false: others' (public) only.
    pub mine: Option<bool>,
    pub public: Option<bool>,
    pub category: Option<String>,
}

pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: TemplateFilter,
    request: PageRequest,
) -> AppResult<Listing<plan_templates::Entity>> {
    let user = actor.require_user()?;
    use plan_templates::Column;
    let mut select = plan_templates::Entity::find().filter(store::readable(user));
    match filter.mine {
        Some(true) => select = select.filter(Column::UserId.eq(user.0)),
        Some(false) => select = select.filter(Column::UserId.ne(user.0)),
        None => {}
    }
    if let Some(public) = filter.public {
        select = select.filter(Column::IsPublic.eq(public));
    }
    if let Some(category) = filter.category {
        select = select.filter(Column::Category.eq(category));
    }
    let order = Keyset::newest_first(Column::CreatedAt, Column::Id);
    pagination::paginate(db, select, order, request).await
}

pub async fn find(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: TemplateId,
) -> AppResult<TemplateView> {
    let user = actor.require_user()?;
    Ok(store::readable_one(db, user, id).await?.into())
}
