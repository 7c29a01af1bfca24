//! Identity over GraphQL, along `domain/auth`: signing in and sessions (`sessions`, `oauth`,
//! `passkeys`), the user's profile, settings and gates (`profile`), and their own security
//! log (`audit`).
pub mod audit;
pub mod oauth;
pub mod passkeys;
pub mod profile;
pub mod sessions;
