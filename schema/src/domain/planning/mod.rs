//! Planning: the calendar (events, their recurrence and exceptions, the private ICS feed).
pub mod calendar;
