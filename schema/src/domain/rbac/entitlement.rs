//! Entitlement names: `<resource>:<action>` with the spec's CRUD actions. The ones the
//! code checks are constants here; the seeded set lives in migration 0011.
use crate::domain::{AppError, AppResult};

/// An entitlement the code checks, by its stable name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Entitlement(pub &'static str);

impl Entitlement {
    pub const USERS_READ: Self = Self("users:read");
    pub const USERS_UPDATE: Self = Self("users:update");
    pub const USER_ROLES_CREATE: Self = Self("user_roles:create");
    pub const USER_ROLES_READ: Self = Self("user_roles:read");
    pub const USER_ROLES_DELETE: Self = Self("user_roles:delete");
    pub const ROLES_CREATE: Self = Self("roles:create");
    pub const ROLES_READ: Self = Self("roles:read");
    pub const ROLES_UPDATE: Self = Self("roles:update");
    pub const ROLES_DELETE: Self = Self("roles:delete");
    pub const ENTITLEMENTS_CREATE: Self = Self("entitlements:create");
    pub const ENTITLEMENTS_READ: Self = Self("entitlements:read");
    pub const ENTITLEMENTS_UPDATE: Self = Self("entitlements:update");
    pub const ENTITLEMENTS_DELETE: Self = Self("entitlements:delete");
    pub const AUDIT_LOG_READ: Self = Self("audit_log:read");
    pub const POINTS_LEDGER_CREATE: Self = Self("points_ledger:create");
    pub const UNIVERSAL_QUESTS_CREATE: Self = Self("universal_quests:create");
    pub const UNIVERSAL_QUESTS_UPDATE: Self = Self("universal_quests:update");
    pub const UNIVERSAL_QUESTS_DELETE: Self = Self("universal_quests:delete");
    pub const PLAN_TEMPLATES_UPDATE: Self = Self("plan_templates:update");

    pub fn name(self) -> &'static str {
        self.0
    }
}

/// The actions an entitlement may name.
pub const ACTIONS: [&str; 4] = ["create", "read", "update", "delete"];

/// Checks a resource and action a client names for a new entitlement; returns its name.
pub fn parse(resource: &str, action: &str) -> AppResult<String> {
    let resource = resource.trim();
    let valid_resource = !resource.is_empty()
        && resource.len() <= 64
        && resource
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid_resource {
        return Err(AppError::bad_input(
            "resource",
            "a resource is lower-case letters, digits and underscores",
        ));
    }
    if !ACTIONS.contains(&action) {
        return Err(AppError::bad_input(
            "action",
            "an action is one of create, read, update, delete",
        ));
    }
    Ok(format!("{resource}:{action}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entitlement_names_are_resource_colon_crud_action() {
        assert_eq!(parse("habits", "read").ok().as_deref(), Some("habits:read"));
        assert!(parse("Habits!", "read").is_err());
        assert!(parse("habits", "archive").is_err());
    }
}
