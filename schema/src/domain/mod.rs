//! Domain rules, free of GraphQL: every area's entry points take the actor and the database.
pub mod actor;
pub mod auth;
pub mod clock;
mod cursor;
pub mod dates;
pub mod db;
pub mod error;
pub mod fanout;
pub mod focus;
pub mod gamification;
pub mod goals;
pub mod habits;
pub mod live;
pub mod live_listener;
pub mod ordering;
mod page_columns;
pub mod pagination;
pub mod planning;
pub mod quests;
pub mod rbac;
mod reason;
pub mod retryable;
pub mod text;

pub use actor::{Actor, RequestMeta, SessionId, UserId};
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{AppError, AppResult, ErrorCode, Reason};
