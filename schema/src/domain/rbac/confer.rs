//! The rule that no one hands out more than they hold. Every path that makes a role confer
//! something to someone (granting it, creating it, changing its entitlements or its
//! parent) and revoking it asks [`ensure_holds`] with what is at stake.
use std::collections::BTreeSet;

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::access::{self, Access, RoleGraph};
use crate::domain::{AppError, AppResult};

/// Every entitlement `role` confers, its parents' included.
pub async fn confers(conn: &impl ConnectionTrait, role: Uuid) -> AppResult<BTreeSet<String>> {
    let graph = RoleGraph::load(conn).await?;
    Ok(access::entitlements_of(conn, graph.chain(role))
        .await?
        .into_values()
        .flatten()
        .collect())
}

/// FORBIDDEN, naming the first missing entitlement, unless `mine` (the actor's access from
/// before the change) holds every one of `at_stake`. `doing` completes "you cannot …".
pub fn ensure_holds<'a>(
    mine: &Access,
    at_stake: impl IntoIterator<Item = &'a String>,
    doing: &str,
) -> AppResult<()> {
    match at_stake
        .into_iter()
        .find(|e| !mine.entitlements.contains(*e))
    {
        None => Ok(()),
        Some(missing) => Err(AppError::Forbidden {
            reason: None,
            entitlement: Some(missing.clone()),
            message: format!("you cannot {doing}: it confers `{missing}`, which you lack"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_actor_must_hold_everything_at_stake() {
        let mine = Access {
            entitlements: ["roles:update".to_owned()].into(),
        };
        let held = ["roles:update".to_owned()];
        assert!(ensure_holds(&mine, &held, "x").is_ok());
        let more = ["roles:update".to_owned(), "users:delete".to_owned()];
        assert!(matches!(
            ensure_holds(&mine, &more, "x"),
            Err(AppError::Forbidden { entitlement: Some(e), .. }) if e == "users:delete"
        ));
    }
}
