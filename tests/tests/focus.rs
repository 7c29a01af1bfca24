//! The focus timer through the API, on both backends: a session's life on the server's
//! clock and its rewards, expiry by the job, live sync over WebSocket (across instances on
//! PostgreSQL), the reads, and music libraries.

#[path = "focus/expiry.rs"]
mod expiry;
#[path = "focus/libraries.rs"]
mod libraries;
#[path = "focus/lifecycle.rs"]
mod lifecycle;
#[path = "focus/reads.rs"]
mod reads;
#[path = "focus/support.rs"]
mod support;
#[path = "focus/sync.rs"]
mod sync;
