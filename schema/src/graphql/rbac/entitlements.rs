//! Entitlements over GraphQL: the list, and creating, describing and deleting one.
use async_graphql::{Context, InputObject, Object, SimpleObject};
use uuid::Uuid;

use super::EntitlementObject;
use crate::domain::rbac::entitlements;
use crate::graphql::context::ContextExt;

#[derive(Default)]
pub struct EntitlementsQuery;

#[Object]
impl EntitlementsQuery {
    /// Every entitlement (needs `entitlements:read`).
    async fn entitlements(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<EntitlementObject>> {
        let all = entitlements::list(ctx.reader()?, ctx.actor()?, ctx.now()?).await?;
        Ok(all.into_iter().map(EntitlementObject::from).collect())
    }
}

#[derive(InputObject)]
pub struct CreateEntitlementInput {
    resource: String,
    /// create, read, update or delete.
    action: String,
    description: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateEntitlementInput {
    name: String,
    description: Option<String>,
}

#[derive(InputObject)]
pub struct DeleteEntitlementInput {
    name: String,
}

#[derive(SimpleObject)]
pub struct EntitlementPayload {
    entitlement: EntitlementObject,
}

#[derive(SimpleObject)]
pub struct DeleteEntitlementPayload {
    deleted_entitlement_id: Uuid,
}

#[derive(Default)]
pub struct EntitlementsMutation;

#[Object]
impl EntitlementsMutation {
    /// Creates an entitlement (needs `entitlements:create`).
    async fn create_entitlement(
        &self,
        ctx: &Context<'_>,
        input: CreateEntitlementInput,
    ) -> async_graphql::Result<EntitlementPayload> {
        let created = entitlements::create(
            ctx.db()?,
            ctx.actor()?,
            &input.resource,
            &input.action,
            input.description,
            ctx.meta()?,
            ctx.now()?,
        )
        .await?;
        Ok(EntitlementPayload {
            entitlement: created.into(),
        })
    }

    /// Describes an entitlement (needs `entitlements:update`).
    async fn update_entitlement(
        &self,
        ctx: &Context<'_>,
        input: UpdateEntitlementInput,
    ) -> async_graphql::Result<EntitlementPayload> {
        let updated = entitlements::describe(
            ctx.db()?,
            ctx.actor()?,
            &input.name,
            input.description,
            ctx.meta()?,
            ctx.now()?,
        )
        .await?;
        Ok(EntitlementPayload {
            entitlement: updated.into(),
        })
    }

    /// Deletes an entitlement; no role grants it any more (needs `entitlements:delete`).
    async fn delete_entitlement(
        &self,
        ctx: &Context<'_>,
        input: DeleteEntitlementInput,
    ) -> async_graphql::Result<DeleteEntitlementPayload> {
        let deleted_entitlement_id = entitlements::delete(
            ctx.db()?,
            ctx.actor()?,
            &input.name,
            ctx.meta()?,
            ctx.now()?,
        )
        .await?;
        Ok(DeleteEntitlementPayload {
            deleted_entitlement_id,
        })
    }
}
