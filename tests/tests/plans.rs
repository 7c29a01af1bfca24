//! Daily plans, plan templates and the Today view through the API, on both backends: typed
//! items on the user's local date (Auckland's late evening, Berlin's DST day), refused
//! input and malformed stored rows, concurrent edits from many clients, linked habit, goal
//! and milestone completions, what planning pays (once), templates applied without
//! duplicates, carrying unfinished items over, and the home screen's statement count.

#[path = "plans/carry.rs"]
mod carry;
#[path = "plans/concurrency.rs"]
mod concurrency;
#[path = "plans/items.rs"]
mod items;
#[path = "plans/rewards.rs"]
mod rewards;
#[path = "plans/support.rs"]
mod support;
#[path = "plans/templates.rs"]
mod templates;
#[path = "plans/today.rs"]
mod today;
