//! The focus timer and its music libraries. The server owns the clock (`timer`): a session's
//! remaining time is computed from its row and its pause state, never kept ticking.
//! Every change of a session commits, then reaches the user's subscribers on every instance
//! through the `broker` (in-process on SQLite, LISTEN/NOTIFY on PostgreSQL, see
//! `notify_bridge`).
//! A job (`expiry`) abandons sessions left past `expires_at`, without reward.
pub mod broker;
pub mod complete;
pub mod expiry;
pub mod libraries;
pub mod lifecycle;
pub mod live;
pub mod notify_bridge;
pub mod reads;
pub mod stats;
mod store;
pub mod timer;
pub mod tracks;

use uuid::Uuid;

pub use broker::{FocusBroker, Signal};
pub use timer::{Change, Snapshot, Status};

/// A music library's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LibraryId(pub Uuid);

/// A track's id (the row, not the external `track_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TrackId(pub Uuid);
