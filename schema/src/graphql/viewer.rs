//! `viewer`: the signed-in user, the root every personal query hangs from.
use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::context::ContextExt;
use crate::domain::AppError;

/// The signed-in user as they see themselves.
pub struct Viewer(entity::users::Model);

#[Object]
impl Viewer {
    async fn id(&self) -> Uuid {
        self.0.id
    }

    async fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    async fn email(&self) -> &str {
        &self.0.email
    }

    async fn image(&self) -> Option<&str> {
        self.0.image.as_deref()
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at.with_timezone(&Utc)
    }
}

#[derive(Default)]
pub struct ViewerQuery;

#[Object]
impl ViewerQuery {
    /// The signed-in user; null when the request carries no token.
    async fn viewer(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Viewer>> {
        let Some(user_id) = ctx.actor()?.user_id() else {
            return Ok(None);
        };
        let user = ctx
            .loaders()?
            .users()
            .load_one(user_id.0)
            .await
            .map_err(|err| AppError::Internal(format!("{err}").into()))?
            // A token outliving its user is as good as no token.
            .ok_or_else(|| {
                AppError::unauthenticated(
                    crate::domain::Reason::InvalidToken,
                    "the signed-in user no longer exists",
                )
            })?;
        Ok(Some(Viewer(user)))
    }
}
