//! Quests through the API, on both backends: the admin catalog (entitlements, retire,
//! reinstate, delete, validation), progress from real actions on the user's own calendar
//! (an Auckland week across DST), claims that pay once under concurrency, undo taking a
//! claim back, lazy resets paying what was left unclaimed (also with two instances), the
//! user's own quests, ownership, `viewer.quests` in a fixed number of statements, and live
//! reward events on a second device.

#[path = "quests/catalog.rs"]
mod catalog;
#[path = "quests/live.rs"]
mod live;
#[path = "quests/own.rs"]
mod own;
#[path = "quests/progress.rs"]
mod progress;
#[path = "quests/resets.rs"]
mod resets;
#[path = "quests/support.rs"]
mod support;
