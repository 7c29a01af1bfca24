//! Effective access: the entitlements of every live grant's role and of that role's
//! parents, loaded once per request (three statements however deep the chain).
use std::{
    collections::{BTreeSet, HashMap, HashSet},
    sync::Arc,
};

use chrono::{DateTime, Utc};
use entity::{entitlements, role_entitlements, roles, user_roles};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};
use tokio::sync::OnceCell;
use uuid::Uuid;

use super::Entitlement;
use crate::domain::{Actor, AppError, AppResult, UserId};

/// What one user may do, as of one instant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    pub entitlements: BTreeSet<String>,
}

impl Access {
    pub fn allows(&self, entitlement: Entitlement) -> bool {
        self.entitlements.contains(entitlement.name())
    }
}

/// The actor's access, loaded at its first check in a request.
#[derive(Debug, Clone, Default)]
pub struct AccessCache(Arc<OnceCell<Access>>);

/// The roles by id, with their parents: the inheritance graph.
#[derive(Debug, Clone, Default)]
pub struct RoleGraph {
    parents: HashMap<Uuid, Option<Uuid>>,
}

impl RoleGraph {
    pub async fn load(conn: &impl ConnectionTrait) -> AppResult<Self> {
        let all = roles::Entity::find().all(conn).await?;
        Ok(Self {
            parents: all.into_iter().map(|r| (r.id, r.parent_role_id)).collect(),
        })
    }

    /// `role` and every role it inherits from, nearest first. A cycle (which the rules
    /// never let in) ends the walk rather than looping.
    pub fn chain(&self, role: Uuid) -> Vec<Uuid> {
        let mut chain = Vec::new();
        let mut seen = HashSet::new();
        let mut next = Some(role);
        while let Some(id) = next {
            if !seen.insert(id) {
                break;
            }
            chain.push(id);
            next = self.parents.get(&id).copied().flatten();
        }
        chain
    }

    /// Whether making `parent` the parent of `role` would close a cycle.
    pub fn would_cycle(&self, role: Uuid, parent: Uuid) -> bool {
        self.chain(parent).contains(&role)
    }
}

/// The direct entitlement names of each of `roles`.
pub async fn entitlements_of(
    conn: &impl ConnectionTrait,
    roles: impl IntoIterator<Item = Uuid>,
) -> AppResult<HashMap<Uuid, BTreeSet<String>>> {
    let rows = role_entitlements::Entity::find()
        .filter(role_entitlements::Column::RoleId.is_in(roles))
        .find_also_related(entitlements::Entity)
        .all(conn)
        .await?;
    let mut by_role: HashMap<Uuid, BTreeSet<String>> = HashMap::new();
    for (link, entitlement) in rows {
        if let Some(entitlement) = entitlement {
            by_role
                .entry(link.role_id)
                .or_default()
                .insert(entitlement.name);
        }
    }
    Ok(by_role)
}

/// The grants of `user` that hold at `now`.
pub async fn live_grants(
    conn: &impl ConnectionTrait,
    user: UserId,
    now: DateTime<Utc>,
) -> AppResult<Vec<user_roles::Model>> {
    Ok(user_roles::Entity::find()
        .filter(user_roles::Column::UserId.eq(user.0))
        .filter(live_at(now))
        .all(conn)
        .await?)
}

/// A grant holds until its `expires_at`, or forever without one.
pub fn live_at(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(user_roles::Column::ExpiresAt.is_null())
        .add(user_roles::Column::ExpiresAt.gt(now))
}

pub async fn load(
    conn: &impl ConnectionTrait,
    user: UserId,
    now: DateTime<Utc>,
) -> AppResult<Access> {
    let grants = live_grants(conn, user, now).await?;
    if grants.is_empty() {
        return Ok(Access::default());
    }
    let graph = RoleGraph::load(conn).await?;
    let roles: HashSet<Uuid> = grants.iter().flat_map(|g| graph.chain(g.role_id)).collect();
    let entitlements = entitlements_of(conn, roles)
        .await?
        .into_values()
        .flatten()
        .collect();
    Ok(Access { entitlements })
}

/// The actor's access at `now`, loaded once per request.
pub async fn of(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    now: DateTime<Utc>,
) -> AppResult<Access> {
    let user = actor.require_user()?;
    let Actor::User { access, .. } = actor else {
        return Ok(Access::default());
    };
    access
        .0
        .get_or_try_init(|| load(conn, user, now))
        .await
        .cloned()
}

/// The first check of every admin operation: the signed-in actor must hold `entitlement`
/// (FORBIDDEN naming it otherwise).
pub async fn require(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    entitlement: Entitlement,
    now: DateTime<Utc>,
) -> AppResult<UserId> {
    let user = actor.require_user()?;
    if of(conn, actor, now).await?.allows(entitlement) {
        Ok(user)
    } else {
        Err(AppError::Forbidden {
            reason: None,
            entitlement: Some(entitlement.name().to_owned()),
            message: format!("this needs the `{}` entitlement", entitlement.name()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_follows_parents_and_stops_at_a_cycle() {
        let (a, b, c) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let graph = RoleGraph {
            parents: HashMap::from([(a, Some(b)), (b, Some(c)), (c, None)]),
        };
        assert_eq!(graph.chain(a), [a, b, c]);
        assert!(graph.would_cycle(c, a), "c under a would loop");
        assert!(!graph.would_cycle(a, c));
        let looped = RoleGraph {
            parents: HashMap::from([(a, Some(b)), (b, Some(a))]),
        };
        assert_eq!(looped.chain(a), [a, b]);
    }
}
