//! Habits through the API, on both backends: keeping them (validation, reorder, archive,
//! delete, ownership), completing them (local dates, grace, targets, idempotent retries,
//! undo reversing exactly what was paid), streaks by schedule with their bonuses, and the
//! reads (`viewer.habits`, `habit`, `habitHeatmap`) with their batched relations.

#[path = "habits/completing.rs"]
mod completing;
#[path = "habits/keeping.rs"]
mod keeping;
#[path = "habits/property.rs"]
mod property;
#[path = "habits/reading.rs"]
mod reading;
#[path = "habits/streaks.rs"]
mod streaks;
#[path = "habits/support.rs"]
mod support;
