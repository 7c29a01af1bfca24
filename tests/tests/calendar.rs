//! The calendar through the API, on both backends: recurrence that keeps local time across
//! DST (read through `viewer.calendar` and through the ICS feed, parsed and expanded by a
//! real iCalendar parser), refused rules, exceptions and splits, the feed's secret URL,
//! and ownership of every id.

#[path = "calendar/editing.rs"]
mod editing;
#[path = "calendar/feed.rs"]
mod feed;
#[path = "calendar/ownership.rs"]
mod ownership;
#[path = "calendar/recurrence.rs"]
mod recurrence;
#[path = "calendar/support.rs"]
mod support;
