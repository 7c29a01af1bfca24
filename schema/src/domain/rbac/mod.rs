//! Access control: roles that inherit their parent's entitlements, entitlements named
//! `<resource>:<action>`, grants that may expire, and the admin operations over them.
//! Every admin entry point checks an entitlement first, through `access::require`.
pub mod access;
pub mod admin_audit;
pub mod admin_users;
pub mod confer;
pub mod entitlement;
pub mod entitlements;
pub mod grants;
pub mod roles;

pub use access::{AccessCache, require};
pub use entitlement::Entitlement;
