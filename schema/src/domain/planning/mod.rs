//! Planning: the calendar (events, their recurrence and exceptions, the private ICS feed),
//! daily plans (one per user and local date, typed items linked to habits, goals,
//! milestones and occurrences), plan templates, and the Today view's local day.
pub mod calendar;
pub mod plans;
pub mod templates;
pub mod today;
